/**
 * The shape of a provider definition: everything the hub knows about an OAuth provider, as data.
 * Code exists only for the real exceptions, each in one named hook (see hooks/).
 *
 * URLs may be templates: `{shop}` (Shopify, from the connect input) and `{accounts_server}`
 * (Zoho, from the callback, allowlisted). The same names are the keys of the connection's
 * metadata, so a later refresh or revocation expands them from the stored connection.
 */

export type AuthMode = 'oauth2' | 'oauth1a';
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';
export type HookName = 'shopify' | 'zoho' | 'trello';
export const HOOK_NAMES: readonly HookName[] = ['shopify', 'zoho', 'trello'];

/** Template variables a URL may contain. */
export const TEMPLATE_VARIABLES = ['shop', 'accounts_server', 'token'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateVars = Partial<Record<TemplateVariable, string>>;

/** How a request to the provider's API presents the access token. */
export type TokenPresentation =
  /** `name: [scheme ]<token>`, e.g. `Authorization: Bearer …`, `X-Shopify-Access-Token: …`. */
  | { kind: 'header'; name: string; scheme?: string }
  /** An OAuth 1.0a signed `Authorization: OAuth …` header (consumer + token). */
  | { kind: 'oauth1' };

/** Where the account id, e-mail and label are found: dotted paths, first present one wins. */
export interface IdentityFields {
  accountId: string[];
  email?: string[];
  label?: string[];
}

export type IdentitySpec =
  /** A request with the new access token (userinfo, users/me, get_current_account …). */
  | {
      source: 'userinfo';
      url: string;
      method: 'GET' | 'POST';
      presentation: TokenPresentation;
      /** Dropbox RPC: a void-argument POST takes the JSON body `null`. */
      jsonNullBody?: boolean;
      fields: IdentityFields;
    }
  /** Fields of the token response itself (Asana's `data`). */
  | { source: 'token_response'; fields: IdentityFields }
  /** Nothing tells accounts apart (a custom provider without userInfoUrl): one connection per user. */
  | { source: 'none' };

export interface RefreshSpec {
  supported: boolean;
  /** Every refresh returns a new refresh token and kills the old one (Box, Shopify). */
  rotatesRefreshToken: boolean;
}

export type RevocationSpec =
  | { kind: 'none' }
  | {
      kind: 'request';
      method: 'POST' | 'DELETE';
      url: string;
      /** Which stored token to revoke: the first one the connection has. */
      tokens: Array<'refresh_token' | 'access_token'>;
      /** `form`: body `token=…`; `query`: `?token=…`; `path`: the URL's `{token}`; `presentation`: the token authenticates the call. */
      tokenIn: 'form' | 'query' | 'path' | 'presentation';
      presentation?: TokenPresentation;
      clientAuth: ClientAuthMethod | 'none';
      /** Statuses that mean "already invalid", counted as success (Google answers 400). */
      alreadyInvalidStatuses?: number[];
    };

export interface ProviderEndpoints {
  authorizationUrl: string;
  /** OAuth 2 token endpoint; for OAuth 1.0a the access-token endpoint. */
  tokenUrl: string;
  /** OAuth 1.0a only. */
  requestTokenUrl?: string;
}

export interface ProviderDefinition {
  id: string;
  displayName: string;
  /** The dashboard's mark for it: a simple-icons slug (`googledrive`); absent → a generic mark. */
  iconKey?: string;
  description: string;
  authMode: AuthMode;
  endpoints: ProviderEndpoints;
  /** The minimal set the hub asks for (S20). */
  scopes: string[];
  scopeSeparator: ' ' | ',';
  /** Extra authorization-request parameters (access_type=offline …). */
  authorizationParams: Record<string, string>;
  /** Extra token-request parameters (Shopify expiring=1). */
  tokenParams: Record<string, string>;
  /** PKCE with S256 (never plain). */
  pkce: boolean;
  clientAuth: ClientAuthMethod;
  /** Expected `iss` of the authorization response (RFC 9207) when it carries one. */
  issuer?: string;
  /** Token-response fields kept as non-secret connection metadata (Zoho api_domain, Dropbox account_id). */
  tokenMetadata: string[];
  identity: IdentitySpec;
  refresh: RefreshSpec;
  revocation: RevocationSpec;
  /** Named code for what data cannot say. */
  hook?: HookName;
  /** Zoho: allowed accounts servers; the first is where authorization starts (and the default). */
  accountsServers?: string[];
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** A provider as this hub runs it: definition after overrides, credentials, sandbox flag. */
export interface ResolvedProvider {
  definition: ProviderDefinition;
  /** Absent: not configured (connect fails with PROVIDER_NOT_CONFIGURED). */
  credentials?: ClientCredentials;
  /** Pointed at the built-in simulator (SANDBOX=1 and no credentials of its own). */
  sandbox: boolean;
  builtIn: boolean;
  /** What an operator sets to configure it, for messages. */
  credentialVariables: string[];
}

/** Replaces `{name}` placeholders; a missing variable is a bug (the hook that provides it did not run). */
export function expandTemplate(template: string, vars: TemplateVars): string {
  return template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
    const value = vars[name as TemplateVariable];
    if (value === undefined) throw new Error(`URL template variable {${name}} has no value`);
    return value;
  });
}

export function templateVariablesOf(template: string): string[] {
  return [...template.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!);
}
