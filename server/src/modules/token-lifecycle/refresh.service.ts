import type { EntityManager } from '@mikro-orm/postgresql';
import type { ModuleServices } from '../services.js';
import { OAuthError } from '../../oauth/errors.js';
import { classifyRefreshError, refreshTokenGrant, type RefreshFailureReason } from '../../oauth/refresh.js';
import type { TokenSet } from '../../oauth/token-set.js';
import { expandTemplate } from '../../providers/types.js';
import { VaultError } from '../../vault/index.js';
import { AuditActorType, AuditOutcome } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { ConnectionStatus, type Connection } from '../connections/connection.entity.js';
import { connectionVars, stateOf, type ConnectionState } from '../connections/connection-state.js';
import { lockConnection } from '../connections/connection.repository.js';
import { ConnectionTokens, type ConnectionSecrets } from '../connections/connection-tokens.js';
import { backoffDelayMs, candidateOf, shouldRefresh, type RefreshReason } from './refresh-decision.js';

/** Who caused an audited lifecycle event. */
export interface LifecycleActor {
  type: AuditActorType;
  id?: string | null;
  ip?: string | null;
}

export const SYSTEM_ACTOR: LifecycleActor = { type: AuditActorType.SYSTEM };

export type RefreshTrigger = 'on_demand' | 'background' | 'disconnect' | 'test';

export interface RefreshOptions {
  trigger: RefreshTrigger;
  actor?: LifecycleActor;
  /**
   * Background refresher: the lease it wrote to `next_refresh_at` when it claimed the row. While
   * the row still carries exactly that value, it is the claim and not a backoff.
   */
  claimedUntil?: Date;
  /** Refresh even a fresh token (testing a provider whose only live check is a refresh). */
  force?: boolean;
}

/** Reasons a refresh could not even be attempted. */
export type RefreshPreconditionFailure = 'not_configured' | 'unreadable' | 'invalid_metadata';

export type RefreshOutcome =
  | { kind: 'refreshed'; state: ConnectionState; secrets: ConnectionSecrets; fields: Record<string, unknown> }
  /** No refresh was needed once the row was locked and read again (another caller or instance did it, or it never was). */
  | { kind: 'skipped'; reason: RefreshReason; state: ConnectionState; secrets: ConnectionSecrets }
  | {
      kind: 'failed';
      reason: RefreshFailureReason | RefreshPreconditionFailure;
      /** The connection is NEEDS_REAUTH now (or already was). */
      needsReauth: boolean;
      state: ConnectionState;
      /** The tokens still stored (kept on a transient failure, F01); null when they do not decrypt. */
      secrets: ConnectionSecrets | null;
    }
  /** The connection was deleted meanwhile. */
  | { kind: 'gone' };

export type RefreshDeps = Pick<ModuleServices, 'config' | 'logger' | 'db' | 'vault' | 'providers' | 'oauthHttp'>;

/** The services token lifecycle code uses: the platform's, plus the hub's one RefreshService. */
export interface LifecycleServices extends ModuleServices {
  /** Token refresh: one provider request per needed refresh, in this process and across instances (S17). */
  tokenRefresh: RefreshService;
}

/**
 * Refreshes connection tokens so that each needed refresh sends exactly ONE request to the
 * provider (S17), however many callers ask at once:
 * - in this process, callers of `refresh(id)` share one promise per connection (single flight),
 *   and wait on it WITHOUT holding a database connection;
 * - across processes on one PostgreSQL database, the flight runs in a transaction that locks the
 *   row (`SELECT … FOR UPDATE`), reads it again, refreshes only if it still needs it, stores the
 *   new tokens and commits. A second instance waiting on the lock then reads the new tokens.
 * On PGlite (one connection) transactions are serialised anyway, and the provider call holds the
 * database for its duration (at most the provider timeout) — a known limit of the embedded mode.
 */
export class RefreshService {
  private readonly flights = new Map<string, Promise<RefreshOutcome>>();
  private readonly audit = new AuditService();
  private readonly tokens: ConnectionTokens;

  constructor(
    private readonly deps: RefreshDeps,
    private readonly random: () => number = Math.random,
  ) {
    this.tokens = new ConnectionTokens(deps.vault);
  }

  /** Refreshes in flight in this process (for shutdown and tests). */
  get inFlight(): number {
    return this.flights.size;
  }

  /**
   * Refreshes the connection if it (still) needs it. Concurrent calls for one connection share
   * one flight; a forced refresh runs on its own (the row lock still serialises it).
   * Never call this inside a transaction: waiting here must not hold a pool connection.
   */
  refresh(connectionId: string, options: RefreshOptions): Promise<RefreshOutcome> {
    if (options.force) return this.run(connectionId, options);
    const existing = this.flights.get(connectionId);
    if (existing) return existing;
    const flight = this.run(connectionId, options).finally(() => this.flights.delete(connectionId));
    this.flights.set(connectionId, flight);
    return flight;
  }

  private run(connectionId: string, options: RefreshOptions): Promise<RefreshOutcome> {
    return this.deps.db.orm.em.fork().transactional(async (tx) => {
      const connection = await lockConnection(tx, { id: connectionId }, { withTokens: true });
      if (!connection) return { kind: 'gone' } as const;
      return this.refreshLocked(tx, connection, options);
    });
  }

  /**
   * The core, for a connection already locked FOR UPDATE in `tx` (with its token columns loaded).
   * Decides again, refreshes, and records the result — new tokens (a missing refresh token keeps
   * the old one, S16), NEEDS_REAUTH on a dead grant (S18), or the failure with a backoff (F01) —
   * in `tx`, so it commits with the caller's transaction.
   */
  async refreshLocked(tx: EntityManager, c: Connection, options: RefreshOptions): Promise<RefreshOutcome> {
    const { config, providers, oauthHttp, logger } = this.deps;
    const provider = providers.get(c.provider);
    const now = new Date();
    let secrets: ConnectionSecrets;
    try {
      secrets = await this.tokens.read(tx, c);
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;
      // Nothing can be done with tokens that do not open (a removed key): the user must reconnect.
      await this.markNeedsReauth(tx, c, 'unreadable', options);
      return { kind: 'failed', reason: 'unreadable', needsReauth: true, state: stateOf(c), secrets: null };
    }
    const candidate = candidateOf(stateOf(c), provider, secrets.refreshToken !== null);
    if (options.claimedUntil && c.nextRefreshAt?.getTime() === options.claimedUntil.getTime()) candidate.nextRefreshAt = null;
    const decision = shouldRefresh(candidate, now, config.refreshMarginSeconds);
    const forced = options.force === true && (decision.reason === 'fresh' || decision.reason === 'backoff');
    if (!decision.should && !forced) return { kind: 'skipped', reason: decision.reason, state: stateOf(c), secrets };

    const credentials = provider?.credentials;
    if (!provider || !credentials) return { kind: 'failed', reason: 'not_configured', needsReauth: false, state: stateOf(c), secrets };
    const d = provider.definition;
    const vars = connectionVars(provider, c.metadata, [d.endpoints.tokenUrl]);
    if (!vars) {
      await this.markNeedsReauth(tx, c, 'invalid_metadata', options);
      return { kind: 'failed', reason: 'invalid_metadata', needsReauth: true, state: stateOf(c), secrets };
    }

    let tokens: TokenSet;
    try {
      tokens = await refreshTokenGrant(oauthHttp, {
        // S19: the catalog's token URL for this connection (Zoho: its own accounts server; Shopify: its shop).
        tokenUrl: expandTemplate(d.endpoints.tokenUrl, vars),
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        clientAuth: d.clientAuth,
        refreshToken: secrets.refreshToken!,
        scopeSeparator: d.scopeSeparator,
      });
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      // The catalog names the provider's own dead-grant and throttling words (Zoho's HTTP 200 errors).
      const { reason, permanent } = classifyRefreshError(err, d.refresh);
      logger.warn(
        { connectionId: c.id, provider: c.provider, reason, status: err.status, oauthError: err.oauthError, trigger: options.trigger },
        permanent ? 'token refresh refused: the connection needs a new connect' : 'token refresh failed; retrying with backoff',
      );
      if (permanent) {
        c.status = ConnectionStatus.NEEDS_REAUTH;
        c.lastError = reason;
        c.nextRefreshAt = null;
      } else {
        c.lastError = reason;
        c.refreshFailures += 1;
        // Not before the provider's Retry-After (capped at an hour in the OAuth layer), whichever is later.
        const backoff = backoffDelayMs(c.refreshFailures, this.random());
        c.nextRefreshAt = new Date(now.getTime() + Math.max(backoff, (err.retryAfterSeconds ?? 0) * 1000));
      }
      await this.record(tx, c, AuditOutcome.FAILURE, reason, options);
      await tx.flush();
      return { kind: 'failed', reason, needsReauth: permanent, state: stateOf(c), secrets };
    }

    const next: ConnectionSecrets = {
      accessToken: tokens.accessToken,
      // S16: Box and Shopify send a new one (the old one is dead now); Google sends none.
      refreshToken: tokens.refreshToken ?? secrets.refreshToken,
      tokenSecret: secrets.tokenSecret,
    };
    const recovered = c.refreshFailures > 0;
    this.tokens.write(c, next);
    c.tokenType = tokens.tokenType;
    c.expiresAt = tokens.expiresAt;
    // Shopify renews the refresh token's 90 days with every rotation; a kept token keeps its date.
    if (tokens.refreshToken !== undefined) c.refreshTokenExpiresAt = tokens.refreshTokenExpiresAt ?? null;
    if (tokens.scopes) c.scopes = tokens.scopes;
    const metadata = { ...c.metadata };
    for (const key of d.tokenMetadata) {
      const value = tokens.fields[key];
      if (typeof value === 'string' && value.length <= 512) metadata[key] = value;
    }
    c.metadata = metadata;
    c.lastRefreshedAt = now;
    c.lastError = null;
    c.refreshFailures = 0;
    c.nextRefreshAt = null;
    // Successes are not audited one by one (every connection, every hour); a recovery is.
    if (recovered) await this.record(tx, c, AuditOutcome.SUCCESS, 'recovered', options);
    await tx.flush();
    logger.debug({ connectionId: c.id, provider: c.provider, trigger: options.trigger, rotated: tokens.refreshToken !== undefined }, 'token refreshed');
    return { kind: 'refreshed', state: stateOf(c), secrets: next, fields: tokens.fields };
  }

  /** ACTIVE → NEEDS_REAUTH with `reason` as last_error, audited (S18, S32). */
  async markNeedsReauth(tx: EntityManager, c: Connection, reason: string, options: Pick<RefreshOptions, 'actor' | 'trigger'>): Promise<void> {
    if (c.status === ConnectionStatus.NEEDS_REAUTH) return;
    c.status = ConnectionStatus.NEEDS_REAUTH;
    c.lastError = reason;
    c.nextRefreshAt = null;
    this.deps.logger.warn({ connectionId: c.id, provider: c.provider, reason }, 'connection needs a new connect');
    await this.record(tx, c, AuditOutcome.FAILURE, reason, options);
    await tx.flush();
  }

  private async record(tx: EntityManager, c: Connection, outcome: AuditOutcome, reason: string, options: Pick<RefreshOptions, 'actor'>): Promise<void> {
    const actor = options.actor ?? SYSTEM_ACTOR;
    await this.audit.record(tx, {
      userId: c.user.id,
      actorType: actor.type,
      actorId: actor.id ?? null,
      action: 'oauth.refresh',
      targetType: 'connection',
      targetId: c.id,
      provider: c.provider,
      outcome,
      reason,
      ip: actor.ip ?? null,
    });
  }
}
