import type { LifecycleServices } from './refresh.service.js';
import { OAuthError } from '../../oauth/errors.js';
import { fetchIdentity, processIdentity } from '../../oauth/identity.js';
import { expandTemplate } from '../../providers/types.js';
import { AppError } from '../../shared/errors.js';
import { AuditOutcome } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { isUuid } from '../api-keys/api-key.service.js';
import { ConnectionStatus } from '../connections/connection.entity.js';
import { loadStoredConnection, type StoredConnection } from '../connections/stored-connection.js';
import { connectionVars } from '../connections/connection-state.js';
import { connectionNotFound } from './lifecycle-errors.js';
import type { LifecycleActor } from './refresh.service.js';
import { liveToken } from './token-access.service.js';

export interface ConnectionTestResult {
  ok: boolean;
  /** The account the provider answered for (when it answered). */
  accountId: string | null;
  /** For people: what happened. Never holds a token or the provider's body. */
  message: string;
}

interface Verdict extends ConnectionTestResult {
  /** Audit reason code (null on success). */
  reason: string | null;
}

const audit = new AuditService();

const fail = (reason: string, message: string, accountId: string | null = null): Verdict => ({ ok: false, accountId, message, reason });

function transportVerdict(name: string, err: OAuthError): Verdict {
  if (err.code === 'timeout') return fail('timeout', `${name} did not answer in time.`);
  if (err.code === 'network') return fail('provider_unavailable', `${name} could not be reached.`);
  if (err.code === 'invalid_response') return fail('malformed_response', `${name} answered with something that is not a valid answer.`);
  const status = err.status ?? 0;
  if (status === 401 || status === 403) return fail('token_rejected', `${name} refused the stored token (HTTP ${status}). Connect the account again if this persists.`);
  if (status >= 500 || status === 429) return fail('provider_unavailable', `${name} is having problems (HTTP ${status}); try again later.`);
  return fail('identity_failed', `${name} answered HTTP ${status || 'with an error'}.`);
}

function appErrorVerdict(name: string, err: AppError): Verdict {
  switch (err.code) {
    case 'NEEDS_REAUTH':
      return fail('needs_reauth', `${name} no longer accepts this connection's tokens: connect the account again.`);
    case 'PROVIDER_NOT_CONFIGURED':
      return fail('not_configured', `${name} is not configured on this hub.`);
    case 'UNREADABLE':
      return fail('unreadable', 'The stored tokens can no longer be decrypted: connect the account again.');
    default: {
      const reason = typeof err.extensions.reason === 'string' ? err.extensions.reason : err.code.toLowerCase();
      return fail(reason, `${name} could not refresh the token (${reason.replace(/_/g, ' ')}); the hub retries with backoff.`);
    }
  }
}

/**
 * Checks a connection with the provider: its identity endpoint called with the current token
 * (refreshed first when needed), presented as the catalog says (OAuth 1.0a signed for Trello).
 * A provider whose identity comes from the token response (Asana) is checked with a refresh,
 * whose answer names the user. Audited as `oauth.test`.
 * @throws AppError NOT_FOUND (no such connection of this user)
 */
export async function testConnection(
  services: LifecycleServices,
  input: { userId: string; connectionId: string; actor: LifecycleActor },
): Promise<ConnectionTestResult> {
  if (!isUuid(input.connectionId) || !isUuid(input.userId)) throw connectionNotFound();
  const em = services.db.orm.em.fork();
  const stored = await loadStoredConnection(em, { userId: input.userId, connectionId: input.connectionId });
  if (!stored) throw connectionNotFound();
  const connection = stored.state;
  const verdict = await check(services, stored, input.actor);
  await audit.record(em, {
    userId: connection.userId,
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    action: 'oauth.test',
    targetType: 'connection',
    targetId: connection.id,
    provider: connection.provider,
    outcome: verdict.ok ? AuditOutcome.SUCCESS : AuditOutcome.FAILURE,
    reason: verdict.reason,
    ip: input.actor.ip ?? null,
  });
  services.logger.info({ connectionId: connection.id, provider: connection.provider, ok: verdict.ok, reason: verdict.reason }, 'connection tested');
  return { ok: verdict.ok, accountId: verdict.accountId, message: verdict.message };
}

async function check(services: LifecycleServices, stored: StoredConnection, actor: LifecycleActor): Promise<Verdict> {
  const c = stored.state;
  const provider = services.providers.get(c.provider);
  const name = provider?.definition.displayName ?? c.provider;
  if (!provider?.credentials) return fail('not_configured', `${name} is not configured on this hub.`);
  if (c.status === ConnectionStatus.NEEDS_REAUTH) return fail('needs_reauth', `${name} no longer accepts this connection's tokens: connect the account again.`);
  const spec = provider.definition.identity;
  const matches = (accountId: string, label: string): Verdict =>
    accountId === c.providerAccountId
      ? { ok: true, accountId, message: `${name} answered for ${label}.`, reason: null }
      : fail('account_mismatch', `${name} answered for a different account than the one connected.`, accountId);

  if (spec.source === 'userinfo') {
    const vars = connectionVars(provider, c.metadata, [spec.url]);
    if (!vars) return fail('invalid_metadata', 'The stored connection details are not valid: connect the account again.');
    let token;
    try {
      token = await liveToken(services, stored, actor);
    } catch (err) {
      if (err instanceof AppError) return appErrorVerdict(name, err);
      throw err;
    }
    try {
      const identity = await fetchIdentity(services.oauthHttp, spec, {
        tokens: {
          accessToken: token.secrets.accessToken,
          ...(token.secrets.tokenSecret !== null ? { tokenSecret: token.secrets.tokenSecret } : {}),
          tokenType: token.state.tokenType,
          expiresAt: token.state.expiresAt,
          fields: {},
        },
        url: expandTemplate(spec.url, vars),
        consumer: { key: provider.credentials.clientId, secret: provider.credentials.clientSecret },
        fallbackLabel: name,
      });
      return matches(identity.accountId, identity.label);
    } catch (err) {
      if (err instanceof OAuthError) return transportVerdict(name, err);
      throw err;
    }
  }

  // No identity request in the catalog: a refresh is the only live check (Asana's names the user).
  if (!provider.definition.refresh.supported) return fail('not_supported', `${name} offers no way to test a connection.`);
  const outcome = await services.tokenRefresh.refresh(c.id, { trigger: 'test', actor, force: true });
  switch (outcome.kind) {
    case 'gone':
      throw connectionNotFound();
    case 'failed':
      if (outcome.needsReauth) return fail('needs_reauth', `${name} no longer accepts this connection's tokens: connect the account again.`);
      return fail(outcome.reason, `${name} could not refresh the token (${outcome.reason.replace(/_/g, ' ')}).`);
    case 'skipped':
      // Forced refreshes only skip what cannot be refreshed.
      return fail(outcome.reason, `${name} offers no way to test this connection (${outcome.reason.replace(/_/g, ' ')}).`);
    case 'refreshed':
      if (spec.source === 'token_response') {
        try {
          const identity = processIdentity(outcome.fields, spec.fields);
          return matches(identity.accountId, identity.label);
        } catch (err) {
          if (err instanceof OAuthError) return transportVerdict(name, err);
          throw err;
        }
      }
      return { ok: true, accountId: c.providerAccountId, message: `${name} issued a new token.`, reason: null };
  }
}
