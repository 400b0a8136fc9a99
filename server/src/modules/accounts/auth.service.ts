import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, badInput, conflict, rateLimited } from '../../shared/errors.js';
import { SessionService, type LiveSession, type SessionMeta } from './session.service.js';
import type { Session } from './session.entity.js';
import { AuthThrottleService } from './auth-throttle.service.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';
import { User } from './user.entity.js';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export const EMAIL_MAX = 254;
// No control characters (PostgreSQL text cannot even hold NUL) and no lone surrogates; found by the
// sign-up fuzz drill (a NUL in the email was a 500).
const EMAIL = /^[^\s@\p{Cc}\p{Cs}]+@[^\s@\p{Cc}\p{Cs}]+\.[^\s@\p{Cc}\p{Cs}]+$/u;
const UNSTORABLE = /[\p{Cc}\p{Cs}]/u;

/** One message for every sign-in failure: it must not tell whether the email exists (S31). */
export const INVALID_CREDENTIALS_MESSAGE = 'Email or password is incorrect';

export function normalizeEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!email) throw badInput('email', 'Email is required');
  if (email.length > EMAIL_MAX) throw badInput('email', `Email must be at most ${EMAIL_MAX} characters`);
  if (!EMAIL.test(email)) throw badInput('email', 'Enter a valid email address');
  return email;
}

function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN) throw badInput('password', `Password must be at least ${PASSWORD_MIN} characters`);
  if (password.length > PASSWORD_MAX) throw badInput('password', `Password must be at most ${PASSWORD_MAX} characters`);
}

export interface SignedIn {
  user: User;
  session: Session;
  token: string;
}

/** Auth events the audit log records; wired by the app (the audit module subscribes). */
export interface AuthEvents {
  signedIn?(user: User, meta: SessionMeta): Promise<void> | void;
  signInFailed?(email: string, user: User | null, meta: SessionMeta, reason: 'invalid_credentials' | 'rate_limited'): Promise<void> | void;
  signedOut?(user: Pick<User, 'id'>, meta: SessionMeta): Promise<void> | void;
  signedUp?(user: User, meta: SessionMeta): Promise<void> | void;
}

export interface AuthLimits {
  /** Sign-up attempts per client address per hour (SIGNUP_MAX_PER_IP_PER_HOUR). */
  signUpsPerIpPerHour: number;
}

export class AuthService {
  private readonly sessions: SessionService;
  private readonly throttle: AuthThrottleService;

  constructor(
    private readonly em: EntityManager,
    private readonly events: AuthEvents = {},
    private readonly limits: AuthLimits = { signUpsPerIpPerHour: 10 },
  ) {
    this.sessions = new SessionService(em);
    this.throttle = new AuthThrottleService(em);
  }

  async signUp(rawEmail: string, password: string, meta: SessionMeta): Promise<SignedIn> {
    const email = normalizeEmail(rawEmail);
    checkPassword(password);
    // Counted before the hash and the insert, whatever their outcome: without email verification a
    // duplicate must answer CONFLICT, so this limit is what bounds how many emails one address can
    // probe for existence (S36; the README states the trade-off).
    const reservation = await this.throttle.reserveSignUp(meta.ip, this.limits.signUpsPerIpPerHour);
    if (!reservation.ok) {
      const wait = reservation.retryAfterSeconds;
      throw rateLimited(`Too many sign-ups from this address; try again in ${Math.ceil(wait / 60)} minute(s)`, wait);
    }
    const user = this.em.create(User, { email, passwordHash: await hashPassword(password) });
    try {
      await this.em.flush();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        this.em.clear();
        throw conflict('An account with this email already exists', 'email');
      }
      throw err;
    }
    const { token, session } = await this.sessions.create(user, meta);
    await this.events.signedUp?.(user, meta);
    return { user, session, token };
  }

  async signIn(rawEmail: string, password: string, meta: SessionMeta): Promise<SignedIn> {
    const email = rawEmail.trim().toLowerCase();
    if (!email || !password || email.length > EMAIL_MAX || password.length > PASSWORD_MAX || UNSTORABLE.test(email)) {
      throw new AppError('INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
    }
    // The attempt is counted as a failure BEFORE the password is checked, atomically, so parallel
    // requests cannot all pass a check made before any of them failed (S36); a success gives it back.
    const reservation = await this.throttle.reserveSignIn(email, meta.ip);
    if (!reservation.ok) {
      const wait = reservation.retryAfterSeconds;
      await this.events.signInFailed?.(email, null, meta, 'rate_limited');
      throw rateLimited(`Too many failed sign-ins; try again in ${Math.ceil(wait / 60)} minute(s)`, wait);
    }
    const user = await this.em.findOne(User, { email }, { populate: ['passwordHash'] });
    // Verify against a dummy hash when the user does not exist, so both paths take as long.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok) {
      await this.events.signInFailed?.(email, user, meta, 'invalid_credentials');
      throw new AppError('INVALID_CREDENTIALS', INVALID_CREDENTIALS_MESSAGE);
    }
    await this.throttle.signInSucceeded(email, meta.ip);
    const { token, session } = await this.sessions.create(user, meta);
    await this.events.signedIn?.(user, meta);
    return { user, session, token };
  }

  async signOut(session: Pick<LiveSession, 'id' | 'user'>, meta: SessionMeta): Promise<void> {
    await this.sessions.revoke(session.id);
    await this.events.signedOut?.(session.user, meta);
  }
}
