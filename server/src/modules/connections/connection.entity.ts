import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../accounts/user.entity.js';

export enum ConnectionStatus {
  ACTIVE = 'ACTIVE',
  /** The provider refused the stored tokens; the user must connect again. */
  NEEDS_REAUTH = 'NEEDS_REAUTH',
}

registerEnumType(ConnectionStatus, { name: 'ConnectionStatus', description: 'Whether the stored tokens still work.' });

/**
 * One connected provider account of a user. Tokens are vault-sealed (bound to this row: owner,
 * `connections`, id, field) and only ever read or written through ConnectionTokens; their columns
 * have no @Field, are `hidden` (never serialised) and `lazy` (not loaded unless asked for).
 */
@ObjectType('Connection', { description: 'A provider account connected by the signed-in user.' })
@Entity({ tableName: 'connections' })
@Unique({ properties: ['user', 'provider', 'providerAccountId'] })
@Index({ properties: ['status', 'expiresAt'] })
export class Connection {
  [OptionalProps]?: 'id' | 'status' | 'metadata' | 'refreshFailures' | 'connectedAt' | 'createdAt' | 'updatedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade', hidden: true })
  user!: User;

  @Field(() => String)
  @Property({ type: 'string', length: 40 })
  provider!: string;

  @Field(() => String, { name: 'accountId', description: "The account's id at the provider." })
  @Property({ type: 'string', length: 255 })
  providerAccountId!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 320, nullable: true })
  accountEmail?: string | null;

  @Field(() => String)
  @Property({ type: 'string', length: 255 })
  accountLabel!: string;

  @Field(() => ConnectionStatus)
  @Enum({ items: () => ConnectionStatus })
  status: ConnectionStatus = ConnectionStatus.ACTIVE;

  /** Granted scopes (as the provider reported them, else as requested). */
  @Field(() => [String])
  @Property({ type: 'json' })
  scopes!: string[];

  @Property({ type: 'text', hidden: true, lazy: true })
  accessTokenEnc!: string;

  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  refreshTokenEnc?: string | null;

  /** OAuth 1.0a token secret (Trello). */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  tokenSecretEnc?: string | null;

  @Property({ type: 'string', length: 40 })
  tokenType!: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'Date', nullable: true })
  expiresAt?: Date | null;

  /**
   * When the refresh token dies if it is not used before (Shopify `refresh_token_expires_in`,
   * 90 days, renewed by every refresh); null when the provider does not say.
   */
  @Field(() => Date, { nullable: true, description: 'When the refresh token expires unless a refresh happens first (null: the provider gives no date).' })
  @Property({ type: 'Date', nullable: true })
  refreshTokenExpiresAt?: Date | null;

  /** Non-secret facts the later requests need: shop, accounts_server, api_domain, account_id. */
  @Property({ type: 'json' })
  metadata: Record<string, string> = {};

  @Field(() => Date)
  @Property({ type: 'Date' })
  connectedAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Property({ type: 'Date', nullable: true })
  lastRefreshedAt?: Date | null;

  /** A code (`invalid_grant`, `token_exchange_failed` …), never a message. */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 64, nullable: true })
  lastError?: string | null;

  /** Consecutive failed refreshes (backoff of the refresh scheduler). */
  @Property({ type: 'integer', default: 0 })
  refreshFailures: number = 0;

  /** When the refresh scheduler should look at this connection next. */
  @Property({ type: 'Date', nullable: true })
  nextRefreshAt?: Date | null;

  @Property({ type: 'Date', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'Date', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
