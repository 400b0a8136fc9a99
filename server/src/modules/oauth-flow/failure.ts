import type { HookFailureReason } from '../../providers/hooks/index.js';

/**
 * Why a callback did not connect an account: a stable code, shown by the dashboard
 * (`/integrations?status=failure&provider=<id>&reason=<code>`) and written to the audit log.
 */
export type CallbackFailureReason =
  | HookFailureReason
  | 'expired'
  | 'invalid_issuer'
  | 'token_exchange_failed'
  | 'identity_failed';

/**
 * Failures that mean the callback itself cannot be trusted (forged, replayed, tampered with): a
 * 400 page, not a redirect. The others are the provider's answer to a genuine request.
 */
const REJECTED: ReadonlySet<CallbackFailureReason> = new Set([
  'invalid_state',
  'expired',
  'invalid_issuer',
  'invalid_hmac',
  'invalid_shop',
  'untrusted_accounts_server',
]);

export const isRejection = (reason: CallbackFailureReason) => REJECTED.has(reason);

/** What the person sees on the 400 page; never anything from the request. */
export const FAILURE_MESSAGES: Record<CallbackFailureReason, string> = {
  invalid_state: 'This sign-in link is not valid, was already used, or belongs to another session. Start the connection again from the dashboard.',
  expired: 'This connection attempt took too long and expired. Start it again from the dashboard.',
  invalid_issuer: 'The answer came from a different authorization server than the one the connection was started with.',
  invalid_hmac: 'The answer from Shopify could not be verified (bad signature or stale timestamp).',
  invalid_shop: 'The answer names a different or invalid shop.',
  untrusted_accounts_server: 'The answer names a Zoho accounts server that is not on the allowed list.',
  access_denied: 'Access was denied at the provider.',
  provider_error: 'The provider reported an error.',
  token_exchange_failed: 'The provider did not issue tokens.',
  identity_failed: 'The provider did not tell which account was connected.',
};
