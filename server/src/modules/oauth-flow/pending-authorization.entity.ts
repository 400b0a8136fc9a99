import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { User } from '../accounts/user.entity.js';

/** How long a started connect stays valid (S05: at most 10 minutes). */
export const PENDING_AUTHORIZATION_TTL_MS = 10 * 60 * 1000;

/**
 * A connect in progress: what the callback needs to finish it, bound to one user and provider.
 * Kept in the database so any hub instance can finish it (F04). The state itself is never
 * stored, only its SHA-256; the PKCE verifier and Trello's request-token secret are vault-sealed.
 */
@Entity({ tableName: 'oauth_pending_authorizations' })
export class PendingAuthorization {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64 })
  @Unique()
  stateHash!: string;

  @ManyToOne(() => User, { deleteRule: 'cascade' })
  @Index()
  user!: User;

  @Property({ type: 'string', length: 40 })
  provider!: string;

  /** Shopify: the validated shop domain the flow was started for. */
  @Property({ type: 'string', length: 255, nullable: true })
  shop?: string | null;

  /** A validated same-origin path, or null (the Integrations page). */
  @Property({ type: 'string', length: 512, nullable: true })
  returnTo?: string | null;

  /** Exactly the redirect_uri of the authorization request, for the token request (S07). */
  @Property({ type: 'text' })
  redirectUri!: string;

  @Property({ type: 'text', nullable: true, hidden: true })
  pkceVerifierEnc?: string | null;

  /** OAuth 1.0a request token (not a secret on its own: it travels in the browser's URL). */
  @Property({ type: 'string', length: 255, nullable: true })
  requestToken?: string | null;

  @Property({ type: 'text', nullable: true, hidden: true })
  requestTokenSecretEnc?: string | null;

  @Property({ type: 'Date', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'Date' })
  @Index()
  expiresAt!: Date;

  @Property({ type: 'Date', nullable: true })
  consumedAt?: Date | null;
}
