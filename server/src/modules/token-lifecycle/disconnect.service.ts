import type { EntityManager } from '@mikro-orm/postgresql';
import type { LifecycleServices } from './refresh.service.js';
import { pickRevocationToken, revokeToken, type RevocationResult } from '../../oauth/revoke.js';
import { VaultError } from '../../vault/index.js';
import { AuditActorType, AuditOutcome } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { isUuid } from '../api-keys/api-key.service.js';
import { ConnectionStatus, type Connection } from '../connections/connection.entity.js';
import { connectionVars } from '../connections/connection-state.js';
import { lockConnection } from '../connections/connection.repository.js';
import { ConnectionTokens, type ConnectionSecrets } from '../connections/connection-tokens.js';
import { connectionNotFound } from './lifecycle-errors.js';
import type { LifecycleActor } from './refresh.service.js';

/**
 * Why the provider did not confirm the revocation (the connection is deleted all the same):
 * the provider's answer (see oauth/revoke.ts), or what kept the hub from asking.
 */
export type RevocationError =
  | 'provider_unavailable'
  | 'timeout'
  | 'malformed_response'
  | 'revocation_rejected'
  /** The provider has no revocation endpoint (a custom provider without revocationUrl). */
  | 'not_supported'
  /** The provider's credentials are no longer configured. */
  | 'not_configured'
  /** The stored tokens do not decrypt. */
  | 'unreadable'
  | 'invalid_metadata'
  /** The call needs a live access token (Dropbox, Shopify) and the refresh for one failed transiently. */
  | 'refresh_failed'
  | 'no_token';

export interface DisconnectResult {
  revoked: boolean;
  revocationError: RevocationError | null;
}

type Attempt = { revoked: true; alreadyInvalid: boolean } | { revoked: false; reason: RevocationError };

const audit = new AuditService();

/**
 * Disconnect (S21): revoke at the provider first — as the catalog's RevocationSpec says, with
 * its method and client authentication (S22) — then delete the connection and its tokens. A
 * provider that fails (5xx, timeout) does not keep the tokens here: the row is deleted anyway and
 * the failed revocation is reported and audited. "Already invalid" counts as revoked.
 *
 * Everything happens under the row lock, so no refresh can rotate the tokens between the
 * revocation and the delete. A revocation authenticated by the access token itself (Dropbox,
 * Shopify) needs a live one: an expired token is refreshed first, in the same transaction.
 * @throws AppError NOT_FOUND (no such connection of this user)
 */
export async function disconnectConnection(
  services: LifecycleServices,
  input: { userId: string; connectionId: string; actor: LifecycleActor },
): Promise<DisconnectResult> {
  if (!isUuid(input.connectionId) || !isUuid(input.userId)) throw connectionNotFound();
  const result = await services.db.orm.em.fork().transactional(async (tx) => {
    const c = await lockConnection(tx, { id: input.connectionId.toLowerCase(), userId: input.userId.toLowerCase() }, { withTokens: true });
    if (!c) return null;
    const attempt = await revokeLocked(services, tx, c, input.actor);
    const provider = c.provider;
    const userId = c.user.id;
    tx.remove(c);
    await tx.flush();
    await audit.record(tx, {
      userId,
      actorType: input.actor.type,
      actorId: input.actor.id ?? null,
      action: 'oauth.disconnect',
      targetType: 'connection',
      targetId: input.connectionId.toLowerCase(),
      provider,
      outcome: attempt.revoked ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
      reason: attempt.revoked ? (attempt.alreadyInvalid ? 'already_invalid' : null) : attempt.reason,
      ip: input.actor.ip ?? null,
    });
    services.logger.info(
      { connectionId: input.connectionId, provider, revoked: attempt.revoked, reason: attempt.revoked ? null : attempt.reason },
      attempt.revoked ? 'connection disconnected and revoked' : 'connection disconnected; the provider did not confirm the revocation',
    );
    return attempt;
  });
  if (!result) throw connectionNotFound();
  return { revoked: result.revoked, revocationError: result.revoked ? null : result.reason };
}

async function revokeLocked(services: LifecycleServices, tx: EntityManager, c: Connection, actor: LifecycleActor): Promise<Attempt> {
  const provider = services.providers.get(c.provider);
  if (!provider?.credentials) return { revoked: false, reason: 'not_configured' };
  const spec = provider.definition.revocation;
  if (spec.kind === 'none') return { revoked: false, reason: 'not_supported' };
  let secrets: ConnectionSecrets;
  try {
    secrets = await new ConnectionTokens(services.vault).read(tx, c);
  } catch (err) {
    if (err instanceof VaultError) return { revoked: false, reason: 'unreadable' };
    throw err;
  }
  const vars = connectionVars(provider, c.metadata, [spec.url]);
  if (!vars) return { revoked: false, reason: 'invalid_metadata' };

  // The access token authenticates the call (Dropbox, Shopify): it must be alive.
  const expired = c.expiresAt !== null && c.expiresAt !== undefined && c.expiresAt.getTime() <= Date.now();
  if (spec.tokenIn === 'presentation' && expired) {
    if (c.status === ConnectionStatus.NEEDS_REAUTH || secrets.refreshToken === null || !provider.definition.refresh.supported) {
      // Expired access token and a refresh token the provider refused (or none): nothing live is left.
      return { revoked: true, alreadyInvalid: true };
    }
    const outcome = await services.tokenRefresh.refreshLocked(tx, c, { trigger: 'disconnect', actor });
    if (outcome.kind === 'failed') {
      // A refused grant has nothing left to revoke.
      if (outcome.reason === 'invalid_grant') return { revoked: true, alreadyInvalid: true };
      return { revoked: false, reason: outcome.reason === 'unreadable' || outcome.reason === 'invalid_metadata' ? outcome.reason : 'refresh_failed' };
    }
    if (outcome.kind !== 'gone') secrets = outcome.secrets;
  }
  const token = pickRevocationToken(spec, secrets);
  if (!token) return { revoked: false, reason: 'no_token' };
  const result: RevocationResult = await revokeToken(services.oauthHttp, {
    spec,
    vars,
    credentials: provider.credentials,
    token: token.value,
    accessToken: secrets.accessToken,
    tokenSecret: secrets.tokenSecret,
  });
  if (!result.revoked) {
    services.logger.warn({ connectionId: c.id, provider: c.provider, reason: result.reason, status: result.status }, 'revocation failed');
  }
  return result;
}

/** Why a reconnect did not revoke the grant it replaced at the provider. */
export type ReplacedGrantSkip =
  /** The provider has no revocation endpoint. */
  | 'not_supported'
  /** Revoking any token revokes the whole grant (Google): it would kill the new tokens too. */
  | 'revokes_whole_grant'
  /** The new grant already revoked the old one at the provider (Shopify, one per shop). */
  | 'single_grant'
  /** The provider handed back the same token: it is the new grant's. */
  | 'same_token'
  | 'no_token';

/**
 * A reconnect of the same account replaced `replaced` (the tokens it overwrote) with `current`:
 * revoke the old grant at the provider, as a disconnect does (S21, S22, the same request
 * through revokeToken), best effort, and audit it as `oauth.grant_replaced`. Called after the
 * callback's transaction committed: no database connection is held during the provider call.
 * The old access token is used as it is (no refresh of a grant being thrown away); an expired
 * one the provider refuses is reported as a failure. Never revokes a token equal to a new one.
 */
export async function revokeReplacedGrant(
  services: Pick<LifecycleServices, 'db' | 'logger' | 'providers' | 'oauthHttp'>,
  input: {
    userId: string;
    connectionId: string;
    provider: string;
    metadata: Record<string, string> | null | undefined;
    replaced: ConnectionSecrets;
    current: ConnectionSecrets;
    ip?: string | null;
  },
): Promise<{ revoked: boolean; skipped?: ReplacedGrantSkip; reason?: RevocationError }> {
  const provider = services.providers.get(input.provider);
  const skip = (skipped: ReplacedGrantSkip) => ({ revoked: false, skipped });
  if (!provider?.credentials) return { revoked: false, reason: 'not_configured' };
  const spec = provider.definition.revocation;
  if (spec.kind === 'none') return skip('not_supported');
  if (spec.revokesWholeGrant) return skip('revokes_whole_grant');
  if (provider.definition.singleGrantPerAccount) return skip('single_grant');
  const token = pickRevocationToken(spec, input.replaced);
  if (!token) return skip('no_token');
  const fresh = new Set([input.current.accessToken, input.current.refreshToken, input.current.tokenSecret].filter((t): t is string => t !== null));
  // The token that authenticates the call (Dropbox, Shopify) must not be a new one either.
  if (fresh.has(token.value) || (spec.tokenIn === 'presentation' && fresh.has(input.replaced.accessToken))) return skip('same_token');
  let attempt: Attempt;
  const vars = connectionVars(provider, input.metadata ?? {}, [spec.url]);
  if (!vars) {
    attempt = { revoked: false, reason: 'invalid_metadata' };
  } else {
    attempt = await revokeToken(services.oauthHttp, {
      spec,
      vars,
      credentials: provider.credentials,
      token: token.value,
      accessToken: input.replaced.accessToken,
      tokenSecret: input.replaced.tokenSecret,
    });
  }
  await audit.record(services.db.orm.em.fork(), {
    userId: input.userId,
    actorType: AuditActorType.USER,
    actorId: input.userId,
    action: 'oauth.grant_replaced',
    targetType: 'connection',
    targetId: input.connectionId,
    provider: input.provider,
    outcome: attempt.revoked ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
    reason: attempt.revoked ? (attempt.alreadyInvalid ? 'already_invalid' : 'revoked') : attempt.reason,
    ip: input.ip ?? null,
  });
  services.logger[attempt.revoked ? 'info' : 'warn'](
    { connectionId: input.connectionId, provider: input.provider, revoked: attempt.revoked, reason: attempt.revoked ? null : attempt.reason },
    attempt.revoked ? 'reconnect: the replaced grant was revoked' : 'reconnect: the provider did not confirm the revocation of the replaced grant',
  );
  return attempt.revoked ? { revoked: true } : { revoked: false, reason: attempt.reason };
}
