import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Connection } from './connection.entity.js';

/** The sealed token columns: lazy on the entity, so a lock that is going to use them loads them with the row. */
const TOKEN_COLUMNS = ['accessTokenEnc', 'refreshTokenEnc', 'tokenSecretEnc'] as const;

/** Which row to lock: by id, and (for a user's own request) only when it is that user's. */
export interface ConnectionLockQuery {
  id: string;
  userId?: string | undefined;
}

/**
 * Locks a connection row FOR UPDATE in `tx` and returns it as a managed entity of `tx`, re-read
 * from the database (`refresh`: a copy already in the identity map may be stale, another
 * instance may have refreshed it). `withTokens` loads the sealed token columns in the same query.
 */
export function lockConnection(tx: EntityManager, query: ConnectionLockQuery, options: { withTokens: boolean }): Promise<Connection | null> {
  const where = query.userId === undefined ? { id: query.id } : { id: query.id, user: query.userId };
  return tx.findOne(Connection, where, {
    lockMode: LockMode.PESSIMISTIC_WRITE,
    ...(options.withTokens ? { populate: [...TOKEN_COLUMNS] } : {}),
    refresh: true,
  });
}

/** What the background refresher asks for: due rows of these providers, at most `limit`. */
export interface DueClaimQuery {
  providers: readonly string[];
  /** The lease written into next_refresh_at: other claims skip the row until then. */
  until: Date;
  /** Tokens expiring at or before this are due. */
  horizon: Date;
  now: Date;
  limit: number;
}

/**
 * Claims up to `limit` ACTIVE connections holding a refresh token whose token expires by the
 * horizon and whose next_refresh_at (backoff or an older claim) has passed: one UPDATE whose
 * subquery takes the rows `FOR UPDATE SKIP LOCKED` and writes the lease, so two instances on
 * one database claim disjoint rows. Returns the claimed ids, soonest expiry first.
 */
export async function claimDueConnections(em: EntityManager, query: DueClaimQuery): Promise<string[]> {
  if (query.providers.length === 0) return [];
  const rows = await em
    .fork()
    .getConnection()
    .execute<Array<{ id: string; expires_at: Date | string }>>(
      `update connections set next_refresh_at = ?
        where id in (
          select id from connections
           where status = 'ACTIVE' and refresh_token_enc is not null
             and expires_at is not null and expires_at <= ?
             and (next_refresh_at is null or next_refresh_at <= ?)
             and provider in (${query.providers.map(() => '?').join(', ')})
           order by expires_at
           limit ?
           for update skip locked)
        returning id, expires_at`,
      [query.until, query.horizon, query.now, ...query.providers, query.limit],
    );
  // RETURNING does not keep the subquery's order: the soonest expiry goes first.
  return rows
    .map((r) => ({ id: r.id, expiresAt: new Date(r.expires_at).getTime() }))
    .sort((x, y) => x.expiresAt - y.expiresAt)
    .map(({ id }) => id);
}

/** Gives claimed rows back (their lease still `until`, so a row another pass took since is left alone). */
export async function releaseClaims(em: EntityManager, until: Date, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await em
    .fork()
    .getConnection()
    .execute(`update connections set next_refresh_at = null where next_refresh_at = ? and id in (${ids.map(() => '?').join(', ')})`, [until, ...ids]);
}
