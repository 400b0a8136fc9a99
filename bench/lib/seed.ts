import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { hashSessionToken } from '../../server/src/modules/accounts/session.service.js';
import { CONNECTION_COLUMNS, placeOf } from '../../server/src/vault/encrypted-columns.js';
import { Keyring, Vault } from '../../server/src/vault/index.js';

/**
 * Bulk seeding straight into the hub's tables (the hub has migrated the database first):
 * multi-row INSERTs from `unnest` arrays, thousands of rows per statement. Secrets are real vault
 * ciphertexts bound to their row, exactly as ConnectionTokens writes them, so the hub opens them.
 */

export interface SeededUser {
  id: string;
  email: string;
  /** The raw session token (the cookie value); only its SHA-256 is stored. */
  sessionToken: string;
}

export function benchVault(encryptionKeyHex: string): Vault {
  return new Vault(Keyring.fromHex(encryptionKeyHex, []));
}

const BATCH = 5_000;

/** `n` users, each with one live session whose token is known. */
export async function seedUsers(pool: pg.Pool, n: number, tag = 'bench'): Promise<SeededUser[]> {
  const users: SeededUser[] = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    email: `${tag}-${i}-${randomBytes(3).toString('hex')}@example.com`,
    sessionToken: randomBytes(32).toString('base64url'),
  }));
  // Not a usable password: these users never sign in, they arrive with a session.
  const passwordHash = `scrypt$bench$${createHash('sha256').update(tag).digest('hex')}`;
  for (let i = 0; i < n; i += BATCH) {
    const chunk = users.slice(i, i + BATCH);
    await pool.query(`insert into users (id, email, password_hash) select * from unnest($1::uuid[], $2::text[], $3::text[])`, [
      chunk.map((u) => u.id),
      chunk.map((u) => u.email),
      chunk.map(() => passwordHash),
    ]);
    await pool.query(
      `insert into sessions (id, user_id, token_hash, expires_at, last_seen_at)
       select s.id, s.user_id, s.token_hash, now() + interval '30 days', now()
         from unnest($1::uuid[], $2::uuid[], $3::text[]) as s(id, user_id, token_hash)`,
      [chunk.map(() => randomUUID()), chunk.map((u) => u.id), chunk.map((u) => hashSessionToken(u.sessionToken))],
    );
  }
  return users;
}

export interface ConnectionSeed {
  userId: string;
  provider: string;
  accountId: string;
  email: string | null;
  label: string;
  scopes: string[];
  tokenType: string;
  accessToken: string;
  refreshToken: string | null;
  tokenSecret?: string | null;
  expiresAt: Date | null;
  metadata: Record<string, string>;
  connectedAt?: Date;
}

export interface SeededConnection extends ConnectionSeed {
  id: string;
}

/** Inserts connections with their tokens sealed for their own row (owner, `connections`, id, field). */
export async function seedConnections(pool: pg.Pool, vault: Vault, seeds: ConnectionSeed[]): Promise<SeededConnection[]> {
  const rows: SeededConnection[] = seeds.map((s) => ({ ...s, id: randomUUID() }));
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    const seal = (value: string | null | undefined, column: (typeof CONNECTION_COLUMNS)[keyof typeof CONNECTION_COLUMNS], c: SeededConnection) =>
      value == null ? null : vault.encrypt(value, placeOf(column, c.userId, c.id));
    await pool.query(
      `insert into connections (id, user_id, provider, provider_account_id, account_email, account_label, status, scopes,
                                access_token_enc, refresh_token_enc, token_secret_enc, token_type, expires_at, metadata, connected_at)
       select id, user_id, provider, account_id, email, label, 'ACTIVE', scopes::jsonb, access_enc, refresh_enc, secret_enc,
              token_type, expires_at, metadata::jsonb, connected_at
         from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::text[], $12::timestamptz[], $13::text[], $14::timestamptz[])
           as t(id, user_id, provider, account_id, email, label, scopes, access_enc, refresh_enc, secret_enc, token_type,
                expires_at, metadata, connected_at)`,
      [
        chunk.map((c) => c.id),
        chunk.map((c) => c.userId),
        chunk.map((c) => c.provider),
        chunk.map((c) => c.accountId),
        chunk.map((c) => c.email),
        chunk.map((c) => c.label),
        chunk.map((c) => JSON.stringify(c.scopes)),
        chunk.map((c) => seal(c.accessToken, CONNECTION_COLUMNS.accessToken, c)),
        chunk.map((c) => seal(c.refreshToken, CONNECTION_COLUMNS.refreshToken, c)),
        chunk.map((c) => seal(c.tokenSecret, CONNECTION_COLUMNS.tokenSecret, c)),
        chunk.map((c) => c.tokenType),
        chunk.map((c) => c.expiresAt),
        chunk.map((c) => JSON.stringify(c.metadata)),
        chunk.map((c, j) => c.connectedAt ?? new Date(Date.now() - (rows.length - i - j) * 1000)),
      ],
    );
  }
  await pool.query('analyze users; analyze sessions; analyze connections');
  return rows;
}

/** A random token shaped like a provider's (the hub never looks inside). */
export const fakeToken = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
