import { graphql } from '../../gql';

/** The Integrations page's documents: the provider catalog with the caller's connections, and connect. */

export const connectionFieldsFragment = graphql(`
  fragment ConnectionFields on Connection {
    id
    provider
    accountId
    accountEmail
    accountLabel
    status
    scopes
    connectedAt
    lastRefreshedAt
    expiresAt
    lastError
  }
`);

export const integrationFieldsFragment = graphql(`
  fragment IntegrationFields on Integration {
    provider
    displayName
    iconKey
    description
    authMode
    configured
    sandbox
    requiresShop
    connected
    connections {
      ...ConnectionFields
    }
  }
`);

export const integrationsQuery = graphql(`
  query Integrations {
    integrations {
      ...IntegrationFields
    }
  }
`);

/** Starts a connect; the browser is then sent to `authorizationUrl` (a full navigation). */
export const connectProviderMutation = graphql(`
  mutation ConnectProvider($provider: String!, $shop: String, $returnTo: String) {
    connectProvider(provider: $provider, shop: $shop, returnTo: $returnTo) {
      authorizationUrl
    }
  }
`);

/**
 * Revokes the connection at the provider, then deletes it here — also when the provider does
 * not confirm (S21): `revoked` says whether it did, `revocationError` (a code) why not.
 * NOT_FOUND: no such connection of the caller's (already gone, or never theirs — S30).
 */
export const disconnectMutation = graphql(`
  mutation Disconnect($connectionId: ID!) {
    disconnect(connectionId: $connectionId) {
      revoked
      revocationError
    }
  }
`);

/**
 * Calls the provider with the stored token (refreshed first when needed). A test can refresh the
 * token or mark the connection NEEDS_REAUTH, so the integrations list is read again afterwards.
 */
export const testConnectionMutation = graphql(`
  mutation TestConnection($connectionId: ID!) {
    testConnection(connectionId: $connectionId) {
      ok
      accountId
      message
    }
  }
`);
