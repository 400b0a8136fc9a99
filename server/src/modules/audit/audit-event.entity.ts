import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

/** Who did it: a signed-in person, a backend service holding HUB_SERVICE_TOKEN, or the hub itself. */
export enum AuditActorType {
  USER = 'user',
  SERVICE = 'service',
  SYSTEM = 'system',
}

export enum AuditOutcome {
  SUCCESS = 'success',
  FAILURE = 'failure',
}

registerEnumType(AuditActorType, { name: 'AuditActorType', description: 'Who performed an audited action.' });
registerEnumType(AuditOutcome, { name: 'AuditOutcome' });

/**
 * One audited action (S32). There is deliberately no column that could hold a secret: `reason`
 * is a short code, never a message, and nothing free-form is stored.
 *
 * `user_id` has no foreign key on purpose: an account's history must outlive the account
 * (and the rows it points at), so deleting a user or an API key never deletes its events.
 */
@ObjectType('AuditEvent', { description: 'An entry of the audit log.' })
@Entity({ tableName: 'audit_events' })
@Index({
  name: 'audit_events_user_id_created_at_id_index',
  // Serves "this user's events, newest first" with keyset pagination on (created_at, id).
  expression: 'create index "audit_events_user_id_created_at_id_index" on "audit_events" ("user_id", "created_at" desc, "id" desc)',
})
export class AuditEvent {
  [OptionalProps]?: 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** The account the event belongs to (whose audit log shows it); null for hub-wide events. */
  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  @Field(() => AuditActorType)
  @Enum({ items: () => AuditActorType })
  actorType!: AuditActorType;

  @Property({ type: 'string', length: 255, nullable: true })
  actorId?: string | null;

  /** A stable dotted name such as `api_key.rotate`. */
  @Field(() => String)
  @Property({ type: 'string', length: 64 })
  action!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  targetType?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 255, nullable: true })
  targetId?: string | null;

  /** The OAuth provider, or the service an API key is for. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 100, nullable: true })
  provider?: string | null;

  @Field(() => AuditOutcome)
  @Enum({ items: () => AuditOutcome })
  outcome!: AuditOutcome;

  /** A code (`invalid_credentials`, `unreadable`), never a free-form message. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  reason?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null;

  /**
   * Set by the database with clock_timestamp() (microseconds, and not frozen at the start of
   * the transaction), so events written in one transaction or one millisecond still sort.
   */
  @Field(() => Date)
  @Property({ type: 'Date', defaultRaw: 'clock_timestamp()' })
  createdAt!: Date;
}
