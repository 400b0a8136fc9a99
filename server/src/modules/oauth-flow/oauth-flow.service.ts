import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { HubServices } from '../../hub-services.js';
import type { Logger } from '../../logging/logger.js';
import { OAuthError } from '../../oauth/errors.js';
import { fetchIdentity, type ProviderIdentity } from '../../oauth/identity.js';
import { buildAuthorizationUrl, exchangeAuthorizationCode, type OAuth2ClientConfig } from '../../oauth/oauth2.js';
import { hashState, newCodeVerifier, newState, STATE_FORMAT } from '../../oauth/pkce.js';
import { splitScopes, type TokenSet } from '../../oauth/token-set.js';
import type { CallbackCheck } from '../../providers/hooks/index.js';
import { expandTemplate, type ClientCredentials, type ResolvedProvider, type TemplateVars } from '../../providers/types.js';
import { PENDING_AUTHORIZATION_COLUMNS, placeOf } from '../../secrets/encrypted-columns.js';
import { AppError } from '../../shared/errors.js';
import { AuditActorType, AuditOutcome } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { ConnectionService } from '../connections/connection.service.js';
import { User } from '../users/user.entity.js';
import { FAILURE_MESSAGES, isRejection, type CallbackFailureReason } from './failure.js';
import { PENDING_AUTHORIZATION_TTL_MS, PendingAuthorization } from './pending-authorization.entity.js';
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

/** The pending authorization as consumed from the database. */
interface ConsumedPending {
  id: string;
  userId: string;
  provider: string;
  shop: string | null;
  returnTo: string | null;
  redirectUri: string;
  pkceVerifierEnc: string | null;
  requestToken: string | null;
  requestTokenSecretEnc: string | null;
  expiresAt: Date;
}

/** Rows of pending authorizations past their expiry by this much are deleted when a new connect starts. */
const PENDING_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Connect and callback: the two halves of every authorization flow. Provider differences come
 * from the catalog (data) and its named hooks; this class only sequences the steps and applies
 * every check of S01–S13 in one place.
 */
export class OAuthFlowService {
  private readonly audit = new AuditService();

  constructor(
    private readonly services: HubServices,
    private readonly em: EntityManager,
    private readonly log: Logger = services.logger,
  ) {}

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
    if (!provider) throw new AppError('UNKNOWN_PROVIDER', 'There is no such provider', { status: 404, field: 'provider' });
    const id = provider.definition.id;
    const credentials = provider.credentials;
    if (!credentials) {
      await this.record(userId, 'oauth.connect_start', id, AuditOutcome.FAILURE, 'not_configured', ip);
      throw new AppError('PROVIDER_NOT_CONFIGURED', `Set ${provider.credentialVariables.join(' and ')} to connect ${provider.definition.displayName}`, {
        status: 409,
        field: 'provider',
        extensions: { variables: provider.credentialVariables },
      });
    }
    const hook = this.services.providers.hookOf(provider);
    const vars: TemplateVars = hook?.connectInput?.({ shop: request.shop }, provider) ?? {};

    const state = newState();
    const redirectUri = this.redirectUri(id);
    const pending = {
      id: randomUUID(),
      stateHash: hashState(state),
      provider: id,
      shop: vars.shop ?? null,
      returnTo: safeReturnTo(request.returnTo),
      redirectUri,
      pkceVerifierEnc: null as string | null,
      requestToken: null as string | null,
      requestTokenSecretEnc: null as string | null,
      expiresAt: new Date(Date.now() + PENDING_AUTHORIZATION_TTL_MS),
    };
    const seal = (value: string, column: (typeof PENDING_AUTHORIZATION_COLUMNS)[keyof typeof PENDING_AUTHORIZATION_COLUMNS]) =>
      this.services.vault.encrypt(value, placeOf(column, userId, pending.id));

    let authorizationUrl: string;
    if (hook?.flow) {
      // OAuth 1.0a has no state parameter: the hub's own travels in the callback URL.
      const callbackUrl = `${redirectUri}?state=${state}`;
      let begun;
      try {
        begun = await hook.flow.begin({ http: this.services.oauthHttp, provider, credentials, callbackUrl });
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        this.log.warn({ provider: id, error: err.code, status: err.status }, 'connect: request token failed');
        await this.record(userId, 'oauth.connect_start', id, AuditOutcome.FAILURE, 'provider_unavailable', ip);
        throw new AppError('PROVIDER_UNAVAILABLE', `${provider.definition.displayName} did not answer; try again in a moment`, { status: 502 });
      }
      authorizationUrl = begun.authorizationUrl;
      pending.requestToken = begun.requestToken;
      pending.requestTokenSecretEnc = seal(begun.requestTokenSecret, PENDING_AUTHORIZATION_COLUMNS.requestTokenSecret);
    } else {
      const verifier = provider.definition.pkce ? newCodeVerifier() : undefined;
      if (verifier !== undefined) pending.pkceVerifierEnc = seal(verifier, PENDING_AUTHORIZATION_COLUMNS.pkceVerifier);
      authorizationUrl = buildAuthorizationUrl(this.services.oauthHttp, this.oauth2Config(provider, credentials, vars, redirectUri), {
        state,
        ...(verifier !== undefined ? { codeVerifier: verifier } : {}),
      });
    }

    await this.em.transactional(async (tx) => {
      tx.create(PendingAuthorization, { ...pending, user: tx.getReference(User, userId) });
      await tx.flush();
      await tx.nativeDelete(PendingAuthorization, { expiresAt: { $lt: new Date(Date.now() - PENDING_RETENTION_MS) } });
      await this.record(userId, 'oauth.connect_start', id, AuditOutcome.SUCCESS, null, ip, tx);
    });
    this.log.info({ provider: id }, 'connect started');
    return authorizationUrl;
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
    const pending = await this.consume(hashState(states[0]!));
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
      metadata: { ...check.metadata, ...this.tokenMetadata(provider, tokens) },
      secrets: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenSecret: tokens.tokenSecret },
    };
    const store = () =>
      this.em.fork().transactional(async (tx) => {
        const { connection, created } = await new ConnectionService(tx, this.services.vault).upsert(account);
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
        return connection;
      });
    let connectionId: string;
    try {
      connectionId = (await store()).id;
    } catch (err) {
      // Two callbacks for the same new account raced; the second finds the row on a retry.
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      connectionId = (await store()).id;
    }
    this.log.info({ provider: id, connectionId }, 'callback: account connected');
    return { kind: 'redirect', location: this.resultUrl(returnTo, { status: 'success', provider: id }) };
  }

  /** Single use (S04): the state is marked consumed in the same statement that reads it. */
  private async consume(stateHash: string): Promise<ConsumedPending | undefined> {
    const rows = await this.em.execute<
      Array<{
        id: string;
        user_id: string;
        provider: string;
        shop: string | null;
        return_to: string | null;
        redirect_uri: string;
        pkce_verifier_enc: string | null;
        request_token: string | null;
        request_token_secret_enc: string | null;
        expires_at: Date | string;
      }>
    >(
      `update oauth_pending_authorizations set consumed_at = now()
        where state_hash = ? and consumed_at is null
        returning id, user_id, provider, shop, return_to, redirect_uri, pkce_verifier_enc, request_token, request_token_secret_enc, expires_at`,
      [stateHash],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      userId: row.user_id,
      provider: row.provider,
      shop: row.shop,
      returnTo: row.return_to,
      redirectUri: row.redirect_uri,
      pkceVerifierEnc: row.pkce_verifier_enc,
      requestToken: row.request_token,
      requestTokenSecretEnc: row.request_token_secret_enc,
      expiresAt: row.expires_at instanceof Date ? row.expires_at : new Date(row.expires_at),
    };
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
