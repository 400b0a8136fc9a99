import { useMutation } from '@apollo/client/react';
import { paths } from '../../config/paths';
import type { ReadError } from '../../lib/graphql-errors';
import { Link } from '../../lib/router';
import { signUpMutation } from './api';
import { AuthLayout } from './AuthLayout';
import { CredentialsForm, placeCommonError, type ErrorPlacement } from './CredentialsForm';
import { useSessionChanged } from './session';

export const EMAIL_TAKEN_MESSAGE = 'An account with this email already exists. Sign in instead.';

export function placeSignUpError(error: ReadError): ErrorPlacement {
  return error.code === 'CONFLICT' ? { field: 'email', message: EMAIL_TAKEN_MESSAGE } : placeCommonError(error);
}

export function SignUpPage() {
  const [signUp] = useMutation(signUpMutation);
  const sessionChanged = useSessionChanged();
  return (
    <AuthLayout
      title="Create your account"
      subtitle="Connect Google Drive, Asana, Dropbox, Box, Trello, Shopify and Zoho in one place."
      footer={
        <>
          Already have an account? <Link to={paths.signIn}>Sign in</Link>
        </>
      }
    >
      <CredentialsForm
        mode="new"
        submitLabel="Create account"
        placeError={placeSignUpError}
        onSubmit={async (input) => {
          await signUp({ variables: { input } });
          await sessionChanged(paths.home);
        }}
      />
    </AuthLayout>
  );
}
