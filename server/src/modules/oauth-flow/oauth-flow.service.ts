import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { ModuleServices } from '../services.js';
import type { Logger } from '../../logging/logger.js';
import { exchangeAuthorizationCode } from '../../oauth/authorization-code.js';
import { OAuthError } from '../../oauth/errors.js';
import { fetchIdentity, type ProviderIdentity } from '../../oauth/identity.js';
import { buildAuthorizationUrl, type OAuth2ClientConfig } from '../../oauth/oauth2.js';
import { hashState, newCodeVerifier, newState, STATE_FORMAT } from '../../oauth/pkce.js';
import { splitScopes, type TokenSet } from '../../oauth/token-set.js';
import type { CallbackCheck } from '../../providers/hooks/index.js';
import { expandTemplate, type ClientCredentials, type ResolvedProvider, type TemplateVars } from '../../providers/types.js';
import { PENDING_AUTHORIZATION_COLUMNS, placeOf } from '../../vault/encrypted-columns.js';
import { providerNotConfigured, providerUnavailable, rateLimited, unknownProvider } from '../../shared/errors.js';
import { AuditActorType, AuditOutcome } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { ConnectionService, SUPERSEDED } from '../connections/connection.service.js';
import { revokeReplacedGrant } from '../token-lifecycle/disconnect.service.js';
import { FAILURE_MESSAGES, isRejection, type CallbackFailureReason } from './failure.js';
import { PENDING_AUTHORIZATION_TTL_MS } from './pending-authorization.entity.js';
import { PendingAuthorizationRepository, type PendingValues } from './pending-authorization.repository.js';
import { safeReturnTo } from './return-to.js';

export interface ConnectRequest {
  provider: string;
  shop?: string | null | undefined;
  returnTo?: string | null | undefined;
}

export interface CallbackRequest {
  provider: string;
  /** The callback's raw query. */
  query: URLSearchParams;
  /** The signed-in user, if any. */
  userId: string | null;
  ip?: string | undefined;
}

export type CallbackOutcome =
  | { kind: 'redirect'; location: string; reason?: CallbackFailureReason }
  /** A callback that cannot be trusted: a plain 400 page with a link back to the dashboard. */
  | { kind: 'page'; status: 400 | 404; reason: CallbackFailureReason | 'unknown_provider'; message: string; dashboardUrl: string };

/**
 * Connect and callback: the two halves of every authorization flow. Provider differences come
 * from the catalog (data) and its named hooks; this class only sequences the steps and applies
 * every check of S01–S13 in one place.
 */
export class OAuthFlowService {
  private readonly audit = new AuditService();
  private readonly pendingAuthorizations: PendingAuthorizationRepository;

  constructor(
    private readonly services: ModuleServices,
    private readonly em: EntityManager,
    private readonly log: Logger = services.logger,
  ) {
    this.pendingAuthorizations = new PendingAuthorizationRepository(em);
  }

  /** The redirect URI registered at every provider; never taken from a request (S07). */
  redirectUri(providerId: string): string {
    return `${this.services.config.publicUrl}/api/oauth/${providerId}/callback`;
  }

  /**
   * Starts a connect: validates the input (S10: before any redirect), stores a fresh pending
   * authorization (S01) and returns the provider's authorization URL.
   * @throws AppError UNKNOWN_PROVIDER, PROVIDER_NOT_CONFIGURED, BAD_USER_INPUT (field shop), PROVIDER_UNAVAILABLE
   */
  async start(userId: string, request: ConnectRequest, ip?: string): Promise<string> {
    const provider = this.services.providers.get(request.provider);
    if (!provider) throw unknownProvider();
    const id = provider.definition.id;
    const credentials = provider.credentials;
    if (!credentials) {
      await this.record(userId, 'oauth.connect_start', id, AuditOutcome.FAILURE, 'not_configured', ip);
      throw providerNotConfigured(
        `Set ${provider.credentialVariables.join(' and ')} to connect ${provider.definition.displayName}`,
        provider.credentialVariables,
        'provider',
      );
    }
    const hook = this.services.providers.hookOf(provider);
    const vars: TemplateVars = hook?.connectInput?.({ shop: request.shop }, provider) ?? {};

    const state = newState();
    const redirectUri = this.redirectUri(id);
    const pending: PendingValues = {
      id: randomUUID(),
      stateHash: hashState(state),
      provider: id,
      shop: vars.shop ?? null,
      returnTo: safeReturnTo(request.returnTo),
      redirectUri,
      pkceVerifierEnc: null,
      requestToken: null,
      requestTokenSecretEnc: null,
      expiresAt: new Date(Date.now() + PENDING_AUTHORIZATION_TTL_MS),
    };
    const seal = (value: string, column: (typeof PENDING_AUTHORIZATION_COLUMNS)[keyof typeof PENDING_AUTHORIZATION_COLUMNS]) =>
      this.services.vault.encrypt(value, placeOf(column, userId, pending.id));

    let authorizationUrl: string;
    if (hook?.flow) {
      // The slot is taken BEFORE the request-token call, so parallel connects cannot make more
      // outbound calls than the bound allows (S37); a failed call gives the slot back.
      await this.insertBounded(userId, id, pending, ip, false);
      // OAuth 1.0a has no state parameter: the hub's own travels in the callback URL.
      const callbackUrl = `${redirectUri}?state=${state}`;
      let begun;
      try {
        begun = await hook.flow.begin({ http: this.services.oauthHttp, provider, credentials, callbackUrl });
      } catch (err) {
        await this.pendingAuthorizations.remove(pending.id);
        if (!(err instanceof OAuthError)) throw err;
        this.log.warn({ provider: id, error: err.code, status: err.status }, 'connect: request token failed');
        await this.record(userId, 'oauth.connect_start', id, AuditOutcome.FAILURE, 'provider_unavailable', ip);
        throw providerUnavailable(`${provider.definition.displayName} did not answer; try again in a moment`);
      }
      authorizationUrl = begun.authorizationUrl;
      const requestTokenSecretEnc = seal(begun.requestTokenSecret, PENDING_AUTHORIZATION_COLUMNS.requestTokenSecret);
      await this.em.transactional(async (tx) => {
        await new PendingAuthorizationRepository(tx).setRequestToken(pending.id, begun.requestToken, requestTokenSecretEnc);
        await this.record(userId, 'oauth.connect_start', id, AuditOutcome.SUCCESS, null, ip, tx);
      });
    } else {
      const verifier = provider.definition.pkce ? newCodeVerifier() : undefined;
      if (verifier !== undefined) pending.pkceVerifierEnc = seal(verifier, PENDING_AUTHORIZATION_COLUMNS.pkceVerifier);
      authorizationUrl = buildAuthorizationUrl(this.services.oauthHttp, this.oauth2Config(provider, credentials, vars, redirectUri), {
        state,
        ...(verifier !== undefined ? { codeVerifier: verifier } : {}),
      });
      await this.insertBounded(userId, id, pending, ip, true);
    }
    this.log.info({ provider: id }, 'connect started');
    return authorizationUrl;
  }

  /**
   * Stores a pending authorization unless the user already holds MAX_PENDING_AUTHORIZATIONS live
   * ones (unused and unexpired, S37); with `recordSuccess`, the connect's audit event commits with it.
   *
   * The connect over the bound is REFUSED (RATE_LIMITED, with the seconds until the oldest expires)
   * rather than evicting the oldest: eviction would still let one session drive an unbounded
   * number of outbound request-token calls (Trello) and row writes, one after another, and
   * silently break a connect the user may still be finishing in another tab. The person who
   * clicked Connect eleven times is told to finish one or wait; no legitimate flow needs more.
   *
   * The count and the insert are one transaction under the user's row lock (see
   * PendingAuthorizationRepository.insertBounded).
   * @throws AppError RATE_LIMITED
   */
  private async insertBounded(userId: string, provider: string, pending: PendingValues, ip: string | undefined, recordSuccess: boolean): Promise<void> {
    const max = this.services.config.maxPendingAuthorizations;
    const waitSeconds = await this.pendingAuthorizations.insertBounded(
      userId,
      pending,
      max,
      recordSuccess ? (tx) => this.record(userId, 'oauth.connect_start', provider, AuditOutcome.SUCCESS, null, ip, tx) : undefined,
    );
    if (waitSeconds > 0) {
      this.log.info({ provider, max }, 'connect refused: too many pending authorizations');
      await this.record(userId, 'oauth.connect_start', provider, AuditOutcome.FAILURE, 'too_many_pending', ip);
      throw rateLimited(
        `${max} connects are already in progress; finish one or try again in ${Math.ceil(waitSeconds / 60)} minute(s)`,
        waitSeconds,
      );
    }
  }

  /**
   * Finishes a connect from the provider's callback. Every check happens before any request
   * leaves the hub; tokens and identity are fetched; then ONE transaction stores the connection
   * and its audit event. Any failure stores nothing but the audit event.
   */
  async finish(request: CallbackRequest): Promise<CallbackOutcome> {
    const provider = this.services.providers.get(request.provider);
    if (!provider) {
      return { kind: 'page', status: 404, reason: 'unknown_provider', message: 'There is no such provider.', dashboardUrl: this.resultUrl(null, {}) };
    }
    const id = provider.definition.id;
    const { query, userId } = request;
    const reject = async (reason: CallbackFailureReason, returnTo: string | null = null): Promise<CallbackOutcome> => {
      this.log.info({ provider: id, reason }, 'callback failed');
      if (userId) await this.record(userId, 'oauth.callback', id, AuditOutcome.FAILURE, reason, request.ip);
      const location = this.resultUrl(returnTo, { status: 'failure', provider: id, reason });
      return isRejection(reason)
        ? { kind: 'page', status: 400, reason, message: FAILURE_MESSAGES[reason], dashboardUrl: location }
        : { kind: 'redirect', location, reason };
    };

    // --- The state: present, well-formed, this session's, this provider's, fresh, single use (S03–S06). ---
    // No session (signed out meanwhile, or another browser): nothing to bind the state to.
    if (!userId) return reject('invalid_state');
    const states = query.getAll('state');
    if (states.length !== 1 || !STATE_FORMAT.test(states[0]!)) return reject('invalid_state');
    // Looked up for THIS user only: another user's state is refused without being consumed, so a
    // session that got hold of it cannot burn the owner's connect (S05).
    const pending = await this.pendingAuthorizations.consume(hashState(states[0]!), userId);
    if (!pending || pending.userId !== userId || pending.provider !== id) return reject('invalid_state');
    const returnTo = pending.returnTo;
    if (pending.expiresAt.getTime() <= Date.now()) return reject('expired', returnTo);
    // A hub restarted without this provider's credentials cannot finish what it started.
    const credentials = provider.credentials;
    if (!credentials) return reject('invalid_state', returnTo);

    const hook = this.services.providers.hookOf(provider);
    // The template variables the connect step used (they derive from what it stored).
    const startVars: TemplateVars = hook?.connectInput?.({ shop: pending.shop }, provider) ?? {};

    // --- RFC 9207: the answer must come from the server the flow started at (S06). ---
    const issuers = query.getAll('iss');
    const expectedIssuer = provider.definition.issuer ?? new URL(expandTemplate(provider.definition.endpoints.authorizationUrl, startVars)).origin;
    if (issuers.length > 1 || (issuers.length === 1 && issuers[0] !== expectedIssuer)) return reject('invalid_issuer', returnTo);

    if (!hook?.flow) {
      const errors = query.getAll('error');
      if (errors.length > 0) return reject(errors.length === 1 && errors[0] === 'access_denied' ? 'access_denied' : 'provider_error', returnTo);
    }
    // --- Provider-specific checks before any request: Shopify HMAC (S10), Zoho accounts server (S11). ---
    const check: CallbackCheck = hook?.checkCallback?.({ provider, credentials, params: query, vars: startVars, nowMs: Date.now() }) ?? {
      ok: true,
      vars: {},
      metadata: {},
    };
    if (!check.ok) return reject(check.reason, returnTo);
    const vars = { ...startVars, ...check.vars };

    // --- Tokens (S07: the stored redirect_uri; S19: the configured token host only). ---
    let tokens: TokenSet;
    try {
      if (hook?.flow) {
        const secret = this.services.vault.decrypt(pending.requestTokenSecretEnc!, placeOf(PENDING_AUTHORIZATION_COLUMNS.requestTokenSecret, userId, pending.id));
        const result = await hook.flow.finish({
          http: this.services.oauthHttp,
          provider,
          credentials,
          params: query,
          requestToken: pending.requestToken!,
          requestTokenSecret: secret,
        });
        if ('failure' in result) return reject(result.failure, returnTo);
        tokens = result;
      } else {
        const codes = query.getAll('code');
        if (codes.length !== 1 || !codes[0]) return reject('provider_error', returnTo);
        const verifier = pending.pkceVerifierEnc
          ? this.services.vault.decrypt(pending.pkceVerifierEnc, placeOf(PENDING_AUTHORIZATION_COLUMNS.pkceVerifier, userId, pending.id))
          : undefined;
        tokens = await exchangeAuthorizationCode(this.services.oauthHttp, this.oauth2Config(provider, credentials, vars, pending.redirectUri), {
          code: codes[0],
          ...(verifier !== undefined ? { codeVerifier: verifier } : {}),
        });
      }
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      this.log.warn({ provider: id, error: err.code, status: err.status, oauthError: err.oauthError }, 'callback: token request failed');
      return reject('token_exchange_failed', returnTo);
    }

    // --- Identity. ---
    let identity: ProviderIdentity;
    try {
      const spec = provider.definition.identity;
      identity = await fetchIdentity(this.services.oauthHttp, spec, {
        tokens,
        ...(spec.source === 'userinfo' ? { url: expandTemplate(spec.url, vars) } : {}),
        consumer: { key: credentials.clientId, secret: credentials.clientSecret },
        fallbackLabel: provider.definition.displayName,
      });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      this.log.warn({ provider: id, error: err.code, status: err.status }, 'callback: identity request failed');
      return reject('identity_failed', returnTo);
    }

    // --- One transaction: the connection and its audit event (S20: granted scopes). ---
    const account = {
      userId,
      provider: id,
      accountId: identity.accountId,
      email: identity.email,
      label: identity.label,
      scopes: tokens.scopes ?? this.grantedFromCallback(provider, query) ?? provider.definition.scopes,
      tokenType: tokens.tokenType,
      expiresAt: tokens.expiresAt,
      refreshTokenExpiresAt: tokens.refreshTokenExpiresAt ?? null,
      metadata: { ...check.metadata, ...this.tokenMetadata(provider, tokens) },
      secrets: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenSecret: tokens.tokenSecret },
    };
    const store = () =>
      this.em.fork().transactional(async (tx) => {
        const connections = new ConnectionService(tx, this.services.vault);
        const { connection, created, replaced } = await connections.upsert(account);
        await this.audit.record(tx, {
          userId,
          actorType: AuditActorType.USER,
          actorId: userId,
          action: 'oauth.callback',
          targetType: 'connection',
          targetId: connection.id,
          provider: id,
          outcome: AuditOutcome.SUCCESS,
          reason: created ? 'connected' : 'reconnected',
          ip: request.ip ?? null,
        });
        if (provider.definition.singleGrantPerAccount) {
          // Shopify: this grant revoked the older ones of the same shop; say so on each of them.
          const superseded = await connections.supersedeOthers(connection);
          for (const other of superseded) {
            await this.audit.record(tx, {
              userId: other.user.id,
              actorType: AuditActorType.SYSTEM,
              action: 'oauth.superseded',
              targetType: 'connection',
              targetId: other.id,
              provider: id,
              outcome: AuditOutcome.FAILURE,
              reason: SUPERSEDED,
            });
          }
          if (superseded.length > 0) this.log.info({ provider: id, connectionId: connection.id, superseded: superseded.map((c) => c.id) }, 'callback: older connections of the account superseded');
        }
        return { connection, replaced };
      });
    let stored: Awaited<ReturnType<typeof store>>;
    try {
      stored = await store();
    } catch (err) {
      // Two callbacks for the same new account raced; the second finds the row on a retry.
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      stored = await store();
    }
    const connectionId = stored.connection.id;
    this.log.info({ provider: id, connectionId }, 'callback: account connected');
    if (stored.replaced) {
      // A reconnect: the grant it replaced is revoked at the provider, after the commit (no
      // transaction is open during the call), best effort — the connect has succeeded whatever happens.
      await revokeReplacedGrant(this.services, {
        userId,
        connectionId,
        provider: id,
        metadata: account.metadata,
        replaced: stored.replaced,
        current: { accessToken: account.secrets.accessToken, refreshToken: account.secrets.refreshToken ?? null, tokenSecret: account.secrets.tokenSecret ?? null },
        ip: request.ip ?? null,
      }).catch((err: unknown) => this.log.warn({ provider: id, connectionId, error: err instanceof Error ? err.name : 'unknown' }, 'reconnect: revoking the replaced grant failed'));
    }
    return { kind: 'redirect', location: this.resultUrl(returnTo, { status: 'success', provider: id }) };
  }

  private oauth2Config(provider: ResolvedProvider, credentials: ClientCredentials, vars: TemplateVars, redirectUri: string): OAuth2ClientConfig {
    const d = provider.definition;
    return {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      clientAuth: d.clientAuth,
      authorizationUrl: expandTemplate(d.endpoints.authorizationUrl, vars),
      tokenUrl: expandTemplate(d.endpoints.tokenUrl, vars),
      redirectUri,
      scopes: d.scopes,
      scopeSeparator: d.scopeSeparator,
      authorizationParams: d.authorizationParams,
      tokenParams: d.tokenParams,
    };
  }

  /** Google repeats the granted scopes on the callback; used when the token response has none. */
  private grantedFromCallback(provider: ResolvedProvider, query: URLSearchParams): string[] | undefined {
    const scope = query.getAll('scope');
    return scope.length === 1 ? splitScopes(scope[0]!, provider.definition.scopeSeparator) : undefined;
  }

  /** The catalog's non-secret token-response fields (Zoho api_domain, Dropbox account_id). */
  private tokenMetadata(provider: ResolvedProvider, tokens: TokenSet): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of provider.definition.tokenMetadata) {
      const value = tokens.fields[key];
      if (typeof value === 'string' && value.length <= 512) out[key] = value;
    }
    return out;
  }

  /** `${PUBLIC_URL}${returnTo ?? '/integrations'}` with the outcome's parameters. */
  resultUrl(returnTo: string | null, params: Record<string, string>): string {
    const url = new URL(`${this.services.config.publicUrl}${returnTo ?? '/integrations'}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  private async record(
    userId: string,
    action: 'oauth.connect_start' | 'oauth.callback',
    provider: string,
    outcome: AuditOutcome,
    reason: string | null,
    ip: string | undefined,
    em: EntityManager = this.em,
  ): Promise<void> {
    await this.audit.record(em, { userId, actorType: AuditActorType.USER, actorId: userId, action, provider, outcome, reason, ip: ip ?? null });
  }
}
