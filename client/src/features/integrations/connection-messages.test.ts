import { describe, expect, it } from 'vitest';
import { actionLabel, reasonText } from '../activity/labels';
import { disconnectNotice, lastErrorText, revocationErrorText, testResultText } from './connection-messages';

const disconnected = (revocationError: string | null) => disconnectNotice({ __typename: 'DisconnectResult', revoked: false, revocationError }, 'ada@example.com', 'Box');

describe('disconnectNotice', () => {
  it('S21 says the provider confirmed the revocation', () => {
    expect(disconnectNotice({ __typename: 'DisconnectResult', revoked: true, revocationError: null }, 'ada@example.com', 'Box')).toEqual({
      tone: 'success',
      text: 'Disconnected ada@example.com. Box confirmed the access was revoked.',
    });
  });

  it('S21 says it was deleted here only, why, and where else to remove access', () => {
    expect(disconnected('timeout')).toEqual({
      tone: 'warning',
      text:
        'Disconnected ada@example.com here, but Box did not confirm the revocation (it did not answer in time). ' +
        'You can also remove the app’s access in your Box account settings.',
    });
  });

  // Every code the server documents (schema.graphql, DisconnectResult.revocationError) has words.
  it.each([
    ['provider_unavailable', 'it was unavailable'],
    ['timeout', 'it did not answer in time'],
    ['malformed_response', 'its answer could not be read'],
    ['revocation_rejected', 'it refused the revocation request'],
    ['not_supported', 'the hub has no way to revoke access there'],
    ['not_configured', 'it is no longer configured on this hub'],
    ['unreadable', 'the stored tokens could not be decrypted, so the hub could not send them'],
    ['invalid_metadata', 'the stored connection details were not valid'],
    ['refresh_failed', 'the hub could not get the fresh token the revocation needs'],
    ['no_token', 'there was no token to revoke'],
    ['something_new', 'error code something_new'],
    [null, 'no reason given'],
  ])('revocation error %s → %s', (code, words) => {
    expect(revocationErrorText(code)).toBe(words);
    expect(disconnected(code).text).toContain(`(${words})`);
  });
});

describe('testResultText', () => {
  it('names the account the provider answered for, or passes on the server’s message', () => {
    expect(testResultText({ __typename: 'ConnectionTestResult', ok: true, accountId: 'u-17', message: 'Box answered for Ada.' }, 'Box')).toBe(
      'Working — Box answered for u-17',
    );
    expect(testResultText({ __typename: 'ConnectionTestResult', ok: true, accountId: null, message: 'Box issued a new token.' }, 'Box')).toBe(
      'Working — Box answered',
    );
    expect(testResultText({ __typename: 'ConnectionTestResult', ok: false, accountId: null, message: 'Box did not answer in time.' }, 'Box')).toBe(
      'Box did not answer in time.',
    );
  });
});

describe('lastErrorText', () => {
  it.each([
    ['invalid_grant', 'Box says the access was revoked or has expired.'],
    ['token_expired', 'The access token expired and could not be renewed.'],
    ['unreadable', 'The stored tokens can no longer be decrypted.'],
    ['provider_unavailable', 'Box could not be reached.'],
    ['timeout', 'Box did not answer in time.'],
    ['malformed_response', 'Box’s answer could not be read.'],
    ['refresh_rejected', 'Box refused to renew the token.'],
    ['superseded', 'A newer connection of this account replaced this one; Box allows only one at a time.'],
    ['brand_new', 'Error code brand_new.'],
  ])('%s → %s', (code, text) => {
    expect(lastErrorText(code, 'Box')).toBe(text);
  });
});

// The Activity page's copy for what these actions record (server: token-lifecycle, S32).
describe('activity labels for the token lifecycle', () => {
  it('labels disconnect, refresh, test and token reads', () => {
    expect(actionLabel('oauth.disconnect', 'SUCCESS')).toBe('Disconnected');
    expect(actionLabel('oauth.disconnect', 'FAILURE')).toBe('Disconnected — revocation not confirmed');
    expect(actionLabel('oauth.refresh', 'FAILURE')).toBe('Refresh failed');
    expect(actionLabel('oauth.test', 'SUCCESS')).toBe('Connection tested');
    expect(actionLabel('oauth.test', 'FAILURE')).toBe('Connection test failed');
    expect(actionLabel('oauth.token_read', 'SUCCESS')).toBe('Token read by a service');
    expect(actionLabel('oauth.token_read', 'FAILURE')).toBe('Token read failed');
  });

  it.each([
    ['oauth.refresh', 'invalid_grant', 'Access was revoked or expired — reconnect'],
    ['oauth.refresh', 'provider_unavailable', 'The provider could not be reached'],
    ['oauth.refresh', 'timeout', 'The provider did not answer in time'],
    ['oauth.refresh', 'malformed_response', 'The provider’s answer could not be read'],
    ['oauth.refresh', 'unreadable', 'The stored value could not be decrypted'],
    ['oauth.refresh', 'token_expired', 'The token had expired and could not be renewed'],
    ['oauth.disconnect', 'already_invalid', 'Already invalid at the provider'],
    ['oauth.disconnect', 'revocation_rejected', 'The provider refused the revocation'],
    ['oauth.disconnect', 'not_supported', 'The provider offers no way to revoke access'],
    ['oauth.disconnect', 'no_token', 'No token was stored to revoke'],
    ['oauth.test', 'token_rejected', 'The provider refused the stored token'],
    ['oauth.test', 'account_mismatch', 'The provider answered for a different account'],
    ['oauth.test', 'needs_reauth', 'The connection needs reconnecting'],
    ['oauth.token_read', 'not_found', 'No such connection'],
    ['oauth.token_read', 'needs_reauth', 'The connection needs reconnecting'],
  ])('%s %s → %s', (action, reason, text) => {
    expect(reasonText(reason, action)).toBe(text);
  });
});
