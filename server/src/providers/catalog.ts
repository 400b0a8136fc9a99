import type { ProviderDefinition } from './types.js';

/**
 * The seven built-in providers, as data (facts and quirks: docs/providers.md). Order here is the
 * order of the Integrations page. Scopes are the minimal set each integration needs (S20).
 */

const bearer = { kind: 'header', name: 'Authorization', scheme: 'Bearer' } as const;

/** Keeps each id a literal type, so `BuiltInProviderId` (providers/ids.ts) is the union of these. */
function builtIn<Id extends string>(definition: ProviderDefinition & { id: Id }): ProviderDefinition & { id: Id } {
  return definition;
}

export const BUILT_IN_PROVIDERS = [
  builtIn({
    id: 'google',
    displayName: 'Google Drive',
    iconKey: 'googledrive',
    description: 'Files you open or create with the hub in Google Drive.',
    authMode: 'oauth2',
    endpoints: {
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
    },
    // drive.file is the non-sensitive Drive scope; openid + email identify the account.
    scopes: ['openid', 'email', 'https://www.googleapis.com/auth/drive.file'],
    scopeSeparator: ' ',
    // offline → a refresh token; prompt=consent → one on a re-connect too.
    authorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
    tokenParams: {},
    pkce: true,
    clientAuth: 'client_secret_basic',
    issuer: 'https://accounts.google.com',
    tokenMetadata: [],
    identity: {
      source: 'userinfo',
      url: 'https://openidconnect.googleapis.com/v1/userinfo',
      method: 'GET',
      presentation: bearer,
      fields: { accountId: ['sub'], email: ['email'], label: ['name', 'email'] },
    },
    refresh: { supported: true, rotatesRefreshToken: false },
    revocation: {
      kind: 'request',
      method: 'POST',
      url: 'https://oauth2.googleapis.com/revoke',
      tokens: ['refresh_token', 'access_token'],
      tokenIn: 'form',
      clientAuth: 'none',
      alreadyInvalidStatuses: [400],
    },
  }),
  builtIn({
    id: 'asana',
    displayName: 'Asana',
    iconKey: 'asana',
    description: 'Read your Asana tasks and projects.',
    authMode: 'oauth2',
    endpoints: {
      authorizationUrl: 'https://app.asana.com/-/oauth_authorize',
      tokenUrl: 'https://app.asana.com/-/oauth_token',
    },
    scopes: ['tasks:read', 'projects:read', 'users:read'],
    scopeSeparator: ' ',
    authorizationParams: {},
    tokenParams: {},
    pkce: true,
    clientAuth: 'client_secret_post',
    tokenMetadata: [],
    // The token response carries the user.
    identity: { source: 'token_response', fields: { accountId: ['data.gid'], email: ['data.email'], label: ['data.name', 'data.email'] } },
    refresh: { supported: true, rotatesRefreshToken: false },
    revocation: {
      kind: 'request',
      method: 'POST',
      url: 'https://app.asana.com/-/oauth_revoke',
      // An access token gets 400: only the refresh token is revocable.
      tokens: ['refresh_token'],
      tokenIn: 'form',
      clientAuth: 'client_secret_post',
    },
  }),
  builtIn({
    id: 'dropbox',
    displayName: 'Dropbox',
    iconKey: 'dropbox',
    description: 'Read your Dropbox files and their metadata.',
    authMode: 'oauth2',
    endpoints: {
      authorizationUrl: 'https://www.dropbox.com/oauth2/authorize',
      tokenUrl: 'https://api.dropboxapi.com/oauth2/token',
    },
    scopes: ['account_info.read', 'files.metadata.read', 'files.content.read'],
    scopeSeparator: ' ',
    authorizationParams: { token_access_type: 'offline' },
    tokenParams: {},
    pkce: true,
    clientAuth: 'client_secret_basic',
    tokenMetadata: ['account_id'],
    identity: {
      source: 'userinfo',
      url: 'https://api.dropboxapi.com/2/users/get_current_account',
      method: 'POST',
      presentation: bearer,
      jsonNullBody: true,
      fields: { accountId: ['account_id'], email: ['email'], label: ['name.display_name', 'email'] },
    },
    refresh: { supported: true, rotatesRefreshToken: false },
    revocation: {
      kind: 'request',
      method: 'POST',
      url: 'https://api.dropboxapi.com/2/auth/token/revoke',
      // Authenticated by a live access token: the next issue refreshes first when it expired.
      tokens: ['access_token'],
      tokenIn: 'presentation',
      presentation: bearer,
      clientAuth: 'none',
    },
  }),
  builtIn({
    id: 'box',
    displayName: 'Box',
    iconKey: 'box',
    description: 'Read the files in your Box account.',
    authMode: 'oauth2',
    endpoints: {
      authorizationUrl: 'https://account.box.com/api/oauth2/authorize',
      tokenUrl: 'https://api.box.com/oauth2/token',
    },
    scopes: ['root_readonly'],
    scopeSeparator: ' ',
    authorizationParams: {},
    tokenParams: {},
    // Box does not document PKCE: do not send it.
    pkce: false,
    clientAuth: 'client_secret_post',
    tokenMetadata: [],
    identity: {
      source: 'userinfo',
      url: 'https://api.box.com/2.0/users/me',
      method: 'GET',
      presentation: bearer,
      fields: { accountId: ['id'], email: ['login'], label: ['name', 'login'] },
    },
    // Single-use refresh tokens: two concurrent refreshes kill the connection.
    refresh: { supported: true, rotatesRefreshToken: true },
    revocation: {
      kind: 'request',
      method: 'POST',
      url: 'https://api.box.com/oauth2/revoke',
      tokens: ['refresh_token', 'access_token'],
      tokenIn: 'form',
      clientAuth: 'client_secret_post',
    },
  }),
  builtIn({
    id: 'trello',
    displayName: 'Trello',
    iconKey: 'trello',
    description: 'Read your Trello boards and cards.',
    authMode: 'oauth1a',
    hook: 'trello',
    endpoints: {
      requestTokenUrl: 'https://trello.com/1/OAuthGetRequestToken',
      authorizationUrl: 'https://trello.com/1/OAuthAuthorizeToken',
      tokenUrl: 'https://trello.com/1/OAuthGetAccessToken',
    },
    scopes: ['read'],
    scopeSeparator: ',',
    // `scope` is added from `scopes`; tokens never expire and never refresh.
    authorizationParams: { name: 'OAuth Integration Hub', expiration: 'never' },
    tokenParams: {},
    pkce: false,
    clientAuth: 'client_secret_post',
    tokenMetadata: [],
    identity: {
      source: 'userinfo',
      url: 'https://api.trello.com/1/members/me',
      method: 'GET',
      presentation: { kind: 'oauth1' },
      // The e-mail needs the `account` scope, which the minimal set leaves out.
      fields: { accountId: ['id'], email: ['email'], label: ['fullName', 'username'] },
    },
    refresh: { supported: false, rotatesRefreshToken: false },
    revocation: {
      kind: 'request',
      method: 'DELETE',
      url: 'https://api.trello.com/1/tokens/{token}',
      tokens: ['access_token'],
      tokenIn: 'path',
      presentation: { kind: 'oauth1' },
      clientAuth: 'none',
    },
  }),
  builtIn({
    id: 'shopify',
    displayName: 'Shopify',
    iconKey: 'shopify',
    description: "Read a Shopify store's products.",
    authMode: 'oauth2',
    hook: 'shopify',
    // {shop} is the validated `name.myshopify.com` of the connect input.
    endpoints: {
      authorizationUrl: 'https://{shop}/admin/oauth/authorize',
      tokenUrl: 'https://{shop}/admin/oauth/access_token',
    },
    scopes: ['read_products'],
    scopeSeparator: ',',
    authorizationParams: {},
    // Expiring offline token: 60 min access token plus a rotating refresh token.
    tokenParams: { expiring: '1' },
    pkce: false,
    clientAuth: 'client_secret_post',
    tokenMetadata: [],
    identity: {
      source: 'userinfo',
      url: 'https://{shop}/admin/api/2025-01/shop.json',
      method: 'GET',
      presentation: { kind: 'header', name: 'X-Shopify-Access-Token' },
      fields: { accountId: ['shop.myshopify_domain'], email: ['shop.email'], label: ['shop.myshopify_domain'] },
    },
    refresh: { supported: true, rotatesRefreshToken: true },
    // No revocation endpoint: uninstalling the app is the disconnect.
    revocation: {
      kind: 'request',
      method: 'DELETE',
      url: 'https://{shop}/admin/api_permissions/current.json',
      tokens: ['access_token'],
      tokenIn: 'presentation',
      presentation: { kind: 'header', name: 'X-Shopify-Access-Token' },
      clientAuth: 'none',
    },
  }),
  builtIn({
    id: 'zoho',
    displayName: 'Zoho CRM',
    iconKey: 'zoho',
    description: 'Read your Zoho CRM modules.',
    authMode: 'oauth2',
    hook: 'zoho',
    // Authorization starts at .com; everything after it goes to the callback's accounts server.
    endpoints: {
      authorizationUrl: 'https://accounts.zoho.com/oauth/v2/auth',
      tokenUrl: '{accounts_server}/oauth/v2/token',
    },
    scopes: ['ZohoCRM.modules.READ', 'AaaServer.profile.READ'],
    scopeSeparator: ',',
    authorizationParams: { access_type: 'offline', prompt: 'consent' },
    tokenParams: {},
    pkce: false,
    clientAuth: 'client_secret_post',
    tokenMetadata: ['api_domain'],
    identity: {
      source: 'userinfo',
      url: '{accounts_server}/oauth/user/info',
      method: 'GET',
      presentation: { kind: 'header', name: 'Authorization', scheme: 'Zoho-oauthtoken' },
      fields: { accountId: ['ZUID'], email: ['Email'], label: ['Display_Name', 'Email'] },
    },
    refresh: { supported: true, rotatesRefreshToken: false },
    revocation: {
      kind: 'request',
      method: 'POST',
      url: '{accounts_server}/oauth/v2/token/revoke',
      tokens: ['refresh_token'],
      tokenIn: 'query',
      clientAuth: 'none',
    },
    accountsServers: [
      'https://accounts.zoho.com',
      'https://accounts.zoho.eu',
      'https://accounts.zoho.in',
      'https://accounts.zoho.com.au',
      'https://accounts.zoho.jp',
      'https://accounts.zoho.com.cn',
      'https://accounts.zoho.sa',
      'https://accounts.zohocloud.ca',
    ],
  }),
] as const;
