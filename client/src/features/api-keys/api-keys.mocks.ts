import type { MockLink } from '@apollo/client/testing';
import type { GraphQLFormattedError } from 'graphql';
import type { ApiKeyFieldsFragment, CreateApiKeyInput, UpdateApiKeyInput } from '../../gql/graphql';
import { apiKeysQuery, createApiKeyMutation, deleteApiKeyMutation, updateApiKeyMutation } from './api';

/** Canned responses for the API keys page's tests (never imported by app code). */

export const apiKey = (overrides: Partial<ApiKeyFieldsFragment> = {}): ApiKeyFieldsFragment => ({
  __typename: 'ApiKey',
  id: 'k_1',
  service: 'openai',
  name: 'Production',
  hint: 'wxyz',
  status: 'OK',
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
  lastUsedAt: null,
  ...overrides,
});

type Outcome<T> = { data: T } | { errors: GraphQLFormattedError[] } | { networkError: Error };

function respond<T>(outcome: Outcome<T>, wrap: (data: T) => Record<string, unknown>) {
  if ('networkError' in outcome) return { error: outcome.networkError };
  if ('errors' in outcome) return { result: { errors: outcome.errors } };
  return { result: { data: wrap(outcome.data) } };
}

export const apiKeysMock = (outcome: Outcome<ApiKeyFieldsFragment[]>): MockLink.MockedResponse => ({
  request: { query: apiKeysQuery },
  ...respond(outcome, (apiKeys) => ({ apiKeys })),
});

export const createApiKeyMock = (input: CreateApiKeyInput, outcome: Outcome<ApiKeyFieldsFragment>): MockLink.MockedResponse => ({
  request: { query: createApiKeyMutation, variables: { input } },
  ...respond(outcome, (createApiKey) => ({ createApiKey })),
});

export const updateApiKeyMock = (
  id: string,
  input: UpdateApiKeyInput,
  outcome: Outcome<ApiKeyFieldsFragment>,
): MockLink.MockedResponse => ({
  request: { query: updateApiKeyMutation, variables: { id, input } },
  ...respond(outcome, (updateApiKey) => ({ updateApiKey })),
});

export const deleteApiKeyMock = (id: string, outcome: Outcome<boolean>): MockLink.MockedResponse => ({
  request: { query: deleteApiKeyMutation, variables: { id } },
  ...respond(outcome, (deleteApiKey) => ({ deleteApiKey })),
});
