import { afterEach, describe, expect, it } from 'vitest';
import { answer, startRecordingServer, type RecordingServer, recordingServers, oauthFailure } from '../test/http-server.js';
import { OAuthError } from './errors.js';
import { MAX_RESPONSE_BYTES, OAuthHttp } from './http.js';

const serve = recordingServers();
const failure = oauthFailure;

describe('OAuthHttp.send', () => {
  it('sends the method, headers and body as given and returns status, headers and body', async () => {
    const s = await serve((_req, res) => answer(res, 201, { ok: true }, { 'x-answer': 'yes' }));
    const res = await new OAuthHttp().send({ method: 'POST', url: `${s.origin}/token?a=1`, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Extra': 'x' }, body: 'a=b' });
    expect([res.status, res.body, res.headers.get('x-answer')]).toEqual([201, '{"ok":true}', 'yes']);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]).toMatchObject({ method: 'POST', url: '/token?a=1', body: 'a=b' });
    expect(s.requests[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(s.requests[0]!.headers['x-extra']).toBe('x');
  });

  it('S19 does not follow a redirect: a token request goes to the configured host and nowhere else', async () => {
    const elsewhere = await serve((_req, res) => answer(res, 200, { access_token: 'stolen' }));
    const s = await serve((_req, res) => answer(res, 307, '', { location: `${elsewhere.origin}/capture` }));
    const res = await new OAuthHttp().send({ method: 'POST', url: `${s.origin}/token`, body: 'code=c' });
    expect(res.status).toBe(307);
    expect(res.headers.get('location')).toBe(`${elsewhere.origin}/capture`);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('sends no cookie it was given by an earlier answer (no shared cookie jar)', async () => {
    const s = await serve((_req, res) => answer(res, 200, 'ok', { 'set-cookie': 'tenant=a; Path=/' }));
    const http = new OAuthHttp();
    await http.send({ method: 'GET', url: `${s.origin}/one` });
    await http.send({ method: 'GET', url: `${s.origin}/two` });
    expect(s.requests.map((r) => r.headers.cookie)).toEqual([undefined, undefined]);
  });

  it('a provider that does not answer within the deadline is a timeout', async () => {
    const s = await serve(() => undefined);
    const err = await failure(new OAuthHttp(150).send({ method: 'POST', url: `${s.origin}/token` }));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('The provider did not answer within 150 ms');
  });

  it('a refused connection and a connection closed mid-request are network failures', async () => {
    const s = await serve((_req, _res, _n, raw) => raw.socket.destroy());
    expect((await failure(new OAuthHttp().send({ method: 'POST', url: `${s.origin}/token` }))).code).toBe('network');
    const port = new URL(s.origin).port;
    await s.close();
    expect((await failure(new OAuthHttp().send({ method: 'POST', url: `http://127.0.0.1:${port}/token` }))).code).toBe('network');
  });

  it(`an answer larger than ${MAX_RESPONSE_BYTES} bytes is refused as invalid_response, with its status`, async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('x'.repeat(MAX_RESPONSE_BYTES + 1));
    });
    const err = await failure(new OAuthHttp().send({ method: 'GET', url: `${s.origin}/userinfo` }));
    expect(err).toMatchObject({ code: 'invalid_response', status: 200 });
    const exact = await serve((_req, res) => answer(res, 200, 'y'.repeat(MAX_RESPONSE_BYTES)));
    expect((await new OAuthHttp().send({ method: 'GET', url: `${exact.origin}/userinfo` })).body).toHaveLength(MAX_RESPONSE_BYTES);
  });

  it('an empty answer has an empty body', async () => {
    const s = await serve((_req, res) => answer(res, 204));
    expect(await new OAuthHttp().send({ method: 'DELETE', url: `${s.origin}/tokens/x` })).toMatchObject({ status: 204, body: '' });
  });
});

describe("OAuthHttp.clientOAuth2Request (client-oauth2's transport)", () => {
  it('joins multi-valued headers, sends the body, and returns only status and body', async () => {
    const s = await serve((_req, res) => answer(res, 200, { access_token: 'a' }));
    const res = await new OAuthHttp().clientOAuth2Request('POST', `${s.origin}/token`, 'code=c', { Accept: ['application/json', 'text/plain'], 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(res).toEqual({ status: 200, body: '{"access_token":"a"}' });
    expect(s.requests[0]!.headers.accept).toBe('application/json, text/plain');
    expect(s.requests[0]!.body).toBe('code=c');
  });

  it('drops the body of a GET (fetch refuses one)', async () => {
    const s = await serve((_req, res) => answer(res, 200, 'ok'));
    expect(await new OAuthHttp().clientOAuth2Request('GET', `${s.origin}/x`, 'ignored', {})).toEqual({ status: 200, body: 'ok' });
    expect(s.requests[0]).toMatchObject({ method: 'GET', body: '' });
  });
});
