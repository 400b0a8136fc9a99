import { describe, expect, it } from 'vitest';
import { processAuthorizationCodeResponse } from './authorization-code.js';
import { OAuthError } from './errors.js';
import type { IncomingResponse } from './http.js';
import { processRefreshResponse } from './refresh.js';
import { MAX_LIFETIME_SECONDS, MIN_USABLE_LIFETIME_SECONDS } from './token-response.js';
import type { TokenSet } from './token-set.js';

const now = Date.parse('2026-12-04T00:00:00Z');
const opts = { scopeSeparator: ' ' as const, now };

const reply = (status: number, body: unknown, contentType = 'application/json'): IncomingResponse => ({
  status,
  headers: new Headers({ 'content-type': contentType }),
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** The two grants, through their own processing step: one table runs through both. */
const processors: [string, (res: IncomingResponse) => TokenSet][] = [
  ['code exchange', (res) => processAuthorizationCodeResponse(res, opts)],
  ['refresh', (res) => processRefreshResponse(res, opts)],
];

const outcome = (fn: () => TokenSet): TokenSet | OAuthError => {
  try {
    return fn();
  } catch (err) {
    if (err instanceof OAuthError) return err;
    throw err;
  }
};

const at = (seconds: number) => new Date(now + seconds * 1000);

type Expect = { refused: OAuthError['code'] } | { expiresAt: Date | null; tokenType?: string };

const cases: [string, IncomingResponse, Expect][] = [
  ['a plain Bearer answer', reply(200, { access_token: 'a', token_type: 'Bearer', expires_in: 3600 }), { expiresAt: at(3600), tokenType: 'bearer' }],
  ['token_type in any case', reply(200, { access_token: 'a', token_type: 'BEARER', expires_in: 3600 }), { expiresAt: at(3600), tokenType: 'bearer' }],
  ['no token_type', reply(200, { access_token: 'a' }), { expiresAt: null, tokenType: 'bearer' }],
  ['token_type mac', reply(200, { access_token: 'a', token_type: 'mac', expires_in: 3600 }), { refused: 'invalid_response' }],
  ['token_type N_A', reply(200, { access_token: 'a', token_type: 'N_A' }), { refused: 'invalid_response' }],
  ['a numeric token_type', reply(200, { access_token: 'a', token_type: 1 }), { refused: 'invalid_response' }],
  ['no access_token', reply(200, { token_type: 'bearer', expires_in: 3600 }), { refused: 'invalid_response' }],
  ['an empty access_token', reply(200, { access_token: '' }), { refused: 'invalid_response' }],
  ["a 302 with a token body", reply(302, { access_token: 'a', token_type: 'bearer' }), { refused: 'http_status' }],
  ['a 204 without a body', reply(204, ''), { refused: 'invalid_response' }],
  ['a 401 with a token body', reply(401, { access_token: 'a' }), { refused: 'http_status' }],
  ['a form-encoded body', reply(200, 'access_token=a&token_type=bearer', 'application/x-www-form-urlencoded'), { refused: 'invalid_response' }],
  ['an HTML body', reply(200, '<html>ok</html>', 'text/html'), { refused: 'invalid_response' }],
  ['a JSON array', reply(200, [{ access_token: 'a' }]), { refused: 'invalid_response' }],
  ['expires_in 1e300 (clamped to one year)', reply(200, { access_token: 'a', expires_in: 1e300 }), { expiresAt: at(MAX_LIFETIME_SECONDS) }],
  ['a 20-digit expires_in string (clamped to one year)', reply(200, { access_token: 'a', expires_in: '12345678901234567890' }), { expiresAt: at(MAX_LIFETIME_SECONDS) }],
  ['expires_in as a digit string', reply(200, { access_token: 'a', expires_in: '3599' }), { expiresAt: at(3599) }],
  ['expires_in 0', reply(200, { access_token: 'a', expires_in: 0 }), { refused: 'invalid_response' }],
  ['expires_in below the minimum usable lifetime', reply(200, { access_token: 'a', expires_in: MIN_USABLE_LIFETIME_SECONDS - 1 }), { refused: 'invalid_response' }],
  ['expires_in at the minimum usable lifetime', reply(200, { access_token: 'a', expires_in: MIN_USABLE_LIFETIME_SECONDS }), { expiresAt: at(MIN_USABLE_LIFETIME_SECONDS) }],
  ['a negative expires_in', reply(200, { access_token: 'a', expires_in: -5 }), { refused: 'invalid_response' }],
  ['a non-numeric expires_in', reply(200, { access_token: 'a', expires_in: 'soon' }), { refused: 'invalid_response' }],
  ['a fractional expires_in string', reply(200, { access_token: 'a', expires_in: '3600.5' }), { refused: 'invalid_response' }],
  ['expires_in as an object', reply(200, { access_token: 'a', expires_in: {} }), { refused: 'invalid_response' }],
  ['expires_in null (no expiry)', reply(200, { access_token: 'a', expires_in: null }), { expiresAt: null }],
  ['an error with HTTP 200', reply(200, { error: 'invalid_grant' }), { refused: 'oauth_error' }],
];

describe('token response: one reader for the code exchange and refresh', () => {
  for (const [grant, process] of processors) {
    it.each(cases)(`F01 ${grant}: %s`, (_name, res, expected) => {
      const result = outcome(() => process(res));
      if ('refused' in expected) {
        expect(result).toBeInstanceOf(OAuthError);
        expect((result as OAuthError).code).toBe(expected.refused);
        // Nothing of the answer is echoed.
        expect((result as OAuthError).message).not.toMatch(/access_token=a|"a"/);
        return;
      }
      expect(result).not.toBeInstanceOf(OAuthError);
      const set = result as TokenSet;
      expect(set.accessToken).toBe('a');
      expect(set.expiresAt).toEqual(expected.expiresAt);
      if (set.expiresAt !== null) expect(Number.isFinite(set.expiresAt.getTime())).toBe(true);
      if (expected.tokenType !== undefined) expect(set.tokenType).toBe(expected.tokenType);
    });
  }

  it('token response: no expires_in a provider can send yields an invalid date', () => {
    const values: unknown[] = [1e300, Number.MAX_VALUE, '9'.repeat(400), 1e15, '1e300', 8.64e15, 0.5, 59.999, 61.5];
    for (const [, process] of processors) {
      for (const expires_in of values) {
        const result = outcome(() => process(reply(200, { access_token: 'a', expires_in })));
        if (result instanceof OAuthError) expect(result.code).toBe('invalid_response');
        else {
          expect(Number.isFinite(result.expiresAt?.getTime())).toBe(true);
          expect(result.expiresAt!.getTime() - now).toBeGreaterThanOrEqual(MIN_USABLE_LIFETIME_SECONDS * 1000);
          expect(result.expiresAt!.getTime() - now).toBeLessThanOrEqual(MAX_LIFETIME_SECONDS * 1000);
        }
      }
    }
  });
});
