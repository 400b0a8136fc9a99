import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CONNECTION_COLUMNS, placeOf } from '../../vault/encrypted-columns.js';
import { plainQuery } from '../../db/plain-query.js';
import { rowValues } from '../../db/row-values.js';
import type { Vault } from '../../vault/index.js';
import { User } from '../users/user.entity.js';
import { Connection, ConnectionStatus } from './connection.entity.js';

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

/** What a finished connect hands over to be stored. */
export interface ConnectedAccount {
  userId: string;
  provider: string;
  accountId: string;
  email: string | null;
  label: string;
  scopes: string[];
  tokenType: string;
  expiresAt: Date | null;
  metadata: Record<string, string>;
  secrets: { accessToken: string; refreshToken?: string | undefined; tokenSecret?: string | undefined };
}

/** A connection as the dashboard sees it (the GraphQL `Connection` fields): no secrets, not a managed entity. */
export type ConnectionView = Pick<
  Connection,
  'id' | 'provider' | 'providerAccountId' | 'accountEmail' | 'accountLabel' | 'status' | 'scopes' | 'expiresAt' | 'connectedAt' | 'lastRefreshedAt' | 'lastError'
>;

interface ConnectionViewRow {
  id: string;
  provider: string;
  provider_account_id: string;
  account_email: string | null;
  account_label: string;
  status: ConnectionStatus;
  scopes: string[] | string;
  expires_at: Date | string | null;
  connected_at: Date | string;
  last_refreshed_at: Date | string | null;
  last_error: string | null;
}

export class ConnectionService {
  private readonly tokens: ConnectionTokens;

  constructor(
    private readonly em: EntityManager,
    vault: Vault,
  ) {
    this.tokens = new ConnectionTokens(vault);
  }

  /**
   * Every connection of a user, as plain objects of the non-secret columns (for the dashboard),
   * in one query. It runs on every load of the Integrations page, so it is one plain statement
   * and no entity hydration: benchmark B1's profile showed the ORM's per-row merge dominating.
   */
  async listForUser(userId: string): Promise<ConnectionView[]> {
    const rows = await plainQuery<ConnectionViewRow>(
      this.em,
      `select id, provider, provider_account_id, account_email, account_label, status, scopes, expires_at, connected_at, last_refreshed_at, last_error
         from connections where user_id = ? order by provider asc, connected_at asc, id asc`,
      [userId],
    );
    const value = rowValues(this.em);
    return rows.map((r) => ({
      id: r.id,
      provider: r.provider,
      providerAccountId: r.provider_account_id,
      accountEmail: r.account_email,
      accountLabel: r.account_label,
      status: r.status,
      scopes: value.json(r.scopes),
      expiresAt: value.dateOrNull(r.expires_at),
      connectedAt: value.date(r.connected_at),
      lastRefreshedAt: value.dateOrNull(r.last_refreshed_at),
      lastError: r.last_error,
    }));
  }

  /**
   * Stores a connect's result inside the caller's transaction: the same user + provider + account
   * updates its row (new tokens, scopes, ACTIVE); another account gets a new row. A refresh token
   * missing from a re-connect keeps the stored one (Google sends it only on the first consent).
   */
  async upsert(account: ConnectedAccount): Promise<{ connection: Connection; created: boolean }> {
    const key = { user: account.userId, provider: account.provider, providerAccountId: account.accountId };
    const existing = await this.em.findOne(Connection, key, {
      lockMode: LockMode.PESSIMISTIC_WRITE,
      populate: ['accessTokenEnc', 'refreshTokenEnc', 'tokenSecretEnc'],
    });
    const connection =
      existing ??
      this.em.create(Connection, {
        user: this.em.getReference(User, account.userId),
        provider: account.provider,
        providerAccountId: account.accountId,
        accountLabel: account.label,
        scopes: account.scopes,
        tokenType: account.tokenType,
        accessTokenEnc: '',
      });
    // A stored refresh token that no longer opens is as good as none.
    const kept = existing && !account.secrets.refreshToken ? ((await this.tokens.read(this.em, existing).catch(() => null))?.refreshToken ?? null) : null;
    this.tokens.write(connection, {
      accessToken: account.secrets.accessToken,
      refreshToken: account.secrets.refreshToken ?? kept,
      tokenSecret: account.secrets.tokenSecret ?? null,
    });
    const now = new Date();
    connection.accountEmail = account.email;
    connection.accountLabel = account.label;
    connection.status = ConnectionStatus.ACTIVE;
    connection.scopes = account.scopes;
    connection.tokenType = account.tokenType;
    connection.expiresAt = account.expiresAt;
    connection.metadata = account.metadata;
    connection.connectedAt = now;
    connection.lastError = null;
    connection.refreshFailures = 0;
    connection.nextRefreshAt = null;
    await this.em.flush();
    return { connection, created: !existing };
  }
}
