import type { LifecycleServices } from './refresh.service.js';
import { AppError } from '../../shared/errors.js';
import { VaultError } from '../../vault/index.js';
import { AuditActorType, AuditOutcome } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { isUuid } from '../api-keys/api-key.service.js';
import type { ConnectionState } from '../connections/connection-state.js';
import { lockConnection } from '../connections/connection.repository.js';
import { ConnectionTokens, type UsableSecrets } from '../connections/connection-tokens.js';
import { loadStoredConnection, type StoredConnection } from '../connections/stored-connection.js';
import { connectionNotFound, needsReauth, providerNotConfigured, refreshFailure, unreadableTokens } from './lifecycle-errors.js';
import { candidateOf, shouldRefresh } from './refresh-decision.js';
import type { LifecycleActor } from './refresh.service.js';

export interface AccessTokenRequest {
  userId: string;
  provider: string;
  /** Absent: the user's newest ACTIVE connection of that provider. */
  connectionId?: string | undefined;
}

/** What a backend service (or the hub's own code) gets to call the provider's API. */
export interface AccessToken {
  connectionId: string;
  provider: string;
  accessToken: string;
  /** `bearer`, or `oauth1` for Trello. */
  tokenType: string;
  /** Null: the token does not expire. */
  expiresAt: Date | null;
  scopes: string[];
  /**
   * What a caller needs besides the token: the connection's non-secret metadata (Shopify `shop`,
   * Zoho `api_domain` and `accounts_server`, Dropbox `account_id`), and for OAuth 1.0a (Trello)
   * `apiKey` (the client id) and `token`, which its REST API takes as `key` and `token`.
   * The OAuth 1.0a token secret is never handed out.
   */
  metadata: Record<string, string>;
}

/** A live token of one connection and the state it was read in. */
export interface LiveToken {
  state: ConnectionState;
  /** What a call presents; never the refresh token. */
  secrets: UsableSecrets;
}

const audit = new AuditService();

/**
 * The connection's current token, valid for at least REFRESH_MARGIN_SECONDS — refreshed first
 * when needed, through the single-flight, row-locked path (S17). `stored` is the connection as
 * read outside any transaction (loadStoredConnection). Outcomes that are not a token
 * are AppErrors: NEEDS_REAUTH (409), PROVIDER_NOT_CONFIGURED (409), UNREADABLE (409),
 * PROVIDER_UNAVAILABLE / REFRESH_FAILED (502, `extensions.reason` = the stored last_error).
 *
 * While the provider fails (backoff, F01) a token that has not expired yet is still handed out,
 * even with less than the margin left: it works, and the caller sees `expiresAt`.
 */
export async function liveToken(services: LifecycleServices, stored: StoredConnection, actor: LifecycleActor): Promise<LiveToken> {
  const { state } = stored;
  const provider = services.providers.get(state.provider);
  let secrets: UsableSecrets;
  try {
    // The refresh token stays sealed: a refresh (below) opens it under the row lock.
    secrets = new ConnectionTokens(services.vault).openForUse(stored.sealed, { userId: state.userId, connectionId: state.id });
  } catch (err) {
    if (err instanceof VaultError) throw unreadableTokens();
    throw err;
  }
  const now = new Date();
  const decision = shouldRefresh(candidateOf(state, provider, stored.sealed.refreshTokenEnc !== null), now, services.config.refreshMarginSeconds);
  const alive = (s: ConnectionState) => s.expiresAt === null || s.expiresAt.getTime() > Date.now();

  switch (decision.reason) {
    case 'needs_reauth':
      throw needsReauth();
    case 'not_refreshable':
      if (alive(state)) return { state, secrets };
      // Expired, and nothing can renew it: as dead as a refused grant.
      await expireUnrefreshable(services, state.id, actor);
      throw needsReauth();
    case 'no_expiry':
    case 'fresh':
      return { state, secrets };
    case 'backoff':
      if (alive(state)) return { state, secrets };
      throw refreshFailure(state.lastError ?? 'provider_unavailable');
    case 'expiring':
    case 'expired':
      break;
  }

  const outcome = await services.tokenRefresh.refresh(state.id, { trigger: 'on_demand', actor });
  switch (outcome.kind) {
    case 'gone':
      throw connectionNotFound();
    case 'refreshed':
      return { state: outcome.state, secrets: usable(outcome.secrets) };
    case 'skipped':
      if (outcome.reason === 'needs_reauth') throw needsReauth();
      if (outcome.reason === 'backoff' && !alive(outcome.state)) throw refreshFailure(outcome.state.lastError ?? 'provider_unavailable');
      if (outcome.reason === 'not_refreshable' && !alive(outcome.state)) throw needsReauth();
      return { state: outcome.state, secrets: usable(outcome.secrets) };
    case 'failed':
      if (outcome.reason === 'not_configured') throw providerNotConfigured(provider?.credentialVariables ?? []);
      if (outcome.reason === 'unreadable') throw unreadableTokens();
      if (outcome.needsReauth) throw needsReauth();
      if (outcome.secrets && alive(outcome.state)) return { state: outcome.state, secrets: usable(outcome.secrets) };
      throw refreshFailure(outcome.reason);
  }
  return outcome satisfies never;
}

/** Drops the refresh token from a refresh's result: callers get what a call presents. */
const usable = (s: UsableSecrets): UsableSecrets => ({ accessToken: s.accessToken, tokenSecret: s.tokenSecret });

/** ACTIVE → NEEDS_REAUTH for an expired token without a way to refresh it. */
async function expireUnrefreshable(services: LifecycleServices, connectionId: string, actor: LifecycleActor): Promise<void> {
  await services.db.orm.em.fork().transactional(async (tx) => {
    const c = await lockConnection(tx, { id: connectionId }, { withTokens: false });
    if (c) await services.tokenRefresh.markNeedsReauth(tx, c, 'token_expired', { actor, trigger: 'on_demand' });
  });
}

/** `AppError.code` → the audit reason of a failed token read. */
function reasonOf(err: AppError): string {
  const reason = err.extensions.reason;
  if (typeof reason === 'string') return reason;
  return err.code.toLowerCase();
}

/**
 * For backend services and the hub's own code: a token to call the provider with, valid for at
 * least the refresh margin (see liveToken), and the metadata the call needs. Every answer —
 * token or error — is audited as `oauth.token_read` (S32).
 * @throws AppError NOT_FOUND, NEEDS_REAUTH, PROVIDER_NOT_CONFIGURED, UNREADABLE, PROVIDER_UNAVAILABLE, REFRESH_FAILED
 */
export async function getAccessToken(
  services: LifecycleServices,
  request: AccessTokenRequest,
  options: { actor?: LifecycleActor } = {},
): Promise<AccessToken> {
  const actor = options.actor ?? { type: AuditActorType.SYSTEM };
  // Plain statements only (the read, the audit row): the ORM's EntityManager, no fork per call.
  const em = services.db.orm.em;
  const event = {
    userId: isUuid(request.userId) ? request.userId.toLowerCase() : null,
    actorType: actor.type,
    actorId: actor.id ?? null,
    action: 'oauth.token_read',
    targetType: 'connection',
    provider: request.provider.slice(0, 100),
    ip: actor.ip ?? null,
  } as const;
  const stored = await loadStoredConnection(em, request);
  if (!stored) {
    await audit.record(em, { ...event, targetId: request.connectionId ?? null, outcome: AuditOutcome.FAILURE, reason: 'not_found' });
    throw connectionNotFound();
  }
  try {
    const { state, secrets } = await liveToken(services, stored, actor);
    const metadata: Record<string, string> = { ...state.metadata };
    if (state.tokenType === 'oauth1') {
      const credentials = services.providers.get(state.provider)?.credentials;
      if (!credentials) throw providerNotConfigured(services.providers.get(state.provider)?.credentialVariables ?? []);
      metadata.apiKey = credentials.clientId;
      metadata.token = secrets.accessToken;
    }
    await audit.record(em, { ...event, targetId: state.id, outcome: AuditOutcome.SUCCESS });
    return {
      connectionId: state.id,
      provider: state.provider,
      accessToken: secrets.accessToken,
      tokenType: state.tokenType,
      expiresAt: state.expiresAt,
      scopes: state.scopes,
      metadata,
    };
  } catch (err) {
    if (err instanceof AppError) {
      await audit.record(em, { ...event, targetId: stored.state.id, outcome: AuditOutcome.FAILURE, reason: reasonOf(err) });
    }
    throw err;
  }
}
