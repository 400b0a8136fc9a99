import { useMutation } from '@apollo/client/react';
import { useCallback, useEffect, useState } from 'react';
import { paths } from '../../config/paths';
import { readError } from '../../lib/graphql-errors';
import { connectProviderMutation } from './api';
import { INVALID_AUTHORIZATION_URL_MESSAGE, placeConnectError, type ConnectFailure } from './connect';
import { leaveForProvider } from './redirect';

export interface ConnectState {
  /** Starts a connect and leaves for the provider; resolves with a failure, or null when leaving. */
  connect(provider: { provider: string; displayName: string }, shop?: string): Promise<ConnectFailure | null>;
  /** The provider whose connect is starting (buttons show a spinner until the page unloads). */
  pending: string | null;
}

export function useConnect(): ConnectState {
  const [mutate] = useMutation(connectProviderMutation);
  const [pending, setPending] = useState<string | null>(null);

  // Back from the provider via the back/forward cache: the page is restored as it was left,
  // spinner included. It is no longer leaving.
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) setPending(null);
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, []);

  const connect = useCallback<ConnectState['connect']>(
    async ({ provider, displayName }, shop) => {
      setPending(provider);
      try {
        const { data } = await mutate({
          variables: { provider, returnTo: paths.integrations, ...(shop !== undefined ? { shop } : {}) },
        });
        if (data && leaveForProvider(data.connectProvider.authorizationUrl)) return null;
        setPending(null);
        return { message: INVALID_AUTHORIZATION_URL_MESSAGE };
      } catch (error) {
        setPending(null);
        return placeConnectError(readError(error), displayName);
      }
    },
    [mutate],
  );

  return { connect, pending };
}
