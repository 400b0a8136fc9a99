import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash, randomBytes } from 'node:crypto';
import { User } from '../users/user.entity.js';
import { Session } from './session.entity.js';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** lastSeenAt/expiry are extended at most this often, so reads do not write on every request. */
const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

export const hashSessionToken = (token: string) => createHash('sha256').update(token).digest('hex');

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

  /** The live session for a cookie token, with its user; expired sessions are deleted. */
  async resolve(token: string): Promise<Session | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const session = await this.em.findOne(Session, { tokenHash: hashSessionToken(token) }, { populate: ['user'] });
    if (!session) return null;
    const now = Date.now();
    if (session.expiresAt.getTime() <= now) {
      await this.em.nativeDelete(Session, { id: session.id });
      return null;
    }
    if (now - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.em.nativeUpdate(Session, { id: session.id }, { lastSeenAt: new Date(now), expiresAt: new Date(now + SESSION_TTL_MS) });
    }
    return session;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.em.nativeDelete(Session, { id: sessionId });
  }
}
