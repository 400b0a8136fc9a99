import { Entity, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../accounts/user.entity.js';

export enum ApiKeyStatus {
  /** The stored value decrypts with a key of the ring. */
  OK = 'OK',
  /** The stored value does not decrypt: its key is not in the ring, or it was altered or moved. */
  UNREADABLE = 'UNREADABLE',
}

registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  description: 'Whether the hub can still decrypt a stored API key (checked without returning it).',
  valuesConfig: {
    OK: { description: 'The key decrypts.' },
    UNREADABLE: { description: 'The key cannot be decrypted (unknown encryption key, or the stored value was altered); save it again.' },
  },
});

/**
 * An API key a user stored for a backend service. The key itself is only ever held sealed by
 * the vault (`encryptedKey`: hidden, lazy, no @Field), bound to this row by AAD (S15, S24, S27);
 * GraphQL sees the last characters (`hint`) and never the key.
 */
@ObjectType('ApiKey', { description: 'A stored API key. The key itself is never returned; `hint` shows its last characters.' })
@Entity({ tableName: 'user_api_keys' })
@Unique({ properties: ['user', 'service', 'name'] })
export class ApiKey {
  [OptionalProps]?: 'id' | 'createdAt' | 'updatedAt' | 'lastUsedAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  /** Which backend service the key is for, e.g. `openai` (lower-case slug). */
  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  service!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 255 })
  name!: string;

  /** The vault's sealed string (`v1.<keyId>.<iv>.<ciphertext>.<tag>`). */
  @Property({ type: 'text', hidden: true, lazy: true })
  encryptedKey!: string;

  /** The key's last characters (at most 4, at most a quarter of it), so users can tell keys apart. */
  @Field(() => String)
  @Property({ type: 'string', length: 4 })
  hint!: string;

  @Field(() => Date)
  @Property({ type: 'Date', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => Date)
  @Property({ type: 'Date', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** Last time a backend service read the key through /api/credentials. */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'Date', nullable: true })
  lastUsedAt?: Date | null;
}
