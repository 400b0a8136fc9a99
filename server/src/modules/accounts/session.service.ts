import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash, randomBytes } from 'node:crypto';
import { plainQuery } from '../../db/plain-query.js';
import { rowValues } from '../../db/row-values.js';
import { User } from './user.entity.js';
import { Session } from './session.entity.js';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** lastSeenAt/expiry are extended at most this often, so reads do not write on every request. */
const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest('hex');

interface SessionRow {
  id: string;
  user_id: string;
  last_seen_at: Date | string;
  expires_at: Date | string;
  user_email: string;
  user_created_at: Date | string;
}

/** The signed-in user as a request knows it: read with its session, not a managed entity. */
export interface SessionUser {
  id: string;
  email: string;
  createdAt: Date;
}

/** The live session of a request: plain data, not a managed entity (nothing writes through it). */
export interface LiveSession {
  id: string;
  user: SessionUser;
  expiresAt: Date;
}

export interface SessionMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export class SessionService {
  constructor(private readonly em: EntityManager) {}

  /** Creates a session; returns the raw token, which only the cookie ever holds. */
  async create(user: User, meta: SessionMeta): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url'); // 256 bits from the CSPRNG
    const session = this.em.create(Session, {
      user,
      tokenHash: hashSessionToken(token),
      expiresAt: new Date(Date.now() + SESSION_TTL_MS),
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    });
    await this.em.flush();
    return { token, session };
  }

  /**
   * The live session for a cookie token, with its user; expired sessions are deleted.
   * Every signed-in request runs this, so it is one plain statement (plainQuery) and plain
   * objects: no query builder, no entity hydration (benchmark B1's profile showed both costs).
   */
  async resolve(token: string): Promise<LiveSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const [row] = await plainQuery<SessionRow>(
      this.em,
      `select s.id, s.user_id, s.last_seen_at, s.expires_at, u.email as user_email, u.created_at as user_created_at
         from sessions s join users u on u.id = s.user_id
        where s.token_hash = ?`,
      [hashSessionToken(token)],
    );
    if (!row) return null;
    const { date } = rowValues(this.em);
    const now = Date.now();
    if (date(row.expires_at).getTime() <= now) {
      await this.em.nativeDelete(Session, { id: row.id });
      return null;
    }
    if (now - date(row.last_seen_at).getTime() > TOUCH_INTERVAL_MS) {
      await this.em.nativeUpdate(Session, { id: row.id }, { lastSeenAt: new Date(now), expiresAt: new Date(now + SESSION_TTL_MS) });
    }
    return { id: row.id, expiresAt: date(row.expires_at), user: { id: row.user_id, email: row.user_email, createdAt: date(row.user_created_at) } };
  }

  async revoke(sessionId: string): Promise<void> {
    await this.em.nativeDelete(Session, { id: sessionId });
  }
}
