/**
 * The shape of a provider definition: everything the hub knows about an OAuth provider, as data.
 * Code exists only for the real exceptions, each in one named hook (see hooks/).
 *
 * URLs may be templates: `{shop}` (Shopify, from the connect input) and `{accounts_server}`
 * (Zoho, from the callback, allowlisted). The same names are the keys of the connection's
 * metadata, so a later refresh or revocation expands them from the stored connection.
 *
 * The request shapes (token presentation, identity, revocation, templates) live in oauth/specs.ts,
 * the protocol layer's own vocabulary, and are re-exported here.
 */
import type { ClientAuthMethod, ClientCredentials, IdentitySpec, RevocationSpec } from '../oauth/specs.js';

export {
  TEMPLATE_VARIABLES,
  expandTemplate,
  templateVariablesOf,
  type ClientAuthMethod,
  type ClientCredentials,
  type IdentityFields,
  type IdentitySpec,
  type RevocationSpec,
  type TemplateVariable,
  type TemplateVars,
  type TokenPresentation,
} from '../oauth/specs.js';

export type AuthMode = 'oauth2' | 'oauth1a';
export type HookName = 'shopify' | 'zoho' | 'trello';
export const HOOK_NAMES: readonly HookName[] = ['shopify', 'zoho', 'trello'];

export interface RefreshSpec {
  supported: boolean;
  /** Every refresh returns a new refresh token and kills the old one (Box, Shopify). */
  rotatesRefreshToken: boolean;
  /** The provider's own words for a dead grant, besides `invalid_grant` (Zoho `invalid_code`). */
  deadGrantErrors?: string[];
  /** The provider's own words for "try again later", besides `server_error` / `temporarily_unavailable` (Zoho `Access Denied`). */
  transientErrors?: string[];
}

/**
 * How long a refresh token (or, without one, the grant) lives at the provider, from its
 * documentation (docs/providers.md): the operator console's "expiring soon" reads this.
 */
export interface RefreshTokenLifetime {
  /** Dies this many days after it was issued, used or not (Box 60, Shopify 90). */
  absoluteDays?: number;
  /** Dies after this many days without use (Google: six months ≈ 180). */
  idleDays?: number;
  /** What else ends it, in one sentence. */
  note: string;
  /** The provider's documentation page it comes from. */
  source: string;
}

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
  refreshTokenLifetime?: RefreshTokenLifetime;
  /**
   * The provider keeps one live grant per app and account (Shopify: one expiring offline token
   * per app and shop): a new connect of the account kills every other connection of it.
   */
  singleGrantPerAccount?: boolean;
  /** Shopify Admin API version of the identity URL (`/admin/api/<version>/`); overridable. */
  apiVersion?: string;
  /** Zoho: allowed accounts servers; the first is where authorization starts (and the default). */
  accountsServers?: string[];
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

