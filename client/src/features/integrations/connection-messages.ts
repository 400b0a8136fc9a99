import type { DisconnectMutation, TestConnectionMutation } from '../../gql/graphql';

/**
 * What the connection-level actions tell people: a disconnect's outcome, a test's outcome and a
 * connection's last error, from the server's codes (server/src/modules/token-lifecycle). A code
 * this client does not know yet is named as is rather than hidden.
 */

export type DisconnectResult = DisconnectMutation['disconnect'];
export type ConnectionTestResult = TestConnectionMutation['testConnection'];

/** Why the provider did not confirm a revocation, as words that follow "<Provider> did not confirm the revocation (…)". */
export function revocationErrorText(code: string | null): string {
  switch (code) {
    case 'provider_unavailable':
      return 'it was unavailable';
    case 'timeout':
      return 'it did not answer in time';
    case 'malformed_response':
      return 'its answer could not be read';
    case 'revocation_rejected':
      return 'it refused the revocation request';
    case 'not_supported':
      return 'the hub has no way to revoke access there';
    case 'not_configured':
      return 'it is no longer configured on this hub';
    case 'unreadable':
      return 'the stored tokens could not be decrypted, so the hub could not send them';
    case 'invalid_metadata':
      return 'the stored connection details were not valid';
    case 'refresh_failed':
      return 'the hub could not get the fresh token the revocation needs';
    case 'no_token':
      return 'there was no token to revoke';
    case null:
      return 'no reason given';
    default:
      return `error code ${code}`;
  }
}

export interface Notice {
  tone: 'success' | 'warning' | 'info';
  text: string;
}

/** The page message after a disconnect. The connection is gone here either way (S21). */
export function disconnectNotice(result: DisconnectResult, account: string, providerName: string): Notice {
  if (result.revoked) {
    return { tone: 'success', text: `Disconnected ${account}. ${providerName} confirmed the access was revoked.` };
  }
  return {
    tone: 'warning',
    text:
      `Disconnected ${account} here, but ${providerName} did not confirm the revocation ` +
      `(${revocationErrorText(result.revocationError)}). You can also remove the app’s access in your ${providerName} account settings.`,
  };
}

/** NOT_FOUND on disconnect: someone (another tab) got there first; what was asked for is done. */
export function alreadyDisconnectedNotice(account: string, providerName: string): Notice {
  return { tone: 'info', text: `${account} was already disconnected from ${providerName} (perhaps in another tab).` };
}

/** The inline outcome of "Test", next to the account. */
export function testResultText(result: ConnectionTestResult, providerName: string): string {
  if (!result.ok) return result.message;
  return result.accountId ? `Working — ${providerName} answered for ${result.accountId}` : `Working — ${providerName} answered`;
}

export const CONNECTION_GONE_MESSAGE = 'This connection no longer exists; it may have been disconnected in another tab.';

/** A connection's `lastError` (the refresh failure code the server stored) in plain words. */
export function lastErrorText(code: string, providerName: string): string {
  switch (code) {
    case 'invalid_grant':
      return `${providerName} says the access was revoked or has expired.`;
    case 'token_expired':
      return 'The access token expired and could not be renewed.';
    case 'token_rejected':
      return `${providerName} refused the stored token.`;
    case 'unreadable':
      return 'The stored tokens can no longer be decrypted.';
    case 'invalid_metadata':
      return 'The stored connection details are no longer valid.';
    case 'provider_unavailable':
      return `${providerName} could not be reached.`;
    case 'timeout':
      return `${providerName} did not answer in time.`;
    case 'malformed_response':
      return `${providerName}’s answer could not be read.`;
    case 'refresh_rejected':
      return `${providerName} refused to renew the token.`;
    case 'not_configured':
      return `${providerName} is not configured on this hub.`;
    // Shopify keeps one live grant per app and shop: a newer connect of the same shop ended this one.
    case 'superseded':
      return `A newer connection of this account replaced this one; ${providerName} allows only one at a time.`;
    default:
      return `Error code ${code}.`;
  }
}
