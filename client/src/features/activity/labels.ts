import type { AuditActorType, AuditOutcome } from '../../gql/graphql';

/**
 * Human copy for audit events. The server's action names and reason codes are stable
 * identifiers (server/src/modules/audit/audit.service.ts); anything not listed here is shown
 * as the raw code rather than hidden, so a newer server never produces a blank row.
 */

type Label = string | { success: string; failure: string };

const ACTION_LABELS: Readonly<Record<string, Label>> = {
  'auth.sign_up': 'Account created',
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in failed',
  'auth.sign_out': 'Signed out',
  'api_key.create': 'API key added',
  'api_key.update': 'API key renamed',
  'api_key.rotate': 'API key replaced',
  'api_key.delete': 'API key deleted',
  'api_key.read': { success: 'API key read by a service', failure: 'API key read failed' },
  'vault.rotate': { success: 'Encryption keys rotated', failure: 'Encryption key rotation failed' },
  'oauth.connect_start': 'Connect started',
  'oauth.callback': { success: 'Connected', failure: 'Connect failed' },
  'oauth.refresh': { success: 'Token refreshed', failure: 'Refresh failed' },
  // A failed disconnect is still a disconnect (S21): the provider did not confirm the revocation.
  'oauth.disconnect': { success: 'Disconnected', failure: 'Disconnected — revocation not confirmed' },
  'oauth.token_read': { success: 'Token read by a service', failure: 'Token read failed' },
  'oauth.test': { success: 'Connection tested', failure: 'Connection test failed' },
  'oauth.superseded': 'Replaced by a newer connection of the same account',
  // A reconnect revokes the grant it replaced, best effort (like a disconnect).
  'oauth.grant_replaced': { success: 'Previous access revoked after reconnect', failure: 'Reconnected — revocation of the previous access not confirmed' },
};

export function actionLabel(action: string, outcome: AuditOutcome): string {
  const label = Object.hasOwn(ACTION_LABELS, action) ? ACTION_LABELS[action] : undefined;
  if (label === undefined) return action;
  if (typeof label === 'string') return label;
  return outcome === 'FAILURE' ? label.failure : label.success;
}

/** Reason codes in plain words (callback failures, sign-in failures, key reads, rotation). */
const REASONS: Readonly<Record<string, string>> = {
  invalid_credentials: 'Wrong email or password',
  rate_limited: 'Too many attempts; temporarily blocked',
  not_found: 'Nothing stored for this service',
  unreadable: 'The stored value could not be decrypted',
  unreadable_values: 'Some stored values could not be decrypted',
  incomplete: 'Not every stored value was re-encrypted',
  access_denied: 'Access was declined at the provider',
  expired: 'Expired',
  invalid_state: 'The connection link was no longer valid',
  token_exchange_failed: 'The provider did not issue a token',
  provider_error: 'The provider reported an error',
  identity_failed: 'The connected account could not be identified',
  invalid_hmac: 'The provider’s signature did not match',
  invalid_shop: 'The shop domain was not valid',
  untrusted_accounts_server: 'The Zoho accounts server was not on the allowlist',
  invalid_grant: 'Access was revoked or expired — reconnect',
  invalid_issuer: 'The answer came from an unexpected server',
  connected: 'New account',
  reconnected: 'Account connected again',
  not_configured: 'The provider is not configured on this hub',
  provider_unavailable: 'The provider could not be reached',
  malformed_response: 'The provider’s answer could not be read',
  refresh_rejected: 'The provider refused the refresh',
  revocation_rejected: 'The provider refused the revocation',
  already_invalid: 'Already invalid at the provider',
  needs_reauth: 'The connection needs reconnecting',
  not_refreshable: 'This connection cannot be refreshed',
  timeout: 'The provider did not answer in time',
  // Token lifecycle (refresh, token reads, tests, disconnect): server/src/modules/token-lifecycle.
  token_expired: 'The token had expired and could not be renewed',
  token_rejected: 'The provider refused the stored token',
  account_mismatch: 'The provider answered for a different account',
  invalid_metadata: 'The stored connection details were not valid',
  not_supported: 'The provider offers no way to do this',
  refresh_failed: 'A fresh token could not be obtained',
  no_token: 'No token was stored',
  no_expiry: 'The token does not expire',
  backoff: 'Waiting before the next retry',
};

/** Codes whose meaning depends on the action (`expired` is a connect attempt on a callback). */
const ACTION_REASONS: Readonly<Record<string, string>> = {
  'oauth.callback:expired': 'The connection attempt expired',
  'oauth.token_read:expired': 'The token had expired',
  'oauth.refresh:expired': 'The token had expired',
  'oauth.token_read:not_found': 'No such connection',
  'oauth.disconnect:not_supported': 'The provider offers no way to revoke access',
  'oauth.disconnect:refresh_failed': 'The fresh token the revocation needs could not be obtained',
  'oauth.disconnect:no_token': 'No token was stored to revoke',
  'oauth.test:not_supported': 'The provider offers no way to test a connection',
  'oauth.test:identity_failed': 'The provider answered with an error',
  'oauth.grant_replaced:revoked': 'The provider revoked the access this reconnect replaced',
  'oauth.superseded:superseded': 'The provider keeps one connection per account; a newer connect revoked this one',
};

/** The reason in plain words, or the code itself when it is not one we know. */
export function reasonText(reason: string, action?: string): string {
  const specific = action ? `${action}:${reason}` : '';
  if (specific && Object.hasOwn(ACTION_REASONS, specific)) return ACTION_REASONS[specific] ?? reason;
  return Object.hasOwn(REASONS, reason) ? (REASONS[reason] ?? reason) : reason;
}

export function actorLabel(actor: AuditActorType): string {
  switch (actor) {
    case 'USER':
      return 'User';
    case 'SERVICE':
      return 'Service';
    case 'SYSTEM':
      return 'System';
    default:
      return actor;
  }
}
