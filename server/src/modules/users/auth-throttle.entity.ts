import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed sign-in counters, per hashed email and per client IP, kept in the database so the
 * limit holds across every hub instance sharing it (S31).
 */
@Entity({ tableName: 'auth_throttle' })
export class AuthThrottle {
  [OptionalProps]?: 'failures' | 'windowStartedAt';

  /** `email:<sha256>` or `ip:<address>` */
  @PrimaryKey({ type: 'string', length: 128 })
  key!: string;

  @Property({ type: 'integer' })
  failures: number = 0;

  @Property({ type: 'Date' })
  windowStartedAt: Date = new Date();
}
