import type { EntityManager } from '@mikro-orm/postgresql';
import { CONNECTION_COLUMNS, placeOf } from '../../vault/encrypted-columns.js';
import type { Vault } from '../../vault/index.js';
import { Connection } from './connection.entity.js';

/** The plaintext tokens of one connection; held in memory only as long as a request needs them. */
export interface ConnectionSecrets {
  accessToken: string;
  refreshToken: string | null;
  tokenSecret: string | null;
}

/** What a call to the provider presents: the refresh token is not part of it. */
export type UsableSecrets = Pick<ConnectionSecrets, 'accessToken' | 'tokenSecret'>;

/** The token columns of a connection as stored: vault ciphertexts. */
export interface SealedTokens {
  accessTokenEnc: string;
  refreshTokenEnc: string | null;
  tokenSecretEnc: string | null;
}

/** The row a connection's sealed values are bound to. */
export interface TokenOwner {
  userId: string;
  connectionId: string;
}

const ownerOf = (c: Connection): TokenOwner => ({ userId: c.user.id, connectionId: c.id });
const place = (owner: TokenOwner, field: keyof typeof CONNECTION_COLUMNS) => placeOf(CONNECTION_COLUMNS[field], owner.userId, owner.connectionId);

/**
 * The one way connection tokens are sealed and opened. Each value is bound to its row and field
 * (owner, `connections`, connection id, field), so a value copied elsewhere does not decrypt (S24).
 */
export class ConnectionTokens {
  constructor(private readonly vault: Vault) {}

  /** Seals `secrets` into the entity's columns (flushing is the caller's). `null` clears a column. */
  write(connection: Connection, secrets: ConnectionSecrets): void {
    const owner = ownerOf(connection);
    connection.accessTokenEnc = this.vault.encrypt(secrets.accessToken, place(owner, 'accessToken'));
    connection.refreshTokenEnc = secrets.refreshToken === null ? null : this.vault.encrypt(secrets.refreshToken, place(owner, 'refreshToken'));
    connection.tokenSecretEnc = secrets.tokenSecret === null ? null : this.vault.encrypt(secrets.tokenSecret, place(owner, 'tokenSecret'));
  }

  /**
   * Opens the sealed columns (loading them first when the entity has not).
   * @throws VaultError when a value does not decrypt (moved, altered, or its key is gone).
   */
  async read(em: EntityManager, connection: Connection): Promise<ConnectionSecrets> {
    if (connection.accessTokenEnc === undefined) {
      // One query for the three columns (em.populate loads lazy scalars one query each); the
      // loaded values merge into this managed entity, as populate's own per-column finds do.
      await em.find(Connection, { id: connection.id }, { fields: ['accessTokenEnc', 'refreshTokenEnc', 'tokenSecretEnc'] });
    }
    return this.open(
      { accessTokenEnc: connection.accessTokenEnc, refreshTokenEnc: connection.refreshTokenEnc ?? null, tokenSecretEnc: connection.tokenSecretEnc ?? null },
      ownerOf(connection),
    );
  }

  /**
   * Opens sealed columns read as a plain row (not an entity) of connection `owner.connectionId`.
   * @throws VaultError when a value does not decrypt (moved, altered, or its key is gone).
   */
  open(sealed: SealedTokens, owner: TokenOwner): ConnectionSecrets {
    const refreshToken = sealed.refreshTokenEnc ? this.vault.decrypt(sealed.refreshTokenEnc, place(owner, 'refreshToken')) : null;
    return { ...this.openForUse(sealed, owner), refreshToken };
  }

  /**
   * Opens only what a call to the provider's API presents (the access token, and the OAuth 1.0a
   * token secret): the refresh token stays sealed, out of memory, until a refresh needs it.
   * @throws VaultError when a value does not decrypt.
   */
  openForUse(sealed: SealedTokens, owner: TokenOwner): UsableSecrets {
    return {
      accessToken: this.vault.decrypt(sealed.accessTokenEnc, place(owner, 'accessToken')),
      tokenSecret: sealed.tokenSecretEnc ? this.vault.decrypt(sealed.tokenSecretEnc, place(owner, 'tokenSecret')) : null,
    };
  }
}
