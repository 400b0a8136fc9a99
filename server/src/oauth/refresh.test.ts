import { describe, expect, it } from 'vitest';
import { BUILT_IN_PROVIDERS } from '../providers/catalog.js';
import { MAX_RETRY_AFTER_SECONDS, OAuthError } from './errors.js';
import { buildRefreshRequest, classifyRefreshError, processRefreshResponse } from './refresh.js';

const answer = (status: number, body: unknown) => ({ status, headers: new Headers(), body: typeof body === 'string' ? body : JSON.stringify(body) });
const thrown = (fn: () => unknown): OAuthError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof OAuthError) return err;
    throw err;
  }
  throw new Error('expected an OAuthError');
};

describe('refresh request', () => {
  const input = { tokenUrl: 'https://example.test/token', clientId: 'the client', clientSecret: 's3cr:t', refreshToken: 'rt/1', scopeSeparator: ' ' as const };

  it('client_secret_post: grant, refresh token, client id and secret in the form body, no Authorization header (Shopify, Box, Asana, Zoho)', () => {
    const req = buildRefreshRequest({ ...input, clientAuth: 'client_secret_post' });
    expect(req.method).toBe('POST');
    expect(req.url).toBe('https://example.test/token');
    expect(req.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' });
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt/1',
      client_id: 'the client',
      client_secret: 's3cr:t',
    });
  });

  it('client_secret_basic: RFC 6749 §2.3.1 Basic header, nothing of the client in the body (Google, Dropbox)', () => {
    const req = buildRefreshRequest({ ...input, clientAuth: 'client_secret_basic' });
    expect(req.headers?.Authorization).toBe(`Basic ${Buffer.from('the+client:s3cr%3At').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt/1' });
  });
});

describe('refresh response', () => {
  const opts = { scopeSeparator: ' ' as const, now: Date.parse('2026-11-24T00:00:00Z') };

  it('S16 keeps what the provider said about the refresh token: a new one, or none', () => {
    const rotated = processRefreshResponse(answer(200, { access_token: 'a2', refresh_token: 'r2', expires_in: 3600, token_type: 'bearer' }), opts);
    expect(rotated).toMatchObject({ accessToken: 'a2', refreshToken: 'r2', tokenType: 'bearer', expiresAt: new Date('2026-11-24T01:00:00Z') });
    const kept = processRefreshResponse(answer(200, { access_token: 'a3', expires_in: 3599, scope: 'openid email' }), opts);
    expect(kept.refreshToken).toBeUndefined();
    expect(kept.scopes).toEqual(['openid', 'email']);
    expect(JSON.stringify(kept.fields)).not.toContain('a3');
  });

  it('an OAuth error body becomes oauth_error with the status and the error word, never the description', () => {
    const err = thrown(() => processRefreshResponse(answer(400, { error: 'invalid_grant', error_description: 'token rt/1 was revoked' }), opts));
    expect(err).toMatchObject({ code: 'oauth_error', status: 400, oauthError: 'invalid_grant' });
    expect(err.message).not.toContain('rt/1');
  });

  it('Zoho: HTTP 200 with {"error":"invalid_code"} is an error too', () => {
    expect(thrown(() => processRefreshResponse(answer(200, { error: 'invalid_code' }), opts))).toMatchObject({ code: 'oauth_error', status: 200, oauthError: 'invalid_code' });
  });

  it('F01 malformed JSON, a missing access token and bare statuses are errors', () => {
    expect(thrown(() => processRefreshResponse(answer(200, '{"access_token": "trunc'), opts)).code).toBe('invalid_response');
    expect(thrown(() => processRefreshResponse(answer(200, { token_type: 'bearer' }), opts)).code).toBe('invalid_response');
    expect(thrown(() => processRefreshResponse(answer(502, '<html>Bad gateway</html>'), opts))).toMatchObject({ code: 'http_status', status: 502 });
    expect(thrown(() => processRefreshResponse(answer(401, ''), opts))).toMatchObject({ code: 'http_status', status: 401 });
  });

  it('classifies failures: a dead grant is permanent (S18), everything else transient (F01)', () => {
    const c = (code: ConstructorParameters<typeof OAuthError>[0], options: ConstructorParameters<typeof OAuthError>[2] = {}) => classifyRefreshError(new OAuthError(code, 'x', options));
    expect(c('oauth_error', { status: 400, oauthError: 'invalid_grant' })).toEqual({ reason: 'invalid_grant', permanent: true });
    // A provider's own words are catalog data: without them `invalid_code` is no dead grant.
    expect(c('oauth_error', { status: 200, oauthError: 'invalid_code' })).toEqual({ reason: 'refresh_rejected', permanent: false });
    expect(c('oauth_error', { status: 500, oauthError: 'server_error' })).toEqual({ reason: 'provider_unavailable', permanent: false });
    expect(c('oauth_error', { status: 503, oauthError: 'temporarily_unavailable' })).toEqual({ reason: 'provider_unavailable', permanent: false });
    expect(c('oauth_error', { status: 401, oauthError: 'invalid_client' })).toEqual({ reason: 'refresh_rejected', permanent: false });
    expect(c('http_status', { status: 503 })).toEqual({ reason: 'provider_unavailable', permanent: false });
    expect(c('http_status', { status: 429 })).toEqual({ reason: 'provider_unavailable', permanent: false });
    expect(c('http_status', { status: 404 })).toEqual({ reason: 'refresh_rejected', permanent: false });
    expect(c('timeout')).toEqual({ reason: 'timeout', permanent: false });
    expect(c('network')).toEqual({ reason: 'provider_unavailable', permanent: false });
    expect(c('invalid_response')).toEqual({ reason: 'malformed_response', permanent: false });
  });

  it('S18 Zoho: the catalog’s error words classify its HTTP 200 errors (invalid_code dead, "Access Denied" transient)', () => {
    const zoho = BUILT_IN_PROVIDERS.find((p) => p.id === 'zoho')!.refresh;
    const dead = thrown(() => processRefreshResponse(answer(200, { error: 'invalid_code' }), opts));
    expect(classifyRefreshError(dead, zoho)).toEqual({ reason: 'invalid_grant', permanent: true });
    const throttled = thrown(() =>
      processRefreshResponse(answer(200, { error: 'Access Denied', error_description: 'You have made too many requests continuously. Please try again after some time.' }), opts),
    );
    expect(throttled).toMatchObject({ code: 'oauth_error', status: 200, oauthError: 'Access Denied' });
    expect(classifyRefreshError(throttled, zoho)).toEqual({ reason: 'provider_unavailable', permanent: false });
    // Another provider's catalog entry does not know Zoho's words.
    expect(classifyRefreshError(dead, BUILT_IN_PROVIDERS.find((p) => p.id === 'google')!.refresh).permanent).toBe(false);
  });

  it('reads Retry-After (seconds or an HTTP date) on 429 and 503, capped at an hour', () => {
    const now = Date.UTC(2026, 0, 1);
    const withHeader = (status: number, value: string) => ({ status, headers: new Headers({ 'retry-after': value }), body: '' });
    expect(thrown(() => processRefreshResponse(withHeader(429, '120'), { ...opts, now }))).toMatchObject({ code: 'http_status', status: 429, retryAfterSeconds: 120 });
    expect(thrown(() => processRefreshResponse(withHeader(503, new Date(now + 90_000).toUTCString()), { ...opts, now })).retryAfterSeconds).toBe(90);
    expect(thrown(() => processRefreshResponse(withHeader(429, '999999'), { ...opts, now })).retryAfterSeconds).toBe(MAX_RETRY_AFTER_SECONDS);
    expect(thrown(() => processRefreshResponse(withHeader(429, 'soon'), { ...opts, now })).retryAfterSeconds).toBeUndefined();
    expect(thrown(() => processRefreshResponse(withHeader(400, '120'), { ...opts, now })).retryAfterSeconds).toBeUndefined();
  });
});
