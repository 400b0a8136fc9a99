import { describe, expect, it } from 'vitest';
import { actionLabel, actorLabel, reasonText } from './labels';

describe('actionLabel', () => {
  it.each([
    ['auth.sign_in', 'SUCCESS', 'Signed in'],
    ['auth.sign_in_failed', 'FAILURE', 'Sign-in failed'],
    ['api_key.create', 'SUCCESS', 'API key added'],
    ['api_key.rotate', 'SUCCESS', 'API key replaced'],
    ['api_key.read', 'SUCCESS', 'API key read by a service'],
    ['api_key.read', 'FAILURE', 'API key read failed'],
    ['api_key.delete', 'SUCCESS', 'API key deleted'],
    ['vault.rotate', 'SUCCESS', 'Encryption keys rotated'],
    ['oauth.connect_start', 'SUCCESS', 'Connect started'],
    ['oauth.callback', 'SUCCESS', 'Connected'],
    ['oauth.callback', 'FAILURE', 'Connect failed'],
    ['oauth.refresh', 'SUCCESS', 'Token refreshed'],
    ['oauth.refresh', 'FAILURE', 'Refresh failed'],
    ['oauth.disconnect', 'SUCCESS', 'Disconnected'],
    ['oauth.token_read', 'SUCCESS', 'Token read by a service'],
    ['webhook.something_new', 'SUCCESS', 'webhook.something_new'],
    ['toString', 'SUCCESS', 'toString'],
  ] as const)('%s (%s) → %s', (action, outcome, label) => {
    expect(actionLabel(action, outcome)).toBe(label);
  });
});

describe('reasonText', () => {
  it('spells out known codes and shows unknown ones raw', () => {
    expect(reasonText('access_denied')).toBe('Access was declined at the provider');
    expect(reasonText('invalid_credentials')).toBe('Wrong email or password');
    expect(reasonText('untrusted_accounts_server')).toBe('The Zoho accounts server was not on the allowlist');
    expect(reasonText('brand_new_code')).toBe('brand_new_code');
    expect(reasonText('constructor')).toBe('constructor');
    expect(reasonText('reconnected', 'oauth.callback')).toBe('Account connected again');
  });

  it('reads a code in the context of its action', () => {
    expect(reasonText('expired', 'oauth.callback')).toBe('The connection attempt expired');
    expect(reasonText('expired', 'oauth.token_read')).toBe('The token had expired');
    expect(reasonText('expired')).toBe('Expired');
  });
});

describe('actorLabel', () => {
  it('names each actor type', () => {
    expect([actorLabel('USER'), actorLabel('SERVICE'), actorLabel('SYSTEM')]).toEqual(['User', 'Service', 'System']);
  });
});
