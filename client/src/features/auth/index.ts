// The auth feature's public surface: the app layer imports from here only.
export { meQuery } from './api';
export { SignInPage } from './SignInPage';
export { SignUpPage } from './SignUpPage';
export { useSignOut } from './session';
