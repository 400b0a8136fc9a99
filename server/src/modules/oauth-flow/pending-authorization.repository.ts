import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../accounts/user.entity.js';
import { PendingAuthorization } from './pending-authorization.entity.js';

/** What a started connect stores for a pending authorization (the user aside). */
export interface PendingValues {
  id: string;
  stateHash: string;
  provider: string;
  shop: string | null;
  returnTo: string | null;
  redirectUri: string;
  pkceVerifierEnc: string | null;
  requestToken: string | null;
  requestTokenSecretEnc: string | null;
  expiresAt: Date;
}

/** A pending authorization as consumed from the database. */
export interface ConsumedPending {
  id: string;
  userId: string;
  provider: string;
  shop: string | null;
  returnTo: string | null;
  redirectUri: string;
  pkceVerifierEnc: string | null;
  requestToken: string | null;
  requestTokenSecretEnc: string | null;
  expiresAt: Date;
}

/** Rows of pending authorizations past their expiry by this much are deleted when a new connect starts. */
const PENDING_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * Every statement on `oauth_pending_authorizations`, so the flow service only sequences the
 * steps. Statements run on the EntityManager it is built with (a transaction's, to join it).
 */
export class PendingAuthorizationRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Stores `pending` for `userId` unless the user already holds `max` live ones (unused and
   * unexpired, S37), in one transaction that `onInserted` joins (the connect's audit event
   * commits with the row); sweeps rows long past their expiry on the way.
   *
   * The user's row is locked (FOR NO KEY UPDATE: sessions referencing it are not blocked) so the
   * count and the insert of parallel connects cannot interleave — across instances too.
   * @returns 0 when stored, else the seconds until the user's oldest live one expires (at least 1)
   */
  insertBounded(userId: string, pending: PendingValues, max: number, onInserted?: (tx: EntityManager) => Promise<void>): Promise<number> {
    return this.em.transactional(async (tx) => {
      await tx.execute('select id from users where id = ? for no key update', [userId]);
      const [live] = await tx.execute<Array<{ n: number; next_free_ms: number | string | null }>>(
        `select count(*)::int as n, (extract(epoch from (min(expires_at) - now())) * 1000)::float8 as next_free_ms
           from oauth_pending_authorizations where user_id = ? and consumed_at is null and expires_at > now()`,
        [userId],
      );
      if ((live?.n ?? 0) >= max) return Math.max(1, Math.ceil(Number(live?.next_free_ms ?? 0) / 1000));
      tx.create(PendingAuthorization, { ...pending, user: tx.getReference(User, userId) });
      await tx.flush();
      await new PendingAuthorizationRepository(tx).sweep();
      if (onInserted) await onInserted(tx);
      return 0;
    });
  }

  /** Deletes the rows past their expiry by more than the retention. */
  async sweep(): Promise<void> {
    await this.em.nativeDelete(PendingAuthorization, { expiresAt: { $lt: new Date(Date.now() - PENDING_RETENTION_MS) } });
  }

  /** Gives a slot back (a connect whose request-token call failed). */
  async remove(id: string): Promise<void> {
    await this.em.execute('delete from oauth_pending_authorizations where id = ?', [id]);
  }

  /** OAuth 1.0a: the request token and its sealed secret, once the provider handed them out. */
  async setRequestToken(id: string, requestToken: string, requestTokenSecretEnc: string): Promise<void> {
    await this.em.execute('update oauth_pending_authorizations set request_token = ?, request_token_secret_enc = ? where id = ?', [
      requestToken,
      requestTokenSecretEnc,
      id,
    ]);
  }

  /** Single use (S04): the state is marked consumed in the same statement that reads it, if it is `userId`'s. */
  async consume(stateHash: string, userId: string): Promise<ConsumedPending | undefined> {
    const rows = await this.em.execute<
      Array<{
        id: string;
        user_id: string;
        provider: string;
        shop: string | null;
        return_to: string | null;
        redirect_uri: string;
        pkce_verifier_enc: string | null;
        request_token: string | null;
        request_token_secret_enc: string | null;
        expires_at: Date | string;
      }>
    >(
      `update oauth_pending_authorizations set consumed_at = now()
        where state_hash = ? and user_id = ? and consumed_at is null
        returning id, user_id, provider, shop, return_to, redirect_uri, pkce_verifier_enc, request_token, request_token_secret_enc, expires_at`,
      [stateHash, userId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      userId: row.user_id,
      provider: row.provider,
      shop: row.shop,
      returnTo: row.return_to,
      redirectUri: row.redirect_uri,
      pkceVerifierEnc: row.pkce_verifier_enc,
      requestToken: row.request_token,
      requestTokenSecretEnc: row.request_token_secret_enc,
      expiresAt: row.expires_at instanceof Date ? row.expires_at : new Date(row.expires_at),
    };
  }
}
