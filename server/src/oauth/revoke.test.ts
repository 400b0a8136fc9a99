import { afterEach, describe, expect, it } from 'vitest';
import { answer, startRecordingServer, type RecordingServer, recordingServers } from '../test/http-server.js';
import { OAuthError } from './errors.js';
import { MAX_RESPONSE_BYTES, OAuthHttp } from './http.js';
import { buildRevocationRequest, pickRevocationToken, processRevocationResponse, revocationFailureOf, revokeToken, type RequestRevocationSpec, type RevocationInput } from './revoke.js';

const credentials = { clientId: 'the client', clientSecret: 's3cr:t' };
const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

/** Revocation specs shaped like the catalog's (RFC 7009 form post, Bearer call, DELETE by path, query token). */
const rfc7009 = (url: string, clientAuth: RequestRevocationSpec['clientAuth'] = 'none'): RequestRevocationSpec => ({
  kind: 'request',
  method: 'POST',
  url,
  tokens: ['refresh_token', 'access_token'],
  tokenIn: 'form',
  clientAuth,
  alreadyInvalidStatuses: [400],
});

const input = (spec: RequestRevocationSpec, overrides: Partial<RevocationInput> = {}): RevocationInput => ({
  spec,
  vars: {},
  credentials,
  token: 'RT/1',
  accessToken: 'AT-1',
  ...overrides,
});

const serve = recordingServers();

describe('pickRevocationToken', () => {
  it('takes the first token of the spec the connection holds', () => {
    const spec = rfc7009('https://p.test/revoke');
    expect(pickRevocationToken(spec, { accessToken: 'a', refreshToken: 'r' })).toEqual({ kind: 'refresh_token', value: 'r' });
    expect(pickRevocationToken(spec, { accessToken: 'a', refreshToken: null })).toEqual({ kind: 'access_token', value: 'a' });
    expect(pickRevocationToken({ ...spec, tokens: ['refresh_token'] }, { accessToken: 'a', refreshToken: null })).toBeUndefined();
  });
});

describe('revocation request (S22: the documented method and client authentication)', () => {
  it('RFC 7009 form post: the token in the form body; client_secret_post adds id and secret there, client_secret_basic a Basic header', () => {
    const none = buildRevocationRequest(input(rfc7009('https://p.test/revoke')));
    expect(none).toEqual({
      method: 'POST',
      url: 'https://p.test/revoke',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'token=RT%2F1',
    });
    const post = buildRevocationRequest(input(rfc7009('https://p.test/revoke', 'client_secret_post')));
    expect(form(post.body!)).toEqual({ token: 'RT/1', client_id: 'the client', client_secret: 's3cr:t' });
    expect(post.headers?.Authorization).toBeUndefined();
    const basic = buildRevocationRequest(input(rfc7009('https://p.test/revoke', 'client_secret_basic')));
    expect(basic.headers?.Authorization).toBe(`Basic ${Buffer.from('the+client:s3cr%3At').toString('base64')}`);
    expect(form(basic.body!)).toEqual({ token: 'RT/1' });
  });

  it('a call authenticated by the access token sends it in the named header and no body (Dropbox, Shopify)', () => {
    const spec: RequestRevocationSpec = {
      kind: 'request',
      method: 'DELETE',
      url: 'https://{shop}/admin/api_permissions/current.json',
      tokens: ['access_token'],
      tokenIn: 'presentation',
      presentation: { kind: 'header', name: 'X-Shopify-Access-Token' },
      clientAuth: 'none',
    };
    const req = buildRevocationRequest(input(spec, { vars: { shop: 'demo.myshopify.test' }, token: 'AT-1' }));
    expect(req).toEqual({ method: 'DELETE', url: 'https://demo.myshopify.test/admin/api_permissions/current.json', headers: { Accept: 'application/json', 'X-Shopify-Access-Token': 'AT-1' } });
  });

  it("Trello: DELETE with the token in the path (encoded) and the API key + token as query parameters, never the consumer secret", () => {
    const spec: RequestRevocationSpec = { kind: 'request', method: 'DELETE', url: 'https://api.trello.test/1/tokens/{token}', tokens: ['access_token'], tokenIn: 'path', presentation: { kind: 'oauth1' }, clientAuth: 'none' };
    const req = buildRevocationRequest(input(spec, { token: 'a/b', accessToken: 'a/b', tokenSecret: 'ts' }));
    const url = new URL(req.url);
    expect([req.method, url.pathname, url.searchParams.get('key'), url.searchParams.get('token')]).toEqual(['DELETE', '/1/tokens/a%2Fb', 'the client', 'a/b']);
    expect(req.body).toBeUndefined();
    expect(JSON.stringify(req)).not.toContain('s3cr');
  });

  it("Zoho: the token as a query parameter on the connection's accounts server", () => {
    const spec: RequestRevocationSpec = { kind: 'request', method: 'POST', url: '{accounts_server}/oauth/v2/token/revoke', tokens: ['refresh_token'], tokenIn: 'query', clientAuth: 'none' };
    const req = buildRevocationRequest(input(spec, { vars: { accounts_server: 'https://accounts.zoho.test' } }));
    expect(req.url).toBe('https://accounts.zoho.test/oauth/v2/token/revoke?token=RT%2F1');
    expect(req.body).toBeUndefined();
  });
});

describe('revocation answer', () => {
  const spec = rfc7009('https://p.test/revoke');
  it.each([
    [200, { revoked: true, alreadyInvalid: false }],
    [204, { revoked: true, alreadyInvalid: false }],
    [400, { revoked: true, alreadyInvalid: true }],
    [401, { revoked: false, reason: 'revocation_rejected', status: 401 }],
    [429, { revoked: false, reason: 'provider_unavailable', status: 429 }],
    [503, { revoked: false, reason: 'provider_unavailable', status: 503 }],
  ])('HTTP %i → %o', (status, result) => {
    expect(processRevocationResponse(spec, { status })).toEqual(result);
  });

  it('400 is a refusal when the spec does not say it means "already invalid"', () => {
    expect(processRevocationResponse({ ...spec, alreadyInvalidStatuses: [] }, { status: 400 })).toEqual({ revoked: false, reason: 'revocation_rejected', status: 400 });
  });

  it('S21 "already invalid" as catalog data: the status and, where given, the error word (JSON error, Dropbox .tag, plain text)', () => {
    const byWord = (entries: Array<{ status: number; error?: string }>): RequestRevocationSpec => ({ ...spec, alreadyInvalidStatuses: [], alreadyInvalid: entries });
    const dropbox = byWord([{ status: 401, error: 'invalid_access_token' }]);
    expect(processRevocationResponse(dropbox, { status: 401, body: JSON.stringify({ error_summary: 'invalid_access_token/..', error: { '.tag': 'invalid_access_token' } }) })).toEqual({ revoked: true, alreadyInvalid: true });
    expect(processRevocationResponse(dropbox, { status: 401, body: JSON.stringify({ error_summary: 'expired_access_token/..', error: { '.tag': 'expired_access_token' } }) })).toEqual({
      revoked: false,
      reason: 'revocation_rejected',
      status: 401,
    });
    const trello = byWord([{ status: 401, error: 'invalid token' }]);
    expect(processRevocationResponse(trello, { status: 401, body: 'invalid token' })).toEqual({ revoked: true, alreadyInvalid: true });
    expect(processRevocationResponse(trello, { status: 401, body: 'invalid key' })).toMatchObject({ revoked: false });
    const google = byWord([{ status: 400, error: 'invalid_token' }]);
    expect(processRevocationResponse(google, { status: 400, body: '{"error":"invalid_token","error_description":"Token expired or revoked"}' })).toEqual({ revoked: true, alreadyInvalid: true });
    expect(processRevocationResponse(google, { status: 400, body: '{"error":"invalid_request"}' })).toMatchObject({ revoked: false });
    // Zoho documents only the status.
    expect(processRevocationResponse(byWord([{ status: 400 }]), { status: 400, body: '' })).toEqual({ revoked: true, alreadyInvalid: true });
  });

  it('transport failures map to reasons', () => {
    expect(revocationFailureOf(new OAuthError('timeout', 'x'))).toEqual({ revoked: false, reason: 'timeout' });
    expect(revocationFailureOf(new OAuthError('network', 'x'))).toEqual({ revoked: false, reason: 'provider_unavailable' });
    expect(revocationFailureOf(new OAuthError('invalid_response', 'x'))).toEqual({ revoked: false, reason: 'malformed_response' });
  });
});

describe('revokeToken against a local revocation endpoint', () => {
  it('sends the built request and reads the status', async () => {
    const s = await serve((_req, res) => answer(res, 200, {}));
    const spec = rfc7009(`${s.origin}/revoke`, 'client_secret_post');
    expect(await revokeToken(new OAuthHttp(), input(spec))).toEqual({ revoked: true, alreadyInvalid: false });
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]).toMatchObject({ method: 'POST', url: '/revoke' });
    expect(s.requests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(form(s.requests[0]!.body)).toEqual({ token: 'RT/1', client_id: 'the client', client_secret: 's3cr:t' });
  });

  it('a Bearer-authenticated revocation reaches the provider with the access token in the header', async () => {
    const s = await serve((_req, res) => answer(res, 200, 'null'));
    const spec: RequestRevocationSpec = { kind: 'request', method: 'POST', url: `${s.origin}/2/auth/token/revoke`, tokens: ['access_token'], tokenIn: 'presentation', presentation: { kind: 'header', name: 'Authorization', scheme: 'Bearer' }, clientAuth: 'none' };
    expect(await revokeToken(new OAuthHttp(), input(spec, { token: 'AT-1' }))).toMatchObject({ revoked: true });
    expect(s.requests[0]!.headers.authorization).toBe('Bearer AT-1');
    expect(s.requests[0]!.body).toBe('');
  });

  it('"already invalid" and refusals come back as results, never as throws', async () => {
    const s = await serve((_req, res, n) => answer(res, n === 1 ? 400 : 403, { error: 'invalid_token' }));
    const spec = rfc7009(`${s.origin}/revoke`);
    expect(await revokeToken(new OAuthHttp(), input(spec))).toEqual({ revoked: true, alreadyInvalid: true });
    expect(await revokeToken(new OAuthHttp(), input(spec))).toEqual({ revoked: false, reason: 'revocation_rejected', status: 403 });
  });

  it('a dropped connection is retried once, then reported as provider_unavailable; a timeout is not retried', async () => {
    const flaky = await serve((_req, res, n, raw) => (n === 1 ? raw.socket.destroy() : answer(res, 200, {})));
    expect(await revokeToken(new OAuthHttp(), input(rfc7009(`${flaky.origin}/revoke`)))).toMatchObject({ revoked: true });
    expect(flaky.requests).toHaveLength(2);

    const dead = await serve((_req, _res, _n, raw) => raw.socket.destroy());
    expect(await revokeToken(new OAuthHttp(), input(rfc7009(`${dead.origin}/revoke`)))).toEqual({ revoked: false, reason: 'provider_unavailable' });
    expect(dead.requests).toHaveLength(2);

    const slow = await serve(() => undefined);
    expect(await revokeToken(new OAuthHttp(150), input(rfc7009(`${slow.origin}/revoke`)))).toEqual({ revoked: false, reason: 'timeout' });
    expect(slow.requests).toHaveLength(1);
  });

  it('an oversized answer is malformed_response', async () => {
    const s = await serve((_req, res) => answer(res, 200, 'x'.repeat(MAX_RESPONSE_BYTES + 10)));
    expect(await revokeToken(new OAuthHttp(), input(rfc7009(`${s.origin}/revoke`)))).toEqual({ revoked: false, reason: 'malformed_response' });
  });
});
