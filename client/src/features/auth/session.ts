import { useApolloClient, useMutation } from '@apollo/client/react';
import { useCallback, useState } from 'react';
import { paths } from '../../config/paths';
import { genericErrorMessage, readError } from '../../lib/graphql-errors';
import { navigate } from '../../lib/router';
import { signOutMutation } from './api';

/**
 * The session cookie just changed (signed in, signed up or signed out). Reset the store:
 * nothing cached under the previous session may survive, and every active query — `me`
 * first — is read again, which is what moves the app's gate to the right side. Then go to
 * `to` (the gate would redirect there anyway; this keeps history tidy).
 */
export function useSessionChanged(): (to: string) => Promise<void> {
  const client = useApolloClient();
  return useCallback(
    async (to: string) => {
      try {
        await client.resetStore();
      } catch {
        // A page query refetched mid-switch may fail (e.g. UNAUTHENTICATED right after
        // sign-out). That must not undo the switch: the gate reads `me` and shows its own
        // error state if even that fails.
      }
      navigate(to, { replace: true });
    },
    [client],
  );
}

export interface SignOutState {
  signOut(): Promise<void>;
  signingOut: boolean;
  /** Why the last attempt failed (the session is then still active). */
  error: string | null;
}

export function useSignOut(): SignOutState {
  const [mutate, { loading }] = useMutation(signOutMutation);
  const sessionChanged = useSessionChanged();
  const [error, setError] = useState<string | null>(null);
  const signOut = useCallback(async () => {
    setError(null);
    try {
      await mutate();
    } catch (caught) {
      setError(genericErrorMessage(readError(caught)));
      return;
    }
    await sessionChanged(paths.signIn);
  }, [mutate, sessionChanged]);
  return { signOut, signingOut: loading, error };
}
