import type { RefreshFailureReason } from '../../oauth/refresh.js';
import { AppError } from '../../shared/errors.js';

/**
 * The errors of token access, with their stable codes. REST (http/error-handler.ts) and GraphQL
 * (graphql/errors.ts) map AppError once each; `extensions.reason` carries the stored code.
 */
export const connectionNotFound = () => new AppError('NOT_FOUND', 'Connection not found');

export const needsReauth = () =>
  new AppError('NEEDS_REAUTH', 'The provider no longer accepts this connection’s tokens: connect the account again', { status: 409 });

export const providerNotConfigured = (variables: string[]) =>
  new AppError('PROVIDER_NOT_CONFIGURED', `The provider is not configured${variables.length > 0 ? `: set ${variables.join(' and ')}` : ''}`, {
    status: 409,
    extensions: { variables },
  });

export const unreadableTokens = () =>
  new AppError('UNREADABLE', 'The stored tokens can no longer be decrypted: connect the account again', { status: 409 });

/** A transient refresh failure: the provider is down, slow or garbled, or it refused the hub's request. */
export function refreshFailure(reason: RefreshFailureReason | string): AppError {
  if (reason === 'refresh_rejected') {
    return new AppError('REFRESH_FAILED', 'The provider refused to refresh the token; the hub retries with backoff', { status: 502, extensions: { reason } });
  }
  return new AppError('PROVIDER_UNAVAILABLE', 'The provider is not answering properly; the hub retries with backoff', { status: 502, extensions: { reason } });
}
