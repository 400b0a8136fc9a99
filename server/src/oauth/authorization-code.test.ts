import ClientOAuth2 from 'client-oauth2';
import { afterEach, describe, expect, it } from 'vitest';
import { answer, startRecordingServer, type RecordingServer } from '../test/http-server.js';
import { buildAuthorizationCodeRequest, exchangeAuthorizationCode, processAuthorizationCodeResponse } from './authorization-code.js';
import { OAuthError } from './errors.js';
import { OAuthHttp } from './http.js';
import type { OAuth2ClientConfig } from './oauth2.js';

const config = (overrides: Partial<OAuth2ClientConfig> = {}): OAuth2ClientConfig => ({
  clientId: 'the client',
  clientSecret: 's3cr:t',
  clientAuth: 'client_secret_basic',
  authorizationUrl: 'https://provider.test/authorize',
  tokenUrl: 'https://provider.test/token',
  redirectUri: 'https://hub.test/api/oauth/google/callback',
  scopes: ['openid', 'email'],
  scopeSeparator: ' ',
  authorizationParams: {},
  tokenParams: {},
  ...overrides,
});

const reply = (status: number, body: unknown) => ({ status, headers: new Headers(), body: typeof body === 'string' ? body : JSON.stringify(body) });
const thrown = (fn: () => unknown): OAuthError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof OAuthError) return err;
    throw err;
  }
  throw new Error('expected an OAuthError');
};

describe('authorization code request', () => {
  it('client_secret_basic: RFC 6749 §2.3.1 Basic header, grant, code and redirect_uri in the body, no client id there', () => {
    const req = buildAuthorizationCodeRequest(config(), { code: 'c/1' });
    expect(req).toEqual({
      method: 'POST',
      url: 'https://provider.test/token',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from('the+client:s3cr%3At').toString('base64')}`,
      },
      body: { code: 'c/1', grant_type: 'authorization_code', redirect_uri: 'https://hub.test/api/oauth/google/callback' },
    });
  });

  it('S02 client_secret_post: client id and secret in the body, no Authorization header; the verifier and the token parameters go in the body', () => {
    const req = buildAuthorizationCodeRequest(config({ clientAuth: 'client_secret_post', tokenParams: { audience: 'api' } }), { code: 'c1', codeVerifier: 'v'.repeat(43) });
    expect(req.headers.Authorization).toBeUndefined();
    expect(req.body).toEqual({
      code: 'c1',
      grant_type: 'authorization_code',
      redirect_uri: 'https://hub.test/api/oauth/google/callback',
      client_id: 'the client',
      audience: 'api',
      code_verifier: 'v'.repeat(43),
      client_secret: 's3cr:t',
    });
    expect(req.url).not.toContain('v'.repeat(43));
  });
});

describe('authorization code response', () => {
  const opts = { scopeSeparator: ',' as const, now: Date.parse('2026-11-24T00:00:00Z') };

  it('a JSON answer becomes a TokenSet', () => {
    expect(processAuthorizationCodeResponse(reply(200, { access_token: 'a', refresh_token: 'r', expires_in: 60, scope: 'x,y' }), opts)).toMatchObject({
      accessToken: 'a',
      refreshToken: 'r',
      expiresAt: new Date('2026-11-24T00:01:00Z'),
      scopes: ['x', 'y'],
    });
    expect(thrown(() => processAuthorizationCodeResponse(reply(200, { token_type: 'bearer' }), opts)).code).toBe('invalid_response');
  });

  it("error answers become OAuthErrors without the provider's body", () => {
    const err = thrown(() => processAuthorizationCodeResponse(reply(400, { error: 'invalid_grant', error_description: 'code SECRET expired' }), opts));
    expect(err).toMatchObject({ code: 'oauth_error', oauthError: 'invalid_grant' });
    expect(err.message).not.toContain('SECRET');
    expect(thrown(() => processAuthorizationCodeResponse(reply(503, 'down'), opts))).toMatchObject({ code: 'http_status', status: 503 });
  });
});

describe('authorization code exchange against a local token endpoint', () => {
  let server: RecordingServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const on = (s: RecordingServer, overrides: Partial<OAuth2ClientConfig> = {}) => config({ tokenUrl: `${s.origin}/oauth/token`, ...overrides });

  it('sends the built request through client-oauth2 once, with no callback URL anywhere, and returns the tokens', async () => {
    server = await startRecordingServer((_req, res) => answer(res, 200, { access_token: 'AT', refresh_token: 'RT', token_type: 'Bearer', expires_in: 3600 }));
    const c = on(server, { clientAuth: 'client_secret_post', tokenParams: { resource: 'https://api.test' } });
    const tokens = await exchangeAuthorizationCode(new OAuthHttp(), c, { code: 'the code', codeVerifier: 'the verifier' });
    expect(tokens).toMatchObject({ accessToken: 'AT', refreshToken: 'RT', tokenType: 'bearer' });
    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0]!;
    expect([sent.method, sent.url]).toEqual(['POST', '/oauth/token']);
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent.headers.accept).toBe('application/json');
    expect(sent.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({ ...buildAuthorizationCodeRequest(c, { code: 'the code', codeVerifier: 'the verifier' }).body });
  });

  it('client_secret_basic: the hub’s Basic header reaches the provider, not client-oauth2’s', async () => {
    server = await startRecordingServer((_req, res) => answer(res, 200, { access_token: 'AT' }));
    await exchangeAuthorizationCode(new OAuthHttp(), on(server), { code: 'c' });
    expect(server.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('the+client:s3cr%3At').toString('base64')}`);
    expect(new URLSearchParams(server.requests[0]!.body).has('client_id')).toBe(false);
  });

  it('token response: refuses a form-encoded answer, as refresh does (providers that ignore Accept are not supported)', async () => {
    server = await startRecordingServer((_req, res) => answer(res, 200, 'access_token=AT&token_type=bearer&scope=a%20b', { 'content-type': 'application/x-www-form-urlencoded' }));
    expect(await exchangeAuthorizationCode(new OAuthHttp(), on(server), { code: 'c' }).catch((e: unknown) => e)).toMatchObject({ code: 'invalid_response' });
  });

  it('an OAuth error (even with HTTP 200), a bad status and a timeout are OAuthErrors, and the code is sent once', async () => {
    server = await startRecordingServer((_req, res, n) => {
      if (n === 1) answer(res, 400, { error: 'invalid_grant', error_description: 'code c was used' });
      else if (n === 2) answer(res, 200, { error: 'invalid_code' });
      else if (n === 3) answer(res, 502, '<html>bad gateway</html>');
      // n === 4: no answer at all.
    });
    const attempt = (http = new OAuthHttp()) => exchangeAuthorizationCode(http, on(server!), { code: 'c' }).catch((e: unknown) => e);
    const first = await attempt();
    expect(first).toMatchObject({ code: 'oauth_error', oauthError: 'invalid_grant' });
    expect((first as Error).message).not.toContain('was used');
    expect(await attempt()).toMatchObject({ code: 'oauth_error', oauthError: 'invalid_code' });
    expect(await attempt()).toMatchObject({ code: 'http_status', status: 502 });
    expect(await attempt(new OAuthHttp(200))).toMatchObject({ code: 'timeout' });
    expect(server.requests).toHaveLength(4);
  });

  it('client-oauth2 (pinned 4.3.3) still has the request method the exchange sends through', () => {
    expect(typeof (new ClientOAuth2({}) as unknown as { _request?: unknown })._request).toBe('function');
  });

  it("token response: a 302 with a token body is refused although client-oauth2 would take it", async () => {
    server = await startRecordingServer((_req, res) => answer(res, 302, { access_token: 'AT', token_type: 'bearer' }, { location: 'https://elsewhere.test/' }));
    expect(await exchangeAuthorizationCode(new OAuthHttp(), on(server), { code: 'c' }).catch((e: unknown) => e)).toMatchObject({ code: 'http_status', status: 302 });
    expect(server.requests).toHaveLength(1);
  });
});
