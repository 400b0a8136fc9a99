import type { RefreshFailureReason } from '../../oauth/refresh.js';
import { AppError, notFound, providerNotConfigured as notConfigured, providerUnavailable, unreadable } from '../../shared/errors.js';

/**
 * The errors of token access, with their stable codes. REST (http/error-handler.ts) and GraphQL
 * (graphql/errors.ts) map AppError once each; `extensions.reason` carries the stored code.
 */
export const connectionNotFound = () => notFound('Connection');

export const needsReauth = () =>
  new AppError('NEEDS_REAUTH', 'The provider no longer accepts this connection’s tokens: connect the account again');

export const providerNotConfigured = (variables: string[]) =>
  notConfigured(`The provider is not configured${variables.length > 0 ? `: set ${variables.join(' and ')}` : ''}`, variables);

export const unreadableTokens = () => unreadable('The stored tokens can no longer be decrypted: connect the account again');

/** A transient refresh failure: the provider is down, slow or garbled, or it refused the hub's request. */
export function refreshFailure(reason: RefreshFailureReason | string): AppError {
  if (reason === 'refresh_rejected') {
    return new AppError('REFRESH_FAILED', 'The provider refused to refresh the token; the hub retries with backoff', { extensions: { reason } });
  }
  return providerUnavailable('The provider is not answering properly; the hub retries with backoff', reason);
}
