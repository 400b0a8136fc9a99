import { useApolloClient, useMutation } from '@apollo/client/react';
import { useCallback, useState } from 'react';
import { genericErrorMessage, readError } from '../../lib/graphql-errors';
import { testConnectionMutation } from './api';
import { refetchIntegrations } from './connection-cache';
import { CONNECTION_GONE_MESSAGE, testResultText } from './connection-messages';

export type TestState =
  | { status: 'idle' }
  | { status: 'pending' }
  | { status: 'done'; ok: boolean; text: string };

/**
 * "Test" for one connection: asks the server to call the provider with the stored token, and
 * keeps the outcome to show next to the account. The list is read again afterwards either way:
 * the test may have refreshed the token or marked the connection NEEDS_REAUTH.
 */
export function useTestConnection(connectionId: string, providerName: string): [TestState, () => void] {
  const client = useApolloClient();
  const [mutate] = useMutation(testConnectionMutation);
  const [state, setState] = useState<TestState>({ status: 'idle' });

  const run = useCallback(() => {
    setState({ status: 'pending' });
    mutate({ variables: { connectionId } })
      .then(({ data }) => {
        if (!data) throw new Error('The server sent no result.');
        const result = data.testConnection;
        setState({ status: 'done', ok: result.ok, text: testResultText(result, providerName) });
      })
      .catch((caught: unknown) => {
        const read = readError(caught);
        setState({ status: 'done', ok: false, text: read.code === 'NOT_FOUND' ? CONNECTION_GONE_MESSAGE : genericErrorMessage(read) });
      })
      .finally(() => refetchIntegrations(client));
  }, [client, connectionId, mutate, providerName]);

  return [state, run];
}
