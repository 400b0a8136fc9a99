import type { MockLink } from '@apollo/client/testing';
import type { GraphQLFormattedError } from 'graphql';
import { paths } from '../../config/paths';
import { connectProviderMutation, disconnectMutation, integrationsQuery, testConnectionMutation } from './api';
import type { ConnectionView, IntegrationView } from './types';

/** Canned data for the Integrations page's tests (never imported by app code). */

export const connection = (overrides: Partial<ConnectionView> = {}): ConnectionView => ({
  __typename: 'Connection',
  id: 'c_1',
  provider: 'google',
  accountId: '1234567890',
  accountEmail: 'ada@example.com',
  accountLabel: 'Ada Lovelace',
  status: 'ACTIVE',
  scopes: ['openid', 'email'],
  connectedAt: '2026-11-20T10:00:00.000Z',
  lastRefreshedAt: null,
  expiresAt: null,
  lastError: null,
  ...overrides,
});

export const integration = (overrides: Partial<IntegrationView> = {}): IntegrationView => ({
  __typename: 'Integration',
  provider: 'google',
  displayName: 'Google Drive',
  iconKey: 'googledrive',
  description: 'Files you open or create with the hub in Google Drive.',
  authMode: 'oauth2',
  configured: true,
  sandbox: false,
  requiresShop: false,
  connected: false,
  connections: [],
  ...overrides,
});

export const shopify = (overrides: Partial<IntegrationView> = {}) =>
  integration({ provider: 'shopify', displayName: 'Shopify', iconKey: 'shopify', description: 'Your Shopify store.', requiresShop: true, ...overrides });

export const integrationsMock = (integrations: IntegrationView[]): MockLink.MockedResponse => ({
  request: { query: integrationsQuery },
  result: { data: { integrations } },
});

export const connectMock = (
  provider: string,
  shop: string | undefined,
  outcome: { authorizationUrl: string } | { errors: GraphQLFormattedError[] },
): MockLink.MockedResponse => ({
  request: {
    query: connectProviderMutation,
    variables: { provider, returnTo: paths.integrations, ...(shop !== undefined ? { shop } : {}) },
  },
  result:
    'authorizationUrl' in outcome
      ? { data: { connectProvider: { __typename: 'ConnectStart', authorizationUrl: outcome.authorizationUrl } } }
      : { errors: outcome.errors },
});

type Outcome<T> = T | { errors: GraphQLFormattedError[] } | { networkError: Error };

function respond<T extends object>(outcome: Outcome<T>, wrap: (data: T) => Record<string, unknown>) {
  if ('networkError' in outcome) return { error: outcome.networkError };
  if ('errors' in outcome) return { result: { errors: outcome.errors } };
  return { result: { data: wrap(outcome) } };
}

export const disconnectMock = (
  connectionId: string,
  outcome: Outcome<{ revoked: boolean; revocationError: string | null }>,
): MockLink.MockedResponse => ({
  request: { query: disconnectMutation, variables: { connectionId } },
  ...respond(outcome, (result) => ({ disconnect: { __typename: 'DisconnectResult', ...result } })),
});

export const testConnectionMock = (
  connectionId: string,
  outcome: Outcome<{ ok: boolean; accountId: string | null; message: string }>,
  delay?: number,
): MockLink.MockedResponse => ({
  request: { query: testConnectionMutation, variables: { connectionId } },
  ...respond(outcome, (result) => ({ testConnection: { __typename: 'ConnectionTestResult', ...result } })),
  ...(delay !== undefined ? { delay } : {}),
});
