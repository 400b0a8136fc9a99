import { genericErrorMessage, type ReadError } from '../../lib/graphql-errors';

/** Why a connect did not start, and where to show it (`shop`: under the shop field). */
export interface ConnectFailure {
  field?: 'shop';
  message: string;
  /** The provider list is stale (UNKNOWN_PROVIDER, PROVIDER_NOT_CONFIGURED): read it again. */
  refetch?: boolean;
}

export function placeConnectError(error: ReadError, displayName: string): ConnectFailure {
  switch (error.code) {
    case 'PROVIDER_NOT_CONFIGURED':
      // The server's message names the variables to set ("Set SHOPIFY_CLIENT_ID and …").
      return { message: error.message, refetch: true };
    case 'UNKNOWN_PROVIDER':
      return { message: `${displayName} is no longer available on this hub.`, refetch: true };
    case 'PROVIDER_UNAVAILABLE':
      return { message: `${displayName} cannot be reached right now; try again later.` };
    case 'BAD_USER_INPUT':
      return error.field === 'shop' ? { field: 'shop', message: error.message } : { message: error.message };
    default:
      return { message: genericErrorMessage(error) };
  }
}

export const INVALID_AUTHORIZATION_URL_MESSAGE = 'The hub answered with an address the browser cannot open. Try again.';
