import { isReference, type ApolloCache, type ApolloClient, type Reference, type StoreObject } from '@apollo/client';
import { integrationsQuery } from './api';

type CachedIntegration = StoreObject & { connections?: readonly Reference[]; connected?: boolean };

/**
 * Drops a disconnected connection from the cache right away, so its card updates before the
 * list is read again: out of its integration's `connections` (Integration has no id, so it lives
 * inline in ROOT_QUERY.integrations), `connected` recomputed as the server does, then evicted.
 */
export function forgetConnection(cache: ApolloCache, connectionId: string): void {
  const ref = cache.identify({ __typename: 'Connection', id: connectionId });
  if (!ref) return;
  cache.modify<{ integrations: CachedIntegration[] }>({
    id: 'ROOT_QUERY',
    fields: {
      integrations: (existing) =>
        existing.map((integration) => {
          if (isReference(integration)) return integration;
          const connections = integration.connections;
          if (!connections?.some((item) => item.__ref === ref)) return integration;
          const remaining = connections.filter((item) => item.__ref !== ref);
          return { ...integration, connections: remaining, connected: remaining.length > 0 };
        }),
    },
  });
  cache.evict({ id: ref });
  cache.gc();
}

/** Reads the integrations list again (the server's word on statuses); failures are left to the page's own query. */
export function refetchIntegrations(client: ApolloClient): void {
  void client.refetchQueries({ include: [integrationsQuery] }).catch(() => undefined);
}
