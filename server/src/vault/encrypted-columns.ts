import type { SecretPlace } from './vault.js';

/**
 * Every database column that holds a vault-sealed value. The rotate command walks this list,
 * and each module builds its AAD place from its entry, so the two cannot drift apart.
 * A module that adds an encrypted column adds it here (a test checks each entry exists).
 */
export interface EncryptedColumn {
  table: string;
  /** Primary key column: the AAD recordId. */
  idColumn: string;
  /** The owning user's id column: the AAD ownerId. */
  ownerColumn: string;
  /** The AAD `kind`. */
  kind: string;
  /** The AAD `field`. */
  field: string;
  /** The column holding the sealed string (nullable columns are fine: nulls are skipped). */
  column: string;
}

export const API_KEY_COLUMN = {
  table: 'user_api_keys',
  idColumn: 'id',
  ownerColumn: 'user_id',
  kind: 'user_api_keys',
  field: 'encrypted_key',
  column: 'encrypted_key',
} as const satisfies EncryptedColumn;

/** OAuth tokens of a connection (AAD kind `connections`, field `access_token` | `refresh_token` | `token_secret`). */
export const CONNECTION_COLUMNS = {
  accessToken: { table: 'connections', idColumn: 'id', ownerColumn: 'user_id', kind: 'connections', field: 'access_token', column: 'access_token_enc' },
  refreshToken: { table: 'connections', idColumn: 'id', ownerColumn: 'user_id', kind: 'connections', field: 'refresh_token', column: 'refresh_token_enc' },
  tokenSecret: { table: 'connections', idColumn: 'id', ownerColumn: 'user_id', kind: 'connections', field: 'token_secret', column: 'token_secret_enc' },
} as const satisfies Record<string, EncryptedColumn>;

/** Secrets of a connect in progress (lives at most 10 minutes, but rotation must not strand it). */
export const PENDING_AUTHORIZATION_COLUMNS = {
  pkceVerifier: {
    table: 'oauth_pending_authorizations',
    idColumn: 'id',
    ownerColumn: 'user_id',
    kind: 'oauth_pending_authorizations',
    field: 'pkce_verifier',
    column: 'pkce_verifier_enc',
  },
  requestTokenSecret: {
    table: 'oauth_pending_authorizations',
    idColumn: 'id',
    ownerColumn: 'user_id',
    kind: 'oauth_pending_authorizations',
    field: 'request_token_secret',
    column: 'request_token_secret_enc',
  },
} as const satisfies Record<string, EncryptedColumn>;

export const ENCRYPTED_COLUMNS: readonly EncryptedColumn[] = [
  API_KEY_COLUMN,
  ...Object.values(CONNECTION_COLUMNS),
  ...Object.values(PENDING_AUTHORIZATION_COLUMNS),
];

/** Where a value of `column` for one row lives, as the vault binds it (S24). */
export function placeOf(column: EncryptedColumn, ownerId: string, recordId: string): SecretPlace {
  return { ownerId, kind: column.kind, recordId, field: column.field };
}
