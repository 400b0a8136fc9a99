import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { plainQuery } from '../../db/plain-query.js';
import { badInput } from '../../shared/errors.js';
import { AuditActorType, AuditEvent, AuditOutcome } from './audit-event.entity.js';

/** The actions the hub records. Names are stable: clients and operators filter on them. */
export type AuditAction =
  | 'auth.sign_up'
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'auth.sign_out'
  | 'api_key.create'
  | 'api_key.update'
  | 'api_key.rotate'
  | 'api_key.delete'
  | 'api_key.read'
  | 'vault.rotate'
  // Token lifecycle: refresh failures and NEEDS_REAUTH transitions, disconnect (revocation
  // outcome), token reads by services, connection tests.
  | 'oauth.refresh'
  | 'oauth.disconnect'
  | 'oauth.token_read'
  | 'oauth.test'
  | `oauth.${string}`;

/**
 * What a caller records. There is no field for a secret or a free-form message; `reason` is a
 * code. Strings are checked against the column sizes here rather than failing in the database.
 */
export interface AuditEventInput {
  /** Whose log the event belongs to; null for hub-wide events (vault rotation). */
  userId: string | null;
  actorType: AuditActorType;
  actorId?: string | null;
  action: AuditAction;
  targetType?: string | null;
  targetId?: string | null;
  provider?: string | null;
  outcome: AuditOutcome;
  /** A code such as `invalid_credentials` or `unreadable`. */
  reason?: string | null;
  ip?: string | null;
}

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
const REASON = /^[a-z0-9_.:-]{1,64}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const AUDIT_PAGE_DEFAULT = 20;
export const AUDIT_PAGE_MAX = 100;

export interface AuditPage {
  edges: Array<{ cursor: string; node: AuditEvent }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * Keyset cursor: the row's created_at at full (microsecond) precision, as UTC text, and its id.
 * A JS Date would drop the microseconds and make pages skip rows written in the same millisecond.
 * Opaque to clients (base64url of JSON); it only narrows a query already limited to the caller's
 * own events, so a forged cursor can reveal nothing.
 */
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function encodeAuditCursor(createdAt: string, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id]), 'utf8').toString('base64url');
}

/** @throws AppError BAD_USER_INPUT (field `after`) for anything this module did not produce. */
export function decodeAuditCursor(cursor: string): { createdAt: string; id: string } {
  const bad = () => badInput('after', 'The cursor is not valid; start again from the first page');
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || typeof id !== 'string' || !CURSOR_TIME.test(createdAt) || !UUID.test(id)) throw bad();
  // A well-shaped but impossible time (month 13, 30 February) must not reach the database's cast.
  const ms = Date.parse(createdAt);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 23) !== createdAt.slice(0, 23)) throw bad();
  return { createdAt, id: id.toLowerCase() };
}

export function clampPageSize(first: number | null | undefined): number {
  if (first === null || first === undefined || !Number.isFinite(first)) return AUDIT_PAGE_DEFAULT;
  return Math.min(AUDIT_PAGE_MAX, Math.max(1, Math.trunc(first)));
}

interface AuditRow {
  id: string;
  user_id: string | null;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  provider: string | null;
  outcome: string;
  reason: string | null;
  ip: string | null;
  created_at: Date | string;
  cursor_time: string;
}

/** The audit log (S32): written by every module that changes or reads something that matters. */
export class AuditService {
  /**
   * Writes one event right away, inside whatever transaction `em` is in, so a change and its
   * event commit or roll back together.
   */
  async record(em: EntityManager, event: AuditEventInput): Promise<void> {
    if (!ACTION.test(event.action) || event.action.length > 64) throw new Error(`Audit: invalid action name ${JSON.stringify(event.action)}`);
    if (event.reason != null && !REASON.test(event.reason)) throw new Error('Audit: reason must be a short code');
    // A plain INSERT (plainQuery) in `em`'s transaction (if any): services write an event on every
    // credential read, so no query builder per event (benchmark B2's profile showed that cost).
    await plainQuery(
      em,
      `insert into audit_events (id, user_id, actor_type, actor_id, action, target_type, target_id, provider, outcome, reason, ip)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        randomUUID(),
        event.userId,
        event.actorType,
        event.actorId?.slice(0, 255) ?? null,
        event.action,
        event.targetType?.slice(0, 64) ?? null,
        event.targetId?.slice(0, 255) ?? null,
        event.provider?.slice(0, 100) ?? null,
        event.outcome,
        event.reason ?? null,
        event.ip?.slice(0, 64) ?? null,
      ],
    );
  }

  /** One user's events, newest first, `first` at a time after `after` (an opaque cursor). */
  async list(em: EntityManager, userId: string, options: { first?: number | null; after?: string | null } = {}): Promise<AuditPage> {
    const first = clampPageSize(options.first);
    const after = options.after ? decodeAuditCursor(options.after) : null;
    const params: unknown[] = [userId];
    let keyset = '';
    if (after) {
      keyset = 'and (created_at, id) < (?::timestamptz, ?::uuid)';
      params.push(after.createdAt, after.id);
    }
    params.push(first + 1);
    const rows = await em.execute<AuditRow[]>(
      `select id, user_id, actor_type, actor_id, action, target_type, target_id, provider, outcome, reason, ip, created_at,
              to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_time
         from audit_events
        where user_id = ? ${keyset}
        order by created_at desc, id desc
        limit ?`,
      params,
    );
    const page = rows.slice(0, first);
    const edges = page.map((row) => ({ cursor: encodeAuditCursor(row.cursor_time, row.id), node: toEvent(row) }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}

function toEvent(row: AuditRow): AuditEvent {
  const event = new AuditEvent();
  event.id = row.id;
  event.userId = row.user_id;
  event.actorType = row.actor_type as AuditActorType;
  event.actorId = row.actor_id;
  event.action = row.action;
  event.targetType = row.target_type;
  event.targetId = row.target_id;
  event.provider = row.provider;
  event.outcome = row.outcome as AuditOutcome;
  event.reason = row.reason;
  event.ip = row.ip;
  event.createdAt = row.created_at instanceof Date ? row.created_at : new Date(row.created_at);
  return event;
}
