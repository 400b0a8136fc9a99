import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';
import { AuthThrottle } from './auth-throttle.entity.js';

/**
 * Limits failed sign-ins per email and per IP within a sliding window. Counters live in the
 * database (one atomic upsert per failure), so every hub instance enforces the same limit.
 */
export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerEmail: 5,
  maxFailuresPerIp: 50,
} as const;

export class AuthThrottleService {
  constructor(private readonly em: EntityManager) {}

  static emailKey(email: string) {
    return `email:${createHash('sha256').update(email).digest('hex')}`;
  }

  static ipKey(ip: string) {
    return `ip:${ip.slice(0, 64)}`;
  }

  /** Seconds until the caller may try again, or 0 when not limited. */
  async retryAfterSeconds(email: string, ip: string | undefined): Promise<number> {
    const keys = [AuthThrottleService.emailKey(email), ...(ip ? [AuthThrottleService.ipKey(ip)] : [])];
    const rows = await this.em.find(AuthThrottle, { key: { $in: keys } });
    let wait = 0;
    for (const row of rows) {
      const limit = row.key.startsWith('email:') ? THROTTLE.maxFailuresPerEmail : THROTTLE.maxFailuresPerIp;
      const endsAt = row.windowStartedAt.getTime() + THROTTLE.windowMs;
      if (row.failures >= limit && endsAt > Date.now()) wait = Math.max(wait, Math.ceil((endsAt - Date.now()) / 1000));
    }
    return wait;
  }

  async recordFailure(email: string, ip: string | undefined): Promise<void> {
    const keys = [AuthThrottleService.emailKey(email), ...(ip ? [AuthThrottleService.ipKey(ip)] : [])];
    const windowStart = new Date(Date.now() - THROTTLE.windowMs);
    for (const key of keys) {
      // A window that has ended restarts at 1; otherwise the counter grows.
      await this.em.getConnection().execute(
        `insert into auth_throttle (key, failures, window_started_at) values (?, 1, now())
         on conflict (key) do update set
           failures = case when auth_throttle.window_started_at < ? then 1 else auth_throttle.failures + 1 end,
           window_started_at = case when auth_throttle.window_started_at < ? then now() else auth_throttle.window_started_at end`,
        [key, windowStart, windowStart],
      );
    }
  }

  async clear(email: string): Promise<void> {
    await this.em.getConnection().execute('delete from auth_throttle where key = ?', [AuthThrottleService.emailKey(email)]);
  }
}
