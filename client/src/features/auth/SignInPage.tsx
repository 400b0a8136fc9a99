import { useMutation } from '@apollo/client/react';
import { paths } from '../../config/paths';
import type { ReadError } from '../../lib/graphql-errors';
import { Link } from '../../lib/router';
import { signInMutation } from './api';
import { AuthLayout } from './AuthLayout';
import { CredentialsForm, placeCommonError, type ErrorPlacement } from './CredentialsForm';
import { useSessionChanged } from './session';

/** Deliberately vague: never reveal whether the email has an account. */
export const INVALID_CREDENTIALS_MESSAGE = 'Incorrect email or password.';

export function placeSignInError(error: ReadError): ErrorPlacement {
  return error.code === 'INVALID_CREDENTIALS' ? { message: INVALID_CREDENTIALS_MESSAGE } : placeCommonError(error);
}

export function SignInPage() {
  const [signIn] = useMutation(signInMutation);
  const sessionChanged = useSessionChanged();
  return (
    <AuthLayout
      title="Sign in"
      subtitle="Welcome back. Sign in to manage your integrations and API keys."
      footer={
        <>
          New here? <Link to={paths.signUp}>Create an account</Link>
        </>
      }
    >
      <CredentialsForm
        mode="existing"
        submitLabel="Sign in"
        placeError={placeSignInError}
        onSubmit={async (input) => {
          await signIn({ variables: { input } });
          await sessionChanged(paths.home);
        }}
      />
    </AuthLayout>
  );
}
