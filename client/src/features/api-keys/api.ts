import { graphql } from '../../gql';

/**
 * The API keys feature's GraphQL documents. No document selects the key itself — the schema
 * has no such field (S27) — so the plaintext never comes back and never enters the cache;
 * `hint` (its last characters) is all the dashboard ever shows.
 */

export const apiKeyFieldsFragment = graphql(`
  fragment ApiKeyFields on ApiKey {
    id
    service
    name
    hint
    status
    createdAt
    updatedAt
    lastUsedAt
  }
`);

export const apiKeysQuery = graphql(`
  query ApiKeys {
    apiKeys {
      ...ApiKeyFields
    }
  }
`);

export const createApiKeyMutation = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      ...ApiKeyFields
    }
  }
`);

/** Rename (`input.name`) and/or replace the key (`input.key`, a rotation). */
export const updateApiKeyMutation = graphql(`
  mutation UpdateApiKey($id: ID!, $input: UpdateApiKeyInput!) {
    updateApiKey(id: $id, input: $input) {
      ...ApiKeyFields
    }
  }
`);

export const deleteApiKeyMutation = graphql(`
  mutation DeleteApiKey($id: ID!) {
    deleteApiKey(id: $id)
  }
`);
