import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { plainQuery } from '../../db/plain-query.js';
import { rowValues } from '../../db/row-values.js';
import type { Vault } from '../../vault/index.js';
import { User } from '../accounts/user.entity.js';
import { Connection, ConnectionStatus } from './connection.entity.js';
import { ConnectionTokens, type ConnectionSecrets } from './connection-tokens.js';

/** lastError of a connection whose grant a newer connect of the same account revoked at the provider. */
export const SUPERSEDED = 'superseded';

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
  /** Shopify's refresh_token_expires_in as a date; null when the provider gives none. */
  refreshTokenExpiresAt?: Date | null;
  metadata: Record<string, string>;
  secrets: { accessToken: string; refreshToken?: string | undefined; tokenSecret?: string | undefined };
}

/** A connection as the dashboard sees it (the GraphQL `Connection` fields): no secrets, not a managed entity. */
export type ConnectionView = Pick<
  Connection,
  | 'id'
  | 'provider'
  | 'providerAccountId'
  | 'accountEmail'
  | 'accountLabel'
  | 'status'
  | 'scopes'
  | 'expiresAt'
  | 'refreshTokenExpiresAt'
  | 'connectedAt'
  | 'lastRefreshedAt'
  | 'lastError'
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
  refresh_token_expires_at: Date | string | null;
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
      `select id, provider, provider_account_id, account_email, account_label, status, scopes, expires_at, refresh_token_expires_at, connected_at, last_refreshed_at, last_error
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
      refreshTokenExpiresAt: value.dateOrNull(r.refresh_token_expires_at),
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
  async upsert(account: ConnectedAccount): Promise<{ connection: Connection; created: boolean; replaced: ConnectionSecrets | null }> {
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
    // The tokens this reconnect replaces (revoked after the commit, best effort); tokens that no
    // longer open are as good as none.
    const replaced = existing ? await this.tokens.read(this.em, existing).catch(() => null) : null;
    const kept = !account.secrets.refreshToken ? (replaced?.refreshToken ?? null) : null;
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
    // A kept refresh token keeps its known expiry; a new one brings its own (or none).
    if (account.secrets.refreshToken || !existing) connection.refreshTokenExpiresAt = account.refreshTokenExpiresAt ?? null;
    connection.metadata = account.metadata;
    connection.connectedAt = now;
    connection.lastError = null;
    connection.refreshFailures = 0;
    connection.nextRefreshAt = null;
    await this.em.flush();
    return { connection, created: !existing, replaced };
  }

  /**
   * For providers that keep one live grant per app and account (Shopify: one expiring offline
   * token per app and shop, `singleGrantPerAccount`): the connect that just stored `connection`
   * revoked, at the provider, the tokens of every other connection of the same account — the
   * same shop connected by another user of this hub, whatever their user. They are marked
   * NEEDS_REAUTH with `superseded` now, inside the caller's transaction, rather than left ACTIVE
   * until their next refresh fails with a puzzling invalid_grant. (The same user's own row for
   * that account is `connection` itself: a reconnect replaces it.) Returns the rows changed, for
   * the caller's audit events.
   */
  async supersedeOthers(connection: Connection): Promise<Connection[]> {
    const others = await this.em.find(
      Connection,
      { provider: connection.provider, providerAccountId: connection.providerAccountId, id: { $ne: connection.id }, status: ConnectionStatus.ACTIVE },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    for (const other of others) {
      other.status = ConnectionStatus.NEEDS_REAUTH;
      other.lastError = SUPERSEDED;
      other.nextRefreshAt = null;
    }
    await this.em.flush();
    return others;
  }
}
