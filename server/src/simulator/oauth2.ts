/**
 * The OAuth 2 authorization-code engine shared by the six OAuth 2 providers.
 *
 * Providers are data here (an `OAuth2Profile`): paths, PKCE support, client authentication,
 * scope syntax, code lifetime, refresh-token policy and response shapes. Real quirks that
 * are not data (Google's "no refresh token on re-consent", Shopify's HMAC, Zoho's data
 * centres) are hooks named in the profile and implemented in the provider's own file.
 *
 * Error handling follows RFC 6749: as long as the client or redirect_uri is not trusted the
 * user sees an error page (400) and nothing is redirected (§4.1.2.1); after that, errors go
 * back to the redirect_uri with `error` and `state`.
 */
import { createHash } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { authenticateClient } from './client-auth.js';
import { consentPostHandler, formAction, renderConsentPage, renderErrorPage } from './consent.js';
import type { SimContext } from './context.js';
import {
  bagFromJson,
  emptyBag,
  isValidRedirectUri,
  sendOAuthError,
  sendTokenJson,
  withParams,
  type ParamBag,
  type ParsedBody,
} from './http.js';
import type { AccessTokenRecord, AuthCode, Grant, GrantStore, RefreshTokenRecord } from './store.js';
import type { EndpointName, IssueTokensInput, SimulatedProviderId, TokenResponse } from './types.js';

export type OAuth2ProviderId = Exclude<SimulatedProviderId, 'trello'>;

export type Outcome<T> = ({ ok: true } & T) | { ok: false; error: string; description: string };

/** What a code exchange (or a direct issue) creates. */
export interface IssuePlan {
  scopes: string[];
  refresh: boolean;
  /** Access-token lifetime in seconds; null = never expires. */
  accessTtl: number | null;
  meta?: Record<string, unknown>;
}

export interface TokenResponseContext {
  grant: Grant;
  access: AccessTokenRecord;
  /** The refresh token to hand out in this response (absent = the response carries none). */
  refresh: RefreshTokenRecord | undefined;
  kind: 'code' | 'refresh';
}

export interface OAuth2Profile {
  id: OAuth2ProviderId;
  displayName: string;
  /** Route prefix inside the router: `/google`, `/shopify/:shop`, `/zoho/:dc`. */
  prefix: string;
  /** Paths after the prefix. */
  paths: { authorize: string; token: string };
  /** Shop or data centre taken from the route; validated before anything else. */
  tenant?(req: Request): Outcome<{ value: string }>;
  /** Prefilled login on the consent page. */
  loginPlaceholder: string;
  pkce: boolean;
  /** Reads `Authorization: Basic` (else only client_id/client_secret in the body count). */
  clientAuthBasic: boolean;
  /** Zoho documents token parameters in the query string; merge them with the body. */
  tokenParamsInQuery?: boolean;
  /** Google and Shopify also accept a JSON token request. */
  acceptJsonTokenRequest?: boolean;
  /** Shopify's authorize has no response_type and its code exchange no grant_type. */
  noResponseType?: boolean;
  stateRequired?: boolean;
  scopes: {
    separator: ' ' | ',';
    required: boolean;
    valid(scope: string): boolean;
    /** Granted when none are requested (and used by issueTokens). */
    defaults: string[];
  };
  codeTtlSeconds: number;
  /** RFC 6749 §4.1.3: required when it was on the authorize request; Box and Shopify do not ask for it. */
  tokenRedirectUriRequired: boolean;
  /** Error code for a redirect_uri that differs from the authorize one (Google has its own). */
  redirectMismatchError?: string;
  /** Validates provider-specific authorize parameters; returns those the later steps need. */
  authorizeParams?(query: ParamBag): Outcome<{ keep: Record<string, string> }>;
  consent?: {
    dataCenters?(tenant: string | undefined): { options: readonly string[]; selected: string };
    details?(tenant: string | undefined, keep: Record<string, string>): Array<[string, string]>;
    /** Tenant the code is bound to (Zoho: the data centre chosen on the consent page). */
    codeTenant?(form: ParamBag, tenant: string | undefined): Outcome<{ tenant: string | undefined }>;
    loginDefault?(keep: Record<string, string>): string | undefined;
  };
  /** Adds provider parameters to the success callback (Zoho location, Shopify hmac …). */
  decorateCallback?(url: URL, code: AuthCode): void;
  /** Decides what a code exchange issues (refresh token or not, lifetime, scopes). */
  codeExchange(ctx: { code: AuthCode; tokenParams: ParamBag; store: GrantStore; accessTtl: number }): Outcome<{ plan: IssuePlan }>;
  /** Same decision for issueTokens(). */
  issuePlan(input: IssueTokensInput, accessTtl: number): IssuePlan;
  /** Tenant for issueTokens() (Shopify shop, Zoho data centre); throws on an invalid one. */
  issueTenant?(input: IssueTokensInput): string;
  refresh: {
    /** Box, Shopify: every refresh returns a new refresh token and kills the old one. */
    rotate: boolean;
    ttlSeconds: number | null;
    /** "N refresh tokens per user and client; the next one deletes the oldest" (Zoho 20, Google 100). */
    maxPerUser?: number;
    /**
     * Grace period of a rotated refresh token, until its replacement is used: `same-pair` (Box)
     * answers a reuse with the pair its first use produced; `previous-valid` (Shopify since
     * 2026-08-28) lets it refresh again, which issues a new pair and retires the unused replacement.
     */
    grace?: 'same-pair' | 'previous-valid';
  };
  /**
   * Zoho answers refused refreshes in its own way (HTTP 200 with its error words) and throttles
   * them: `dead` answers an unknown, revoked or foreign refresh token; `throttle` limits how many
   * access tokens one refresh token may mint per window (on the simulator's clock).
   */
  refreshRefusals?: {
    dead(res: Response): void;
    throttle?: { perRefreshToken: number; windowSeconds: number; answer(res: Response): void };
  };
  /** Runs after a code exchange or issueTokens() created a grant (Shopify: one live offline grant per shop). */
  onGrantCreated?(grant: Grant, store: GrantStore): void;
  tokenResponse(ctx: TokenResponseContext): TokenResponse;
}

const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Splits and validates a scope string; `undefined` = the parameter was absent or empty. */
export function parseScopes(raw: string | undefined, profile: Pick<OAuth2Profile, 'scopes'>): Outcome<{ scopes: string[] | undefined }> {
  if (raw === undefined || raw === '') return { ok: true, scopes: undefined };
  const parts = raw.split(profile.scopes.separator);
  const bad = parts.find((s) => s === '' || !profile.scopes.valid(s));
  if (bad !== undefined) {
    return { ok: false, error: 'invalid_scope', description: `Invalid scope: ${JSON.stringify(bad)} (scopes are ${profile.scopes.separator === ' ' ? 'space' : 'comma'}-separated)` };
  }
  return { ok: true, scopes: [...new Set(parts)] };
}

/** Seconds until expiry, as the `expires_in` of a response. */
export function expiresIn(access: AccessTokenRecord, now: number): number | undefined {
  return access.expiresAt === null ? undefined : Math.max(0, Math.round((access.expiresAt - now) / 1000));
}

/** Parameters of a token request: form body (or JSON where accepted), plus the query for Zoho. */
function tokenParams(profile: OAuth2Profile, query: ParamBag, body: ParsedBody): ParamBag {
  let bag: ParamBag;
  if (body.contentType === 'application/x-www-form-urlencoded') bag = body.form;
  else if (body.contentType === 'application/json' && profile.acceptJsonTokenRequest) bag = bagFromJson(body.json);
  else bag = emptyBag();
  if (profile.tokenParamsInQuery) {
    const merged: ParamBag = { values: Object.assign(Object.create(null) as Record<string, string>, bag.values), duplicates: [...bag.duplicates, ...query.duplicates] };
    for (const [k, v] of Object.entries(query.values)) {
      if (k in merged.values) merged.duplicates.push(k);
      else merged.values[k] = v;
    }
    return merged;
  }
  return bag;
}

function tokenEndpointName(profile: OAuth2Profile, params: ParamBag): EndpointName {
  const grantType = params.values.grant_type;
  if (grantType === 'authorization_code') return 'token_code';
  if (grantType === 'refresh_token') return 'token_refresh';
  if (grantType === undefined && profile.noResponseType && params.values.code !== undefined) return 'token_code';
  return 'token';
}

export class OAuth2Engine {
  /** Per refresh token, when it minted access tokens (for `refreshRefusals.throttle`). */
  private readonly refreshUses = new Map<string, number[]>();

  constructor(
    private readonly ctx: SimContext,
    readonly profile: OAuth2Profile,
  ) {}

  private get store(): GrantStore {
    return this.ctx.store(this.profile.id);
  }

  mount(router: Router): void {
    const { prefix, paths } = this.profile;
    router.get(prefix + paths.authorize, (req, res) => this.authorize(req, res));
    router.post(prefix + paths.authorize, consentPostHandler(this.ctx, this.profile.id));
    router.post(prefix + paths.token, (req, res) => this.token(req, res));
  }

  /** Route tenant (shop / data centre), or undefined for single-host providers. */
  private tenantOf(req: Request): Outcome<{ value: string | undefined }> {
    return this.profile.tenant ? this.profile.tenant(req) : { ok: true, value: undefined };
  }

  private async authorize(req: Request, res: Response): Promise<void> {
    const p = this.profile;
    const entered = await this.ctx.instrumentation.enter(req, res, p.id, 'authorize');
    if (!entered) return;
    const q = entered.query;

    // --- Not yet trusted: error page, never a redirect. ---
    const tenant = this.tenantOf(req);
    if (!tenant.ok) return renderErrorPage(res, 400, tenant.error, tenant.description);
    if (q.duplicates.includes('client_id') || q.duplicates.includes('redirect_uri')) {
      return renderErrorPage(res, 400, 'invalid_request', 'client_id and redirect_uri must appear once.');
    }
    const client = this.ctx.client(p.id);
    const clientId = q.values.client_id;
    if (!clientId) return renderErrorPage(res, 400, 'invalid_request', 'Missing required parameter: client_id');
    if (clientId !== client.clientId) return renderErrorPage(res, 400, 'invalid_client', 'The OAuth client was not found.');
    const redirectUri = q.values.redirect_uri;
    if (!redirectUri) return renderErrorPage(res, 400, 'invalid_request', 'Missing required parameter: redirect_uri');
    if (!isValidRedirectUri(redirectUri) || (client.redirectUris && !client.redirectUris.includes(redirectUri))) {
      return renderErrorPage(res, 400, 'redirect_uri_mismatch', `The redirect URI ${redirectUri} is not registered for this client.`);
    }

    // --- Trusted redirect_uri: errors go back to the client. ---
    const state = q.values.state;
    const fail = (error: string, description: string) =>
      res.set('Cache-Control', 'no-store').redirect(302, withParams(redirectUri, { error, error_description: description, state }));
    if (q.duplicates.length > 0) return fail('invalid_request', `Duplicate parameter: ${q.duplicates.join(', ')}`);
    if (!p.noResponseType) {
      const rt = q.values.response_type;
      if (rt === undefined) return fail('invalid_request', 'Missing required parameter: response_type');
      if (rt !== 'code') return fail('unsupported_response_type', `Unsupported response_type: ${rt}`);
    }
    if (p.stateRequired && !state) return fail('invalid_request', 'The state parameter is required.');
    const scopes = parseScopes(q.values.scope, p);
    if (!scopes.ok) return fail(scopes.error, scopes.description);
    if (!scopes.scopes && p.scopes.required) return fail('invalid_request', 'Missing required parameter: scope');

    let codeChallenge: string | undefined;
    if (p.pkce) {
      codeChallenge = q.values.code_challenge;
      const method = q.values.code_challenge_method;
      if (codeChallenge === undefined && method !== undefined) return fail('invalid_request', 'code_challenge_method without code_challenge');
      if (codeChallenge !== undefined) {
        // A missing method means "plain" (RFC 7636 §4.3), which the simulator refuses.
        if (method !== 'S256') return fail('invalid_request', 'Only code_challenge_method=S256 is supported.');
        if (!PKCE_VALUE.test(codeChallenge)) return fail('invalid_request', 'Invalid code_challenge.');
      }
    }
    const extras = p.authorizeParams ? p.authorizeParams(q) : { ok: true as const, keep: {} };
    if (!extras.ok) return fail(extras.error, extras.description);
    const keep = extras.keep;
    const granted = scopes.scopes ?? p.scopes.defaults;

    const pending = this.ctx.consents.add({
      provider: p.id,
      path: req.path,
      decide: ({ decision, login, form }) => {
        if (decision === 'deny') return { redirect: withParams(redirectUri, { error: 'access_denied', state }) };
        const bound = p.consent?.codeTenant ? p.consent.codeTenant(form, tenant.value) : { ok: true as const, tenant: tenant.value };
        if (!bound.ok) return { error: bound.description };
        const code = this.store.saveCode({
          clientId,
          redirectUri,
          tenant: bound.tenant,
          scopes: granted,
          login,
          codeChallenge,
          expiresAt: this.ctx.now() + p.codeTtlSeconds * 1000,
          authParams: keep,
        });
        const url = new URL(redirectUri);
        url.searchParams.append('code', code.code);
        if (state !== undefined) url.searchParams.append('state', state);
        p.decorateCallback?.(url, code);
        return { redirect: url.toString() };
      },
    });
    renderConsentPage(res, {
      providerName: p.displayName,
      appName: clientId,
      scopes: granted,
      loginDefault: p.consent?.loginDefault?.(keep) ?? p.loginPlaceholder,
      action: formAction(req),
      requestId: pending.id,
      ...(p.consent?.dataCenters ? { dataCenters: p.consent.dataCenters(tenant.value) } : {}),
      ...(p.consent?.details ? { details: p.consent.details(tenant.value, keep) } : {}),
    });
  }

  private async token(req: Request, res: Response): Promise<void> {
    const p = this.profile;
    let params = emptyBag();
    const entered = await this.ctx.instrumentation.enter(req, res, p.id, (query, body) => {
      params = tokenParams(p, query, body);
      return tokenEndpointName(p, params);
    });
    if (!entered) return;
    if (entered.body.jsonError) return sendOAuthError(res, 400, 'invalid_request', 'The request body is not valid JSON.');
    const tenant = this.tenantOf(req);
    if (!tenant.ok) return sendOAuthError(res, 400, tenant.error, tenant.description);
    if (params.duplicates.length > 0) return sendOAuthError(res, 400, 'invalid_request', `Duplicate parameter: ${params.duplicates.join(', ')}`);

    const auth = authenticateClient(req, params, this.ctx.client(p.id), { basic: p.clientAuthBasic });
    if (!auth.ok) return sendOAuthError(res, auth.status, auth.error, auth.description, auth.headers);

    const grantType = params.values.grant_type ?? (p.noResponseType && params.values.code !== undefined ? 'authorization_code' : undefined);
    if (grantType === 'authorization_code') return this.exchangeCode(res, params, auth.clientId, tenant.value);
    if (grantType === 'refresh_token') return this.refresh(res, params, auth.clientId, tenant.value);
    if (grantType === undefined) return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: grant_type');
    return sendOAuthError(res, 400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}`);
  }

  private exchangeCode(res: Response, params: ParamBag, clientId: string, tenant: string | undefined): void {
    const p = this.profile;
    const now = this.ctx.now();
    const value = params.values.code;
    if (!value) return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: code');
    const code = this.store.codes.get(value);
    // A code from another shop / data centre is simply unknown there.
    if (!code || code.expiresAt <= now || code.tenant !== tenant) {
      return sendOAuthError(res, 400, 'invalid_grant', 'The authorization code is invalid or expired.');
    }
    if (code.clientId !== clientId) return sendOAuthError(res, 400, 'invalid_grant', 'The authorization code was issued to another client.');
    if (code.usedAt !== undefined) {
      // RFC 6749 §4.1.2: a replayed code SHOULD revoke the tokens issued from it.
      const grant = code.grantId ? this.store.grants.get(code.grantId) : undefined;
      if (grant) this.store.revokeGrant(grant);
      return sendOAuthError(res, 400, 'invalid_grant', 'The authorization code has already been used.');
    }
    const redirectUri = params.values.redirect_uri;
    if (redirectUri === undefined) {
      if (p.tokenRedirectUriRequired) return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: redirect_uri');
    } else if (redirectUri !== code.redirectUri) {
      return sendOAuthError(res, 400, p.redirectMismatchError ?? 'invalid_grant', 'redirect_uri does not match the one of the authorization request.');
    }
    if (code.codeChallenge !== undefined) {
      const verifier = params.values.code_verifier;
      if (verifier === undefined) return sendOAuthError(res, 400, 'invalid_grant', 'Missing code verifier.');
      if (!PKCE_VALUE.test(verifier) || s256(verifier) !== code.codeChallenge) {
        return sendOAuthError(res, 400, 'invalid_grant', 'Invalid code verifier.');
      }
    }
    const decision = p.codeExchange({ code, tokenParams: params, store: this.store, accessTtl: this.ctx.accessTtl(p.id) });
    if (!decision.ok) return sendOAuthError(res, 400, decision.error, decision.description);

    code.usedAt = now;
    const { grant, access, refresh } = this.createGrant(clientId, code.login, code.tenant, decision.plan);
    code.grantId = grant.id;
    sendTokenJson(res, p.tokenResponse({ grant, access, refresh, kind: 'code' }));
  }

  private refresh(res: Response, params: ParamBag, clientId: string, tenant: string | undefined): void {
    const p = this.profile;
    const token = params.values.refresh_token;
    if (!token) return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: refresh_token');
    const grace = p.refresh.grace ? this.store.graceOf(token) : undefined;
    const inGrace = grace !== undefined && grace.grant.clientId === clientId && grace.grant.tenant === tenant;
    if (inGrace && p.refresh.grace === 'same-pair') {
      // Box: a retry with the just-used refresh token gets the very pair the first use produced.
      return sendTokenJson(res, p.tokenResponse({ grant: grace.grant, access: grace.access, refresh: grace.replacement, kind: 'refresh' }));
    }
    const found = this.store.lookupRefresh(token);
    if (!inGrace && (found.status !== 'valid' || found.grant.clientId !== clientId || found.grant.tenant !== tenant)) {
      const why =
        found.status === 'rotated'
          ? 'The refresh token has already been used (refresh tokens are single use).'
          : found.status === 'valid'
            ? 'The refresh token was issued to another client.'
            : 'Token has been expired or revoked.';
      if (p.refreshRefusals) return p.refreshRefusals.dead(res);
      return sendOAuthError(res, 400, 'invalid_grant', why);
    }
    if (found.status === 'unknown') return sendOAuthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
    const grant = found.grant;
    let scopes = grant.scopes;
    if (params.values.scope !== undefined) {
      // Down-scoping on refresh (RFC 6749 §6): only a subset of the grant is allowed.
      const requested = parseScopes(params.values.scope, p);
      if (!requested.ok) return sendOAuthError(res, 400, requested.error, requested.description);
      if (requested.scopes?.some((s) => !grant.scopes.includes(s))) {
        return sendOAuthError(res, 400, 'invalid_scope', 'The requested scope exceeds the scope granted by the resource owner.');
      }
      scopes = requested.scopes ?? grant.scopes;
    }
    const throttle = p.refreshRefusals?.throttle;
    if (throttle) {
      // A sliding window per refresh token: the N+1st access token inside it is refused.
      const now = this.ctx.now();
      const recent = (this.refreshUses.get(token) ?? []).filter((at) => at > now - throttle.windowSeconds * 1000);
      if (recent.length >= throttle.perRefreshToken) {
        this.refreshUses.set(token, recent);
        return throttle.answer(res);
      }
      this.refreshUses.set(token, [...recent, now]);
    }
    const access = this.store.issueAccessToken(grant, scopes);
    const rotated = p.refresh.rotate ? this.store.issueRefreshToken(grant, p.refresh.ttlSeconds) : undefined;
    found.record.usedAt = this.ctx.now();
    if (rotated && p.refresh.grace) found.record.grace = { replacement: rotated.token, access: access.token };
    sendTokenJson(res, p.tokenResponse({ grant, access, refresh: rotated, kind: 'refresh' }));
  }

  private createGrant(clientId: string, login: string, tenant: string | undefined, plan: IssuePlan) {
    const p = this.profile;
    const grant = this.store.createGrant({ clientId, login, tenant, scopes: plan.scopes, accessTtlSeconds: plan.accessTtl, meta: plan.meta ?? {} });
    const access = this.store.issueAccessToken(grant);
    const refresh = plan.refresh ? this.store.issueRefreshToken(grant, p.refresh.ttlSeconds) : undefined;
    if (refresh && p.refresh.maxPerUser !== undefined) this.store.enforceRefreshTokenLimit(clientId, login, p.refresh.maxPerUser);
    p.onGrantCreated?.(grant, this.store);
    return { grant, access, refresh };
  }

  /** Sim.issueTokens(): a grant without consent, answered like the token endpoint would. */
  issueTokens(input: IssueTokensInput): TokenResponse {
    const p = this.profile;
    const login = input.login?.trim();
    if (!login) throw new TypeError('issueTokens: login is required');
    const clientId = input.clientId ?? this.ctx.client(p.id).clientId;
    const tenant = p.issueTenant?.(input);
    const plan = p.issuePlan(input, this.ctx.accessTtl(p.id));
    const { grant, access, refresh } = this.createGrant(clientId, login, tenant, plan);
    return p.tokenResponse({ grant, access, refresh, kind: 'code' });
  }
}

/** The bearer-style access token of an API request, looked up in a provider's store. */
export function lookupAccessToken(store: GrantStore, token: string | undefined, tenant?: string) {
  const found = store.lookupAccess(token);
  if (found.status !== 'unknown' && found.grant.tenant !== tenant) return { status: 'unknown' as const };
  return found;
}
