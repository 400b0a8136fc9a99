import type { ProviderDefinition } from './types.js';

/**
 * The seven built-in providers, as data (facts and quirks: docs/providers.md). Order here is the
 * order of the Integrations page. Scopes are the minimal set each integration needs (S20).
 */

const bearer = { kind: 'header', name: 'Authorization', scheme: 'Bearer' } as const;

/**
 * Zoho's data centres: the accounts server (where OAuth happens) and the API domain its token
 * responses name. The one list of them — the Zoho entry's allowlist and the simulator's data
 * centres both derive from it. From https://www.zoho.com/accounts/protocol/oauth/multi-dc.html
 * (US, EU, IN, AU, JP, CA, SA, UK) plus China, listed by Zoho CRM's
 * https://www.zoho.com/crm/developer/docs/api/v8/multi-dc.html (a separate Zoho whose users start
 * authorization at accounts.zoho.com.cn); API domains from
 * https://www.bigin.com/developer/docs/apis/multi-dc.html. The first is where authorization starts.
 */
export const ZOHO_DATA_CENTRES: ReadonlyArray<{ location: string; accountsServer: string; apiDomain: string }> = [
  { location: 'us', accountsServer: 'https://accounts.zoho.com', apiDomain: 'https://www.zohoapis.com' },
  { location: 'eu', accountsServer: 'https://accounts.zoho.eu', apiDomain: 'https://www.zohoapis.eu' },
  { location: 'in', accountsServer: 'https://accounts.zoho.in', apiDomain: 'https://www.zohoapis.in' },
  { location: 'au', accountsServer: 'https://accounts.zoho.com.au', apiDomain: 'https://www.zohoapis.com.au' },
  { location: 'jp', accountsServer: 'https://accounts.zoho.jp', apiDomain: 'https://www.zohoapis.jp' },
  { location: 'cn', accountsServer: 'https://accounts.zoho.com.cn', apiDomain: 'https://www.zohoapis.com.cn' },
  { location: 'sa', accountsServer: 'https://accounts.zoho.sa', apiDomain: 'https://www.zohoapis.sa' },
  { location: 'ca', accountsServer: 'https://accounts.zohocloud.ca', apiDomain: 'https://www.zohoapis.ca' },
  { location: 'uk', accountsServer: 'https://accounts.zoho.uk', apiDomain: 'https://www.zohoapis.uk' },
];

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
      // Any token revokes the whole grant of the user for this client: a reconnect keeps the old one.
      revokesWholeGrant: true,
      // "Token expired or revoked": https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke
      alreadyInvalid: [{ status: 400, error: 'invalid_token' }],
    },
    refreshTokenLifetime: {
      idleDays: 180,
      note: 'Unused for six months, revoked by the user, password change (Gmail scopes), 100 live tokens per account and client (the oldest dies); 7 days absolute while the consent screen is in Testing with external users.',
      source: 'https://developers.google.com/identity/protocols/oauth2#expiration',
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
    refreshTokenLifetime: {
      note: 'No documented expiry: lives until the user revokes the app or the refresh token is revoked.',
      source: 'https://developers.asana.com/docs/oauth',
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
      // A revoked token (not an expired one: expired_access_token means the grant may still live).
      alreadyInvalid: [{ status: 401, error: 'invalid_access_token' }],
    },
    refreshTokenLifetime: {
      note: 'Long-lived: no expiry, ends only when revoked (by the app, the user or an administrator).',
      source: 'https://developers.dropbox.com/oauth-guide',
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
    refreshTokenLifetime: {
      absoluteDays: 60,
      note: 'Single use: each refresh replaces it, and the replacement again lives 60 days from then.',
      source: 'https://developer.box.com/guides/authentication/tokens/refresh',
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
      // The token authenticates its own deletion: once revoked, Trello answers 401 `invalid token`.
      alreadyInvalid: [{ status: 401, error: 'invalid token' }],
    },
    refreshTokenLifetime: {
      note: 'No refresh token: the token is asked for with expiration=never and lives until the user revokes it.',
      source: 'https://developer.atlassian.com/cloud/trello/guides/rest-api/authorization/',
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
      // A supported Admin API version (apiVersion; OAUTH_PROVIDERS_FILE may set another).
      url: 'https://{shop}/admin/api/2026-10/shop.json',
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
    refreshTokenLifetime: {
      absoluteDays: 90,
      note: 'Replaced on every refresh (refresh_token_expires_in, stored per connection); one live expiring offline token per app and shop; uninstalling kills it.',
      source: 'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens',
    },
    // A second connect of the same shop revokes the first one's tokens at Shopify.
    singleGrantPerAccount: true,
    apiVersion: '2026-10',
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
    // Zoho answers both with HTTP 200: a dead refresh token `{"error":"invalid_code"}`, throttling
    // (10 access tokens per refresh token per 10 minutes) `{"error":"Access Denied"}`.
    refresh: { supported: true, rotatesRefreshToken: false, deadGrantErrors: ['invalid_code'], transientErrors: ['Access Denied'] },
    revocation: {
      kind: 'request',
      method: 'POST',
      url: '{accounts_server}/oauth/v2/token/revoke',
      tokens: ['refresh_token'],
      tokenIn: 'query',
      clientAuth: 'none',
      // "If the given token is invalid, the revoke token request will fail and you'll receive the
      // HTTP status code 400": https://www.zoho.com/thrive/resources/developer-guide/oauth-step5.html
      alreadyInvalid: [{ status: 400 }],
    },
    accountsServers: ZOHO_DATA_CENTRES.map((dc) => dc.accountsServer),
    refreshTokenLifetime: {
      note: 'No expiry, but at most 20 refresh tokens per user and client: the 21st silently deletes the oldest.',
      source: 'https://www.zoho.com/accounts/protocol/oauth/web-apps/access-token-expiry.html',
    },
  }),
] as const;
