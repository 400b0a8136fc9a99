import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Throttle counters (sign-in attempts per hashed email, per client IP and per IP+email; sign-ups
 * per IP), kept in the database so the limits hold across every hub instance sharing it (S31, S36).
 */
@Entity({ tableName: 'auth_throttle' })
export class AuthThrottle {
  [OptionalProps]?: 'failures' | 'windowStartedAt';

  /** `email:<sha256>`, `ip:<address>`, `ipemail:<sha256>` or `signup:<address>` */
  @PrimaryKey({ type: 'string', length: 128 })
  key!: string;

  @Property({ type: 'integer' })
  failures: number = 0;

  /** Indexed: rows whose window ended a day ago are swept (AuthThrottleService). */
  @Property({ type: 'Date' })
  @Index()
  windowStartedAt: Date = new Date();
}
