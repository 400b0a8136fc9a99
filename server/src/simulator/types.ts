/**
 * Public types of the provider simulator. Kept free of express so the hub can import them
 * without pulling it into places that do not need it (the Zoho data centres come from the catalog).
 */
import { ZOHO_DATA_CENTRES } from '../providers/catalog.js';
import type { BuiltInProviderId } from '../providers/ids.js';
import type { SimulatedProvider } from './context.js';

/** A built-in simulated provider's id: the catalog's (providers/ids.ts), the one list of them. */
export type ProviderId = BuiltInProviderId;
/** Any simulated provider's id: a built-in one, or one a test added (SimulatorOptions.providers). */
export type SimulatedProviderId = string;

/**
 * A Zoho data centre as the simulator names it in its paths: the accounts server's host without
 * `accounts.zoho.` (`com`, `eu`, `uk` …) or, for Canada, without `accounts.` (`zohocloud.ca`).
 */
export type ZohoDataCenter = string;

/** The simulator's id of one of the catalog's Zoho accounts servers. */
export function zohoDataCenterOf(accountsServer: string): ZohoDataCenter {
  const host = new URL(accountsServer).hostname;
  return host.startsWith('accounts.zoho.') ? host.slice('accounts.zoho.'.length) : host.replace(/^accounts\./, '');
}

/** Zoho's data centres, derived from the catalog's one list (ZOHO_DATA_CENTRES): the first is `com`. */
export const ZOHO_DATA_CENTERS: readonly ZohoDataCenter[] = ZOHO_DATA_CENTRES.map((dc) => zohoDataCenterOf(dc.accountsServer));

/** The API domain the catalog names for a simulator data centre. */
export function zohoApiDomainOf(dc: ZohoDataCenter): string | undefined {
  return ZOHO_DATA_CENTRES.find((d) => zohoDataCenterOf(d.accountsServer) === dc)?.apiDomain;
}

/** Zoho's `location` callback parameter for a simulator data centre (`com` → `us`). */
export function zohoLocationOf(dc: ZohoDataCenter): string | undefined {
  return ZOHO_DATA_CENTRES.find((d) => zohoDataCenterOf(d.accountsServer) === dc)?.location;
}

export function isZohoDataCenter(value: unknown): value is ZohoDataCenter {
  return typeof value === 'string' && ZOHO_DATA_CENTERS.includes(value);
}

export interface SimulatorClient {
  clientId: string;
  clientSecret: string;
  /**
   * Registered redirect URIs (OAuth 2) / allowed callbacks (Trello). When set, the authorize
   * step only accepts an exact match, like a real provider's app console. When omitted, any
   * absolute http(s) URL is accepted (the hub's PUBLIC_URL differs between test runs).
   */
  redirectUris?: string[];
}

export interface SimulatorOptions {
  /** Client credentials per provider; default `{ clientId: 'sandbox-<id>-client', clientSecret: 'sandbox-<id>-secret' }`. */
  clients?: Partial<Record<SimulatedProviderId, SimulatorClient>>;
  /** Access-token lifetime per provider (seconds). Defaults: each entry's `accessTokenTtlSeconds`. */
  accessTokenTtlSeconds?: Partial<Record<SimulatedProviderId, number>>;
  /** How many recorded requests to keep (oldest dropped first). Default 10 000. */
  maxRecordedRequests?: number;
  /** Simulated providers beyond the built-in ones (providers/index.ts), e.g. a test's throwaway provider. */
  providers?: readonly SimulatedProvider[];
  /** Provider behaviour switches at start (and after every reset()); default DEFAULT_BEHAVIOUR. */
  behaviour?: BehaviourPatch;
}

/**
 * Switches for provider behaviour the documentation leaves open, so tests can run the hub
 * against each variant. Like faults, they go back to their defaults on reset().
 */
export interface SimulatorBehaviour {
  trello: {
    /**
     * `oauth_callback_confirmed` in the request-token answer: `true` (RFC 5849 §2.1), `absent`
     * (Trello's documentation never shows the answer, so the hub must not require it) or `false`.
     */
    callbackConfirmed: 'true' | 'absent' | 'false';
  };
  shopify: {
    /**
     * Extra parameters on the success callback, covered by its HMAC like Shopify's own (`host`,
     * `locale`, `embedded` …): values with `=`, `&`, `%` or spaces prove the HMAC is computed
     * over the query as Shopify's library re-encodes it. At most 8, names and values ≤ 200 chars.
     */
    extraCallbackParams: Record<string, string>;
  };
}

export type BehaviourPatch = { [P in keyof SimulatorBehaviour]?: Partial<SimulatorBehaviour[P]> };

export const DEFAULT_BEHAVIOUR: SimulatorBehaviour = {
  trello: { callbackConfirmed: 'true' },
  shopify: { extraCallbackParams: {} },
};

/**
 * Where the hub's catalog entry must point to use a simulated provider (sandbox mode): the
 * catalog keys an OAUTH_PROVIDERS_FILE entry would replace, nothing else.
 */
export interface HubOverride {
  authorizationUrl?: string;
  tokenUrl?: string;
  requestTokenUrl?: string;
  userInfoUrl?: string;
  revocationUrl?: string;
  accountsServers?: string[];
}

export type FaultKind = 'http500' | 'slow' | 'malformed' | 'invalid_grant' | 'http429';

export interface Fault {
  kind: FaultKind;
  /** How many requests the fault applies to; default: until cleared. */
  times?: number;
  /** For `slow`: how long to wait before answering normally. Default 30 000 ms. */
  delayMs?: number;
  /** For `http429`: the `Retry-After` value, delay-seconds (`"120"`) or an HTTP date; omitted when unset. */
  retryAfter?: string;
}

/**
 * Stable endpoint names used by counters, recorded requests and faults.
 * OAuth 2 providers: authorize, consent, token_code, token_refresh, token (any other grant_type),
 * revoke, userinfo. Trello: request_token, authorize, consent, access_token, userinfo, revoke.
 */
export type EndpointName =
  | 'authorize'
  | 'consent'
  | 'token_code'
  | 'token_refresh'
  | 'token'
  | 'revoke'
  | 'userinfo'
  | 'request_token'
  | 'access_token';

export const ENDPOINT_NAMES: readonly EndpointName[] = [
  'authorize',
  'consent',
  'token_code',
  'token_refresh',
  'token',
  'revoke',
  'userinfo',
  'request_token',
  'access_token',
];

export interface RecordedRequest {
  /** Simulator clock (ms since epoch) when the request arrived. */
  at: number;
  provider: SimulatedProviderId;
  endpoint: EndpointName;
  method: string;
  /** Path inside the simulator router, e.g. `/google/token` (no mount prefix, no query). */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** Parsed body: form fields as an object, JSON as parsed, otherwise the raw text (or undefined). */
  body: unknown;
  /** Content type of the body as sent (without parameters), if any. */
  contentType?: string;
  /** HTTP status the simulator answered with (set when the response finished). */
  status?: number;
}

export interface IssueTokensInput {
  login: string;
  scopes?: string[];
  /** Shopify: full shop domain `name.myshopify.com`; default `sandbox-shop.myshopify.com`. */
  shop?: string;
  /** Zoho: data centre; default `com`. */
  dataCenter?: string;
  /** Access-token lifetime for this grant (seconds); default: the provider's configured TTL. */
  expiresInSeconds?: number;
  /**
   * Whether a refresh token is issued. Default true. Maps to Google/Zoho `access_type=offline`,
   * Dropbox `token_access_type=offline`, Shopify `expiring=1`; Asana and Box always have one.
   */
  offline?: boolean;
  /** Defaults to the configured client of that provider. */
  clientId?: string;
}

/** A token-endpoint-shaped response. Trello's carries oauth_token/oauth_token_secret (access_token = oauth_token). */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  [extra: string]: unknown;
}
