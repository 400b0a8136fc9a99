import { describe, expect, it } from 'vitest';
import { OAuthError } from './errors.js';
import { processIdentity } from './identity.js';
import { basicAuthorization, fromClientOAuth2 } from './oauth2.js';
import { codeChallengeS256, hashState, newCodeVerifier, newState } from './pkce.js';
import { processTokenResponse } from './token-response.js';

const invalid = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(OAuthError);
    return (err as OAuthError).code;
  }
  throw new Error('expected an OAuthError');
};

describe('token response processing', () => {
  const now = Date.UTC(2026, 0, 1);

  it('keeps the tokens in their own fields and every other field, credentials removed', () => {
    const set = processTokenResponse(
      { access_token: 'AT', refresh_token: 'RT', id_token: 'ID', token_type: 'Bearer', expires_in: '3600', scope: 'a b a', api_domain: 'https://www.zohoapis.eu' },
      { scopeSeparator: ' ', now },
    );
    expect(set).toEqual({
      accessToken: 'AT',
      refreshToken: 'RT',
      tokenType: 'bearer',
      expiresAt: new Date(now + 3_600_000),
      scopes: ['a', 'b'],
      fields: { token_type: 'Bearer', expires_in: '3600', scope: 'a b a', api_domain: 'https://www.zohoapis.eu' },
    });
    expect(processTokenResponse({ access_token: 'AT', scope: 'read_products,read_orders' }, { scopeSeparator: ',' })).toMatchObject({
      tokenType: 'bearer',
      expiresAt: null,
      scopes: ['read_products', 'read_orders'],
    });
  });

  it('reads refresh_token_expires_in (Shopify, 90 days) as a date; an unusable value is dropped, not fatal', () => {
    const shopify = { access_token: 'AT', refresh_token: 'RT', expires_in: 3600, scope: 'read_products' };
    expect(processTokenResponse({ ...shopify, refresh_token_expires_in: 7_776_000 }, { scopeSeparator: ',', now }).refreshTokenExpiresAt).toEqual(new Date(now + 7_776_000_000));
    expect(processTokenResponse({ ...shopify, refresh_token_expires_in: '7776000' }, { scopeSeparator: ',', now }).refreshTokenExpiresAt).toEqual(new Date(now + 7_776_000_000));
    for (const bad of [-1, 'soon', Number.POSITIVE_INFINITY, 1e12, null, {}]) {
      const set = processTokenResponse({ ...shopify, refresh_token_expires_in: bad }, { scopeSeparator: ',', now });
      expect(set.refreshTokenExpiresAt, String(bad)).toBeUndefined();
      expect(set.accessToken).toBe('AT');
    }
    expect(processTokenResponse(shopify, { scopeSeparator: ',', now })).not.toHaveProperty('refreshTokenExpiresAt');
  });

  it.each([
    ['not an object', 'x'],
    ['an array', []],
    ['no access_token', { token_type: 'bearer' }],
    ['an empty access_token', { access_token: '' }],
    ['a numeric access_token', { access_token: 42 }],
    ['a refresh_token that is not a string', { access_token: 'a', refresh_token: {} }],
    ['a negative expires_in', { access_token: 'a', expires_in: -1 }],
    ['a non-numeric expires_in', { access_token: 'a', expires_in: 'soon' }],
    ['a non-string scope', { access_token: 'a', scope: ['a'] }],
    ['what a truncated JSON body parses to', { '{"access_token": "sim-trunc': '' }],
  ])('F01 refuses %s as invalid_response', (_name, body) => {
    expect(invalid(() => processTokenResponse(body, { scopeSeparator: ' ' }))).toBe('invalid_response');
  });

  it('maps client-oauth2 errors without keeping their body or message', () => {
    const eauth = Object.assign(new Error('Unable to process uri: https://hub/cb?code=SECRET'), { code: 'EAUTH', body: { error: 'invalid_grant', error_description: 'SECRET' } });
    const mapped = fromClientOAuth2(eauth);
    expect(mapped).toMatchObject({ code: 'oauth_error', oauthError: 'invalid_grant' });
    expect(JSON.stringify({ ...mapped, message: mapped.message, cause: mapped.cause })).not.toContain('SECRET');
    expect(fromClientOAuth2(Object.assign(new Error('HTTP status 502'), { code: 'ESTATUS', status: 502, body: 'SECRET' }))).toMatchObject({ code: 'http_status', status: 502 });
    expect(fromClientOAuth2(new TypeError('Unable to process uri: ?code=SECRET')).message).not.toContain('SECRET');
    expect(fromClientOAuth2(Object.assign(new Error('x'), { code: 'EAUTH', body: { error: 'bad error with spaces"' } })).oauthError).toBeUndefined();
  });
});

describe('identity processing', () => {
  it('reads dotted paths, numbers as ids, and falls back for the label', () => {
    expect(processIdentity({ data: { gid: '123', email: 'a@example.com', name: 'A' } }, { accountId: ['data.gid'], email: ['data.email'], label: ['data.name'] })).toEqual({
      accountId: '123',
      email: 'a@example.com',
      label: 'A',
    });
    expect(processIdentity({ ZUID: 42, Email: 'not an email' }, { accountId: ['ZUID'], email: ['Email'], label: ['Display_Name'] })).toEqual({
      accountId: '42',
      email: null,
      label: '42',
    });
    expect(processIdentity({ email: 'b@example.com' }, { accountId: ['sub', 'email'], email: ['email'] })).toMatchObject({ accountId: 'b@example.com' });
  });

  it('refuses an answer without an account id', () => {
    expect(invalid(() => processIdentity({ sub: '' }, { accountId: ['sub'] }))).toBe('invalid_response');
    expect(invalid(() => processIdentity({}, { accountId: ['constructor'] }))).toBe('invalid_response'); // inherited, not the answer's
    expect(invalid(() => processIdentity({ id: 'x'.repeat(300) }, { accountId: ['id'] }))).toBe('invalid_response');
  });
});

describe('state, PKCE and client authentication', () => {
  it('S01 S02 state has 256 bits; the verifier is 43 unreserved characters; the challenge is S256 (RFC 7636 appendix B)', () => {
    expect(newState()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashState('x')).toMatch(/^[0-9a-f]{64}$/);
    expect(newCodeVerifier()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('form-encodes id and secret before Basic encoding (RFC 6749 §2.3.1)', () => {
    expect(basicAuthorization('id:1', 'p w&d')).toBe(`Basic ${Buffer.from('id%3A1:p+w%26d').toString('base64')}`);
  });
});
