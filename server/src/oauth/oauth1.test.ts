import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { answer, startRecordingServer, type RecordedRequest, type RecordingServer, recordingServers, oauthFailure } from '../test/http-server.js';
import { OAuthError } from './errors.js';
import { OAuthHttp } from './http.js';
import { oauth1Authorization, obtainAccessToken, obtainRequestToken } from './oauth1.js';

const consumer = { key: 'consumer key', secret: 'consumer/secret' };

/** RFC 3986 percent-encoding as RFC 5849 §3.6 requires it. */
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function headerParams(authorization: string | undefined): Record<string, string> {
  expect(authorization).toMatch(/^OAuth /);
  const params: Record<string, string> = {};
  for (const m of authorization!.slice(6).matchAll(/([^\s,=]+)="([^"]*)"/g)) params[decodeURIComponent(m[1]!)] = decodeURIComponent(m[2]!);
  return params;
}

/**
 * Checks an HMAC-SHA1 signature the way a provider does (RFC 5849 §3.4), written out here
 * rather than with the signing package, so the test does not grade the package by itself.
 */
function verifySignature(req: RecordedRequest, origin: string, consumerSecret: string, tokenSecret: string): Record<string, string> {
  const oauth = headerParams(req.headers.authorization);
  const url = new URL(req.url, origin);
  const pairs: Array<[string, string]> = [
    ...Object.entries(oauth).filter(([k]) => k !== 'oauth_signature' && k !== 'realm'),
    ...url.searchParams.entries(),
    ...(req.headers['content-type'] === 'application/x-www-form-urlencoded' ? [...new URLSearchParams(req.body).entries()] : []),
  ];
  const normalized = pairs
    .map(([k, v]) => [enc(k), enc(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak === bk ? (av < bv ? -1 : 1) : ak < bk ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const base = [req.method.toUpperCase(), enc(`${url.protocol}//${url.host}${url.pathname}`), enc(normalized)].join('&');
  const expected = createHmac('sha1', `${enc(consumerSecret)}&${enc(tokenSecret)}`).update(base).digest('base64');
  expect(oauth.oauth_signature).toBe(expected);
  expect(oauth.oauth_signature_method).toBe('HMAC-SHA1');
  expect(oauth.oauth_consumer_key).toBe(consumer.key);
  return oauth;
}

const serve = recordingServers();
const failure = oauthFailure;

describe('OAuth 1.0a signing', () => {
  it('signs method, URL, token and extra protocol parameters; the nonce comes from the CSPRNG and differs each time', async () => {
    const s = await serve((_req, res) => answer(res, 200, {}));
    const url = `${s.origin}/1/members/me`;
    const token = { key: 'tok', secret: 'tok secret' };
    const first = oauth1Authorization(consumer, { method: 'GET', url }, token, { oauth_extra: 'e/1' });
    await new OAuthHttp().send({ method: 'GET', url, headers: { Authorization: first } });
    const oauth = verifySignature(s.requests[0]!, s.origin, consumer.secret, token.secret);
    expect(oauth).toMatchObject({ oauth_token: 'tok', oauth_extra: 'e/1', oauth_version: '1.0' });
    expect(oauth.oauth_nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(headerParams(oauth1Authorization(consumer, { method: 'GET', url }, token)).oauth_nonce).not.toBe(oauth.oauth_nonce);
  });
});

describe('OAuth 1.0a legs against a local provider', () => {
  it('Trello leg 1: a signed request-token request carrying the callback; oauth_callback_confirmed may be absent, but not false', async () => {
    const confirmations = ['&oauth_callback_confirmed=true', '&oauth_callback_confirmed=false', ''];
    const s = await serve((req, res, n) =>
      answer(res, 200, `oauth_token=req-tok&oauth_token_secret=req-secret${confirmations[n - 1] ?? ''}`, { 'content-type': 'application/x-www-form-urlencoded' }),
    );
    const callback = 'https://hub.test/api/oauth/trello/callback';
    expect(await obtainRequestToken(new OAuthHttp(), { url: `${s.origin}/1/OAuthGetRequestToken`, consumer, callback })).toEqual({ key: 'req-tok', secret: 'req-secret' });
    const sent = s.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(verifySignature(sent, s.origin, consumer.secret, '')).toMatchObject({ oauth_callback: callback });
    expect(sent.body).toBe('');

    const refused = await failure(obtainRequestToken(new OAuthHttp(), { url: `${s.origin}/1/OAuthGetRequestToken`, consumer, callback }));
    expect(refused.code).toBe('invalid_response');
    // Trello does not document the parameter: its absence is accepted.
    expect(await obtainRequestToken(new OAuthHttp(), { url: `${s.origin}/1/OAuthGetRequestToken`, consumer, callback })).toEqual({ key: 'req-tok', secret: 'req-secret' });
  });

  it('Trello: a signed URL’s query parameters stay out of the Authorization header (RFC 5849 §3.5.1)', () => {
    const header = headerParams(oauth1Authorization(consumer, { method: 'GET', url: 'https://api.trello.com/1/members/me?fields=id' }, { key: 'tok', secret: 's' }));
    expect(Object.keys(header).every((k) => k.startsWith('oauth_'))).toBe(true);
    expect(header).toMatchObject({ oauth_token: 'tok' });
  });

  it('leg 3: the request token and verifier, signed with the request token secret, for an access token and secret', async () => {
    const s = await serve((_req, res) => answer(res, 200, 'oauth_token=acc-tok&oauth_token_secret=acc-secret&user_id=42'));
    const tokens = await obtainAccessToken(new OAuthHttp(), {
      url: `${s.origin}/1/OAuthGetAccessToken`,
      consumer,
      requestToken: { key: 'req-tok', secret: 'req-secret' },
      verifier: 'the verifier',
    });
    expect(tokens).toEqual({ accessToken: 'acc-tok', tokenSecret: 'acc-secret', tokenType: 'oauth1', expiresAt: null, fields: { user_id: '42' } });
    expect(verifySignature(s.requests[0]!, s.origin, consumer.secret, 'req-secret')).toMatchObject({ oauth_token: 'req-tok', oauth_verifier: 'the verifier' });
  });

  it('refuses an error status, a missing or repeated token or secret, without echoing the answer', async () => {
    const answers = ['', 'oauth_token=a', 'oauth_token=a&oauth_token=b&oauth_token_secret=s', 'oauth_token=a&oauth_token_secret=s&oauth_token_secret=t'];
    const s = await serve((_req, res, n) => (n === 1 ? answer(res, 401, 'oauth_problem=signature_invalid&leaked=SECRET') : answer(res, 200, answers[n - 2] ?? '')));
    const leg3 = () =>
      failure(obtainAccessToken(new OAuthHttp(), { url: `${s.origin}/access`, consumer, requestToken: { key: 'r', secret: 's' }, verifier: 'v' }));
    const status = await leg3();
    expect(status).toMatchObject({ code: 'http_status', status: 401 });
    expect(status.message).not.toContain('SECRET');
    for (const _ of answers) expect((await leg3()).code).toBe('invalid_response');
    expect(s.requests).toHaveLength(1 + answers.length);
  });

  it('a provider that does not answer is a timeout', async () => {
    const s = await serve(() => undefined);
    expect((await failure(obtainRequestToken(new OAuthHttp(150), { url: `${s.origin}/request`, consumer, callback: 'https://hub.test/cb' }))).code).toBe('timeout');
  });
});
