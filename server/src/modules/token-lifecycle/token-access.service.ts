import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { HubServices } from '../../hub-services.js';
import { PROVIDER_ID } from '../../providers/schema.js';
import { AppError } from '../../shared/errors.js';
import { VaultError } from '../../vault/index.js';
import { AuditActorType, AuditOutcome } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { isUuid } from '../api-keys/api-key.service.js';
import { Connection, ConnectionStatus } from '../connections/connection.entity.js';
import { ConnectionTokens, type ConnectionSecrets } from '../connections/connection.service.js';
import { candidateOf, stateOf, type ConnectionState } from './connection-state.js';
import { connectionNotFound, needsReauth, providerNotConfigured, refreshFailure, unreadableTokens } from './lifecycle-errors.js';
import { shouldRefresh } from './refresh-decision.js';
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
  secrets: ConnectionSecrets;
}

const audit = new AuditService();

/**
 * The connection's current token (`connection` loaded by `em`, outside any transaction), valid
 * for at least REFRESH_MARGIN_SECONDS — refreshed first when needed, through the single-flight,
 * row-locked path (S17). Outcomes that are not a token
 * are AppErrors: NEEDS_REAUTH (409), PROVIDER_NOT_CONFIGURED (409), UNREADABLE (409),
 * PROVIDER_UNAVAILABLE / REFRESH_FAILED (502, `extensions.reason` = the stored last_error).
 *
 * While the provider fails (backoff, F01) a token that has not expired yet is still handed out,
 * even with less than the margin left: it works, and the caller sees `expiresAt`.
 */
export async function liveToken(services: HubServices, em: EntityManager, connection: Connection, actor: LifecycleActor): Promise<LiveToken> {
  const provider = services.providers.get(connection.provider);
  const tokens = new ConnectionTokens(services.vault);
  let secrets: ConnectionSecrets;
  try {
    secrets = await tokens.read(em, connection);
  } catch (err) {
    if (err instanceof VaultError) throw unreadableTokens();
    throw err;
  }
  const now = new Date();
  const state = stateOf(connection);
  const decision = shouldRefresh(candidateOf(state, provider, secrets.refreshToken !== null), now, services.config.refreshMarginSeconds);
  const alive = (s: ConnectionState) => s.expiresAt === null || s.expiresAt.getTime() > Date.now();

  switch (decision.reason) {
    case 'needs_reauth':
      throw needsReauth();
    case 'not_refreshable':
      if (alive(state)) return { state, secrets };
      // Expired, and nothing can renew it: as dead as a refused grant.
      await expireUnrefreshable(services, connection.id, actor);
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

  const outcome = await services.tokenRefresh.refresh(connection.id, { trigger: 'on_demand', actor });
  switch (outcome.kind) {
    case 'gone':
      throw connectionNotFound();
    case 'refreshed':
      return { state: outcome.state, secrets: outcome.secrets };
    case 'skipped':
      if (outcome.reason === 'needs_reauth') throw needsReauth();
      if (outcome.reason === 'backoff' && !alive(outcome.state)) throw refreshFailure(outcome.state.lastError ?? 'provider_unavailable');
      if (outcome.reason === 'not_refreshable' && !alive(outcome.state)) throw needsReauth();
      return { state: outcome.state, secrets: outcome.secrets };
    case 'failed':
      if (outcome.reason === 'not_configured') throw providerNotConfigured(provider?.credentialVariables ?? []);
      if (outcome.reason === 'unreadable') throw unreadableTokens();
      if (outcome.needsReauth) throw needsReauth();
      if (outcome.secrets && alive(outcome.state)) return { state: outcome.state, secrets: outcome.secrets };
      throw refreshFailure(outcome.reason);
  }
  return outcome satisfies never;
}

/** ACTIVE → NEEDS_REAUTH for an expired token without a way to refresh it. */
async function expireUnrefreshable(services: HubServices, connectionId: string, actor: LifecycleActor): Promise<void> {
  await services.db.orm.em.fork().transactional(async (tx) => {
    const c = await tx.findOne(Connection, { id: connectionId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (c) await services.tokenRefresh.markNeedsReauth(tx, c, 'token_expired', { actor, trigger: 'on_demand' });
  });
}

/**
 * The connection a request names: by id (it must be the user's, of that provider), or the
 * user's newest ACTIVE one of the provider — falling back to a NEEDS_REAUTH one, so the caller
 * learns the account must be connected again rather than that it does not exist.
 */
export async function findConnectionFor(em: EntityManager, request: AccessTokenRequest): Promise<Connection | null> {
  if (!isUuid(request.userId) || !PROVIDER_ID.test(request.provider)) return null;
  const where = { user: request.userId.toLowerCase(), provider: request.provider };
  // The caller reads the tokens next: load them with the row (one query, not a second one).
  const populate = ['accessTokenEnc', 'refreshTokenEnc', 'tokenSecretEnc'] as const;
  if (request.connectionId !== undefined) {
    if (!isUuid(request.connectionId)) return null;
    return em.findOne(Connection, { ...where, id: request.connectionId.toLowerCase() }, { populate });
  }
  const orderBy = { connectedAt: 'desc', id: 'desc' } as const;
  return (
    (await em.findOne(Connection, { ...where, status: ConnectionStatus.ACTIVE }, { orderBy, populate })) ??
    (await em.findOne(Connection, where, { orderBy, populate }))
  );
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
  services: HubServices,
  request: AccessTokenRequest,
  options: { actor?: LifecycleActor } = {},
): Promise<AccessToken> {
  const actor = options.actor ?? { type: AuditActorType.SYSTEM };
  const em = services.db.orm.em.fork();
  const event = {
    userId: isUuid(request.userId) ? request.userId.toLowerCase() : null,
    actorType: actor.type,
    actorId: actor.id ?? null,
    action: 'oauth.token_read',
    targetType: 'connection',
    provider: request.provider.slice(0, 100),
    ip: actor.ip ?? null,
  } as const;
  const connection = await findConnectionFor(em, request);
  if (!connection) {
    await audit.record(em, { ...event, targetId: request.connectionId ?? null, outcome: AuditOutcome.FAILURE, reason: 'not_found' });
    throw connectionNotFound();
  }
  try {
    const { state, secrets } = await liveToken(services, em, connection, actor);
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
      await audit.record(em, { ...event, targetId: connection.id, outcome: AuditOutcome.FAILURE, reason: reasonOf(err) });
    }
    throw err;
  }
}
