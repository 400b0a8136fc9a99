/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment AuditEventFields on AuditEvent {\n    id\n    action\n    actorType\n    outcome\n    reason\n    provider\n    providerName\n    targetType\n    targetId\n    ip\n    createdAt\n  }\n": typeof types.AuditEventFieldsFragmentDoc,
    "\n  query AuditEvents($first: Int!, $after: String) {\n    auditEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...AuditEventFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    service\n    name\n    hint\n    status\n    createdAt\n    updatedAt\n    lastUsedAt\n  }\n": typeof types.ApiKeyFieldsFragmentDoc,
    "\n  query ApiKeys {\n    apiKeys {\n      ...ApiKeyFields\n    }\n  }\n": typeof types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      ...ApiKeyFields\n    }\n  }\n": typeof types.CreateApiKeyDocument,
    "\n  mutation UpdateApiKey($id: ID!, $input: UpdateApiKeyInput!) {\n    updateApiKey(id: $id, input: $input) {\n      ...ApiKeyFields\n    }\n  }\n": typeof types.UpdateApiKeyDocument,
    "\n  mutation DeleteApiKey($id: ID!) {\n    deleteApiKey(id: $id)\n  }\n": typeof types.DeleteApiKeyDocument,
    "\n  fragment CurrentUser on User {\n    id\n    email\n    createdAt\n  }\n": typeof types.CurrentUserFragmentDoc,
    "\n  query Me {\n    me {\n      ...CurrentUser\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...CurrentUser\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...CurrentUser\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  fragment ConnectionFields on Connection {\n    id\n    provider\n    accountId\n    accountEmail\n    accountLabel\n    status\n    scopes\n    connectedAt\n    lastRefreshedAt\n    expiresAt\n    lastError\n  }\n": typeof types.ConnectionFieldsFragmentDoc,
    "\n  fragment IntegrationFields on Integration {\n    provider\n    displayName\n    iconKey\n    description\n    authMode\n    configured\n    sandbox\n    requiresShop\n    connected\n    connections {\n      ...ConnectionFields\n    }\n  }\n": typeof types.IntegrationFieldsFragmentDoc,
    "\n  query Integrations {\n    integrations {\n      ...IntegrationFields\n    }\n  }\n": typeof types.IntegrationsDocument,
    "\n  mutation ConnectProvider($provider: String!, $shop: String, $returnTo: String) {\n    connectProvider(provider: $provider, shop: $shop, returnTo: $returnTo) {\n      authorizationUrl\n    }\n  }\n": typeof types.ConnectProviderDocument,
    "\n  mutation Disconnect($connectionId: ID!) {\n    disconnect(connectionId: $connectionId) {\n      revoked\n      revocationError\n    }\n  }\n": typeof types.DisconnectDocument,
    "\n  mutation TestConnection($connectionId: ID!) {\n    testConnection(connectionId: $connectionId) {\n      ok\n      accountId\n      message\n    }\n  }\n": typeof types.TestConnectionDocument,
};
const documents: Documents = {
    "\n  fragment AuditEventFields on AuditEvent {\n    id\n    action\n    actorType\n    outcome\n    reason\n    provider\n    providerName\n    targetType\n    targetId\n    ip\n    createdAt\n  }\n": types.AuditEventFieldsFragmentDoc,
    "\n  query AuditEvents($first: Int!, $after: String) {\n    auditEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...AuditEventFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  fragment ApiKeyFields on ApiKey {\n    id\n    service\n    name\n    hint\n    status\n    createdAt\n    updatedAt\n    lastUsedAt\n  }\n": types.ApiKeyFieldsFragmentDoc,
    "\n  query ApiKeys {\n    apiKeys {\n      ...ApiKeyFields\n    }\n  }\n": types.ApiKeysDocument,
    "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      ...ApiKeyFields\n    }\n  }\n": types.CreateApiKeyDocument,
    "\n  mutation UpdateApiKey($id: ID!, $input: UpdateApiKeyInput!) {\n    updateApiKey(id: $id, input: $input) {\n      ...ApiKeyFields\n    }\n  }\n": types.UpdateApiKeyDocument,
    "\n  mutation DeleteApiKey($id: ID!) {\n    deleteApiKey(id: $id)\n  }\n": types.DeleteApiKeyDocument,
    "\n  fragment CurrentUser on User {\n    id\n    email\n    createdAt\n  }\n": types.CurrentUserFragmentDoc,
    "\n  query Me {\n    me {\n      ...CurrentUser\n    }\n  }\n": types.MeDocument,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...CurrentUser\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...CurrentUser\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  fragment ConnectionFields on Connection {\n    id\n    provider\n    accountId\n    accountEmail\n    accountLabel\n    status\n    scopes\n    connectedAt\n    lastRefreshedAt\n    expiresAt\n    lastError\n  }\n": types.ConnectionFieldsFragmentDoc,
    "\n  fragment IntegrationFields on Integration {\n    provider\n    displayName\n    iconKey\n    description\n    authMode\n    configured\n    sandbox\n    requiresShop\n    connected\n    connections {\n      ...ConnectionFields\n    }\n  }\n": types.IntegrationFieldsFragmentDoc,
    "\n  query Integrations {\n    integrations {\n      ...IntegrationFields\n    }\n  }\n": types.IntegrationsDocument,
    "\n  mutation ConnectProvider($provider: String!, $shop: String, $returnTo: String) {\n    connectProvider(provider: $provider, shop: $shop, returnTo: $returnTo) {\n      authorizationUrl\n    }\n  }\n": types.ConnectProviderDocument,
    "\n  mutation Disconnect($connectionId: ID!) {\n    disconnect(connectionId: $connectionId) {\n      revoked\n      revocationError\n    }\n  }\n": types.DisconnectDocument,
    "\n  mutation TestConnection($connectionId: ID!) {\n    testConnection(connectionId: $connectionId) {\n      ok\n      accountId\n      message\n    }\n  }\n": types.TestConnectionDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditEventFields on AuditEvent {\n    id\n    action\n    actorType\n    outcome\n    reason\n    provider\n    providerName\n    targetType\n    targetId\n    ip\n    createdAt\n  }\n"): (typeof documents)["\n  fragment AuditEventFields on AuditEvent {\n    id\n    action\n    actorType\n    outcome\n    reason\n    provider\n    providerName\n    targetType\n    targetId\n    ip\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents($first: Int!, $after: String) {\n    auditEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...AuditEventFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEvents($first: Int!, $after: String) {\n    auditEvents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...AuditEventFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyFields on ApiKey {\n    id\n    service\n    name\n    hint\n    status\n    createdAt\n    updatedAt\n    lastUsedAt\n  }\n"): (typeof documents)["\n  fragment ApiKeyFields on ApiKey {\n    id\n    service\n    name\n    hint\n    status\n    createdAt\n    updatedAt\n    lastUsedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiKeys {\n    apiKeys {\n      ...ApiKeyFields\n    }\n  }\n"): (typeof documents)["\n  query ApiKeys {\n    apiKeys {\n      ...ApiKeyFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      ...ApiKeyFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      ...ApiKeyFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateApiKey($id: ID!, $input: UpdateApiKeyInput!) {\n    updateApiKey(id: $id, input: $input) {\n      ...ApiKeyFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateApiKey($id: ID!, $input: UpdateApiKeyInput!) {\n    updateApiKey(id: $id, input: $input) {\n      ...ApiKeyFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteApiKey($id: ID!) {\n    deleteApiKey(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteApiKey($id: ID!) {\n    deleteApiKey(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CurrentUser on User {\n    id\n    email\n    createdAt\n  }\n"): (typeof documents)["\n  fragment CurrentUser on User {\n    id\n    email\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      ...CurrentUser\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      ...CurrentUser\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...CurrentUser\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...CurrentUser\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...CurrentUser\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...CurrentUser\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConnectionFields on Connection {\n    id\n    provider\n    accountId\n    accountEmail\n    accountLabel\n    status\n    scopes\n    connectedAt\n    lastRefreshedAt\n    expiresAt\n    lastError\n  }\n"): (typeof documents)["\n  fragment ConnectionFields on Connection {\n    id\n    provider\n    accountId\n    accountEmail\n    accountLabel\n    status\n    scopes\n    connectedAt\n    lastRefreshedAt\n    expiresAt\n    lastError\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment IntegrationFields on Integration {\n    provider\n    displayName\n    iconKey\n    description\n    authMode\n    configured\n    sandbox\n    requiresShop\n    connected\n    connections {\n      ...ConnectionFields\n    }\n  }\n"): (typeof documents)["\n  fragment IntegrationFields on Integration {\n    provider\n    displayName\n    iconKey\n    description\n    authMode\n    configured\n    sandbox\n    requiresShop\n    connected\n    connections {\n      ...ConnectionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Integrations {\n    integrations {\n      ...IntegrationFields\n    }\n  }\n"): (typeof documents)["\n  query Integrations {\n    integrations {\n      ...IntegrationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConnectProvider($provider: String!, $shop: String, $returnTo: String) {\n    connectProvider(provider: $provider, shop: $shop, returnTo: $returnTo) {\n      authorizationUrl\n    }\n  }\n"): (typeof documents)["\n  mutation ConnectProvider($provider: String!, $shop: String, $returnTo: String) {\n    connectProvider(provider: $provider, shop: $shop, returnTo: $returnTo) {\n      authorizationUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Disconnect($connectionId: ID!) {\n    disconnect(connectionId: $connectionId) {\n      revoked\n      revocationError\n    }\n  }\n"): (typeof documents)["\n  mutation Disconnect($connectionId: ID!) {\n    disconnect(connectionId: $connectionId) {\n      revoked\n      revocationError\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TestConnection($connectionId: ID!) {\n    testConnection(connectionId: $connectionId) {\n      ok\n      accountId\n      message\n    }\n  }\n"): (typeof documents)["\n  mutation TestConnection($connectionId: ID!) {\n    testConnection(connectionId: $connectionId) {\n      ok\n      accountId\n      message\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;