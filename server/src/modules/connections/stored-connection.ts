import type { EntityManager } from '@mikro-orm/postgresql';
import { plainQuery } from '../../db/plain-query.js';
import { rowValues } from '../../db/row-values.js';
import { PROVIDER_ID } from '../../providers/schema.js';
import { isUuid } from '../api-keys/api-key.service.js';
import type { ConnectionStatus } from './connection.entity.js';
import type { ConnectionState } from './connection-state.js';
import type { SealedTokens } from './connection-tokens.js';

/** A connection as a token read needs it: its state and its sealed tokens, read as one plain row. */
export interface StoredConnection {
  state: ConnectionState;
  sealed: SealedTokens;
}

/** Which connection: by id (it must be the user's, and of `provider` when given), or the user's newest of `provider`. */
export interface StoredConnectionQuery {
  userId: string;
  provider?: string | undefined;
  connectionId?: string | undefined;
}

interface StoredConnectionRow {
  id: string;
  user_id: string;
  provider: string;
  provider_account_id: string;
  status: ConnectionStatus;
  token_type: string;
  expires_at: Date | string | null;
  scopes: string[] | string;
  metadata: Record<string, string> | string;
  last_error: string | null;
  refresh_failures: number;
  next_refresh_at: Date | string | null;
  access_token_enc: string;
  refresh_token_enc: string | null;
  token_secret_enc: string | null;
}

const COLUMNS = `id, user_id, provider, provider_account_id, status, token_type, expires_at, scopes, metadata, last_error,
  refresh_failures, next_refresh_at, access_token_enc, refresh_token_enc, token_secret_enc`;

/**
 * The connection a token read names, in one plain statement (no query builder, no entity: the
 * token route runs this on every call, and benchmark B2's profile showed the ORM's find costing
 * more than the rest of the request). Without `connectionId`: the user's newest ACTIVE connection
 * of the provider, falling back to a NEEDS_REAUTH one, so the caller learns the account must be
 * connected again rather than that it does not exist. Ids that are not uuids find nothing.
 */
export async function loadStoredConnection(em: EntityManager, query: StoredConnectionQuery): Promise<StoredConnection | null> {
  if (!isUuid(query.userId)) return null;
  if (query.provider !== undefined && !PROVIDER_ID.test(query.provider)) return null;
  if (query.connectionId !== undefined && !isUuid(query.connectionId)) return null;
  if (query.provider === undefined && query.connectionId === undefined) return null;
  const where = ['user_id = ?'];
  const params: string[] = [query.userId.toLowerCase()];
  if (query.provider !== undefined) {
    where.push('provider = ?');
    params.push(query.provider);
  }
  if (query.connectionId !== undefined) {
    where.push('id = ?');
    params.push(query.connectionId.toLowerCase());
  }
  const [row] = await plainQuery<StoredConnectionRow>(
    em,
    `select ${COLUMNS} from connections where ${where.join(' and ')}
      order by (status = 'ACTIVE') desc, connected_at desc, id desc limit 1`,
    params,
  );
  return row ? storedOf(em, row) : null;
}

function storedOf(em: EntityManager, r: StoredConnectionRow): StoredConnection {
  const value = rowValues(em);
  return {
    state: {
      id: r.id,
      userId: r.user_id,
      provider: r.provider,
      providerAccountId: r.provider_account_id,
      status: r.status,
      tokenType: r.token_type,
      expiresAt: value.dateOrNull(r.expires_at),
      scopes: value.json(r.scopes),
      metadata: value.json(r.metadata),
      lastError: r.last_error,
      refreshFailures: r.refresh_failures,
      nextRefreshAt: value.dateOrNull(r.next_refresh_at),
    },
    sealed: { accessTokenEnc: r.access_token_enc, refreshTokenEnc: r.refresh_token_enc, tokenSecretEnc: r.token_secret_enc },
  };
}
