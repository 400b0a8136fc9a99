import { describe, expect, it } from 'vitest';
import { captureLogger } from '../test/log-capture.js';
import { REDACTED, redactDeep } from './redact.js';

describe('log redaction', () => {
  it('S14 replaces any field named like a token, secret, key, code or cookie, at any depth', () => {
    const out = redactDeep({
      accessToken: 'at-1',
      refresh_token: 'rt-1',
      nested: { clientSecret: 'cs-1', apiKey: 'ak-1', list: [{ code: 'c-1', code_verifier: 'v-1' }] },
      headers: { authorization: 'Bearer x', cookie: 'hub_session=abc' },
      password: 'pw',
      provider: 'google',
      expiresIn: 3600,
    });
    expect(out).toEqual({
      accessToken: REDACTED,
      refresh_token: REDACTED,
      nested: { clientSecret: REDACTED, apiKey: REDACTED, list: [{ code: REDACTED, code_verifier: REDACTED }] },
      headers: { authorization: REDACTED, cookie: REDACTED },
      password: REDACTED,
      provider: 'google',
      expiresIn: 3600,
    });
  });

  it('S14 a real logger never writes the redacted values', () => {
    const capture = captureLogger('debug');
    capture.logger.info({ token: 'tok-secret-123', user: { secret: 'sec-456' } }, 'hello');
    capture.logger.child({ authorization: 'Bearer bearer-789' }).debug('child');
    const text = capture.text();
    expect(capture.lines).toHaveLength(2);
    for (const secret of ['tok-secret-123', 'sec-456', 'bearer-789']) expect(text).not.toContain(secret);
    expect(text).toContain('hello');
  });
});

describe('error codes', () => {
  it('keeps error codes such as ECONNREFUSED or 23505 but redacts an OAuth code value', () => {
    expect(redactDeep({ code: 'ECONNREFUSED' })).toEqual({ code: 'ECONNREFUSED' });
    expect(redactDeep({ code: '23505' })).toEqual({ code: '23505' });
    expect(redactDeep({ code: '4/0AfJohXk-authorization-code' })).toEqual({ code: REDACTED });
  });
});
