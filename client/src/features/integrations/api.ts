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
