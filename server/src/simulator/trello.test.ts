import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulateConsent, simulatorEndpoints, startSimulator, type RunningSimulator } from './index.js';
import { paramsOf, postJson, redirectUriFor, request, urlWith } from '../test/simulator-requests.js';

const CLIENT = { clientId: 'sandbox-trello-client', clientSecret: 'sandbox-trello-secret' };
const CALLBACK = redirectUriFor('trello');

let s: RunningSimulator;
let ep: ReturnType<typeof simulatorEndpoints>['trello'];

beforeAll(async () => {
  s = await startSimulator();
  ep = simulatorEndpoints(s.url).trello;
});
afterAll(() => s.close());
beforeEach(() => s.sim.reset());

/** Signs like the hub will: oauth-1.0a, HMAC-SHA1, parameters in the Authorization header. */
function oauthClient(secret = CLIENT.clientSecret) {
  return new OAuth({
    consumer: { key: CLIENT.clientId, secret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
}

async function signedPost(url: string, data: Record<string, string>, token?: OAuth.Token, secret?: string) {
  const oauth = oauthClient(secret);
  // oauth-1.0a merges `data` into the returned authorization, so oauth_callback / oauth_verifier
  // land in the Authorization header via toHeader(); the rest travels in the (signed) form body.
  const header = oauth.toHeader(oauth.authorize({ url, method: 'POST', data }, token));
  const body = new URLSearchParams(Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('oauth_'))));
  return request(url, { method: 'POST', headers: { authorization: header.Authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
}

async function requestToken(callback = CALLBACK) {
  const res = await signedPost(ep.requestTokenUrl, { oauth_callback: callback });
  expect(res.status).toBe(200);
  const fields = Object.fromEntries(new URLSearchParams(res.text));
  expect(fields).toEqual({ oauth_token: expect.stringMatching(/^[0-9a-f]{32}$/), oauth_token_secret: expect.stringMatching(/^[0-9a-f]{32}$/), oauth_callback_confirmed: 'true' });
  return fields as { oauth_token: string; oauth_token_secret: string };
}

async function fullFlow(scope = 'read,write,account', login = 'alice@example.com') {
  const rt = await requestToken();
  const location = await simulateConsent(urlWith(ep.authorizeUrl, { oauth_token: rt.oauth_token, name: 'Hub', scope, expiration: 'never' }), { login });
  const cb = paramsOf(location);
  const access = await signedPost(ep.accessTokenUrl, { oauth_verifier: cb.oauth_verifier! }, { key: rt.oauth_token, secret: rt.oauth_token_secret });
  expect(access.status).toBe(200);
  return Object.fromEntries(new URLSearchParams(access.text)) as { oauth_token: string; oauth_token_secret: string };
}

describe('trello (OAuth 1.0a)', () => {
  it('runs request token → authorize → verifier → access token → members/me → revoke', async () => {
    const rt = await requestToken();
    const page = await request(urlWith(ep.authorizeUrl, { oauth_token: rt.oauth_token, name: 'My <Hub>', scope: 'read,account', expiration: 'never' }));
    expect(page.status).toBe(200);
    expect(page.text).toContain('My &lt;Hub&gt;');
    expect(page.text).toContain('<li>account</li>');

    const location = await simulateConsent(urlWith(ep.authorizeUrl, { oauth_token: rt.oauth_token, name: 'Hub', scope: 'read,account', expiration: 'never' }), { login: 'jane.doe@example.com' });
    expect(location.startsWith(`${CALLBACK}?`)).toBe(true);
    const cb = paramsOf(location);
    expect(cb).toEqual({ oauth_token: rt.oauth_token, oauth_verifier: expect.stringMatching(/^[0-9a-f]{32}$/) });

    const access = await signedPost(ep.accessTokenUrl, { oauth_verifier: cb.oauth_verifier! }, { key: rt.oauth_token, secret: rt.oauth_token_secret });
    expect(access.status).toBe(200);
    expect(access.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/);
    const tok = Object.fromEntries(new URLSearchParams(access.text));
    expect(tok).toEqual({ oauth_token: expect.stringMatching(/^ATTA[0-9a-f]{64}$/), oauth_token_secret: expect.stringMatching(/^[0-9a-f]{64}$/) });

    const me = await request(urlWith(ep.userinfoUrl, { key: CLIENT.clientId, token: tok.oauth_token }));
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), username: 'janedoe', fullName: 'Jane Doe', url: 'https://trello.com/u/janedoe', email: 'jane.doe@example.com' });

    // The request token and its verifier are single use.
    const replay = await signedPost(ep.accessTokenUrl, { oauth_verifier: cb.oauth_verifier! }, { key: rt.oauth_token, secret: rt.oauth_token_secret });
    expect(replay.status).toBe(401);
    expect(replay.text).toBe('invalid token');

    const revoke = await request(urlWith(ep.revokeUrlTemplate.replace('{token}', tok.oauth_token!), { key: CLIENT.clientId, token: tok.oauth_token }), { method: 'DELETE' });
    expect(revoke.status).toBe(200);
    expect(revoke.json).toEqual({ _value: null });
    expect(s.sim.isAccessTokenValid('trello', tok.oauth_token!)).toBe(false);
    expect(s.sim.revoked('trello')).toEqual([tok.oauth_token]);
    const after = await request(urlWith(ep.userinfoUrl, { key: CLIENT.clientId, token: tok.oauth_token }));
    expect(after.status).toBe(401);
    expect(after.text).toBe('invalid token');

    for (const name of ['request_token', 'authorize', 'consent', 'access_token', 'userinfo', 'revoke'] as const) {
      expect(s.sim.count('trello', name)).toBeGreaterThan(0);
    }
    expect(s.sim.count('trello', 'access_token')).toBe(2);
  });

  it('reveals the e-mail only with the account scope; tokens never expire with expiration=never', async () => {
    const tok = await fullFlow('read');
    s.sim.advanceClock(400 * 86_400);
    const me = await request(urlWith(ep.userinfoUrl, { key: CLIENT.clientId, token: tok.oauth_token }));
    expect(me.status).toBe(200);
    expect(me.json.email).toBeUndefined();
    // The unsigned OAuth header form of API authentication works too.
    const viaHeader = await request(ep.userinfoUrl, { headers: { authorization: `OAuth oauth_consumer_key="${CLIENT.clientId}", oauth_token="${tok.oauth_token}"` } });
    expect(viaHeader.status).toBe(200);
    const wrongKey = await request(urlWith(ep.userinfoUrl, { key: 'other', token: tok.oauth_token }));
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.text).toBe('invalid key');
  });

  it('checks every signature: a wrong consumer secret or token secret → 401', async () => {
    const bad = await signedPost(ep.requestTokenUrl, { oauth_callback: CALLBACK }, undefined, 'wrong-secret');
    expect(bad.status).toBe(401);
    expect(bad.text).toBe('invalid signature');

    const rt = await requestToken();
    const cb = paramsOf(await simulateConsent(urlWith(ep.authorizeUrl, { oauth_token: rt.oauth_token, scope: 'read', expiration: '1day' })));
    const wrongTokenSecret = await signedPost(ep.accessTokenUrl, { oauth_verifier: cb.oauth_verifier! }, { key: rt.oauth_token, secret: 'nope' });
    expect(wrongTokenSecret.status).toBe(401);
    expect(wrongTokenSecret.text).toBe('invalid signature');
    const wrongVerifier = await signedPost(ep.accessTokenUrl, { oauth_verifier: 'f'.repeat(32) }, { key: rt.oauth_token, secret: rt.oauth_token_secret });
    expect(wrongVerifier.status).toBe(401);
    expect(wrongVerifier.text).toBe('invalid verifier');
    const ok = await signedPost(ep.accessTokenUrl, { oauth_verifier: cb.oauth_verifier! }, { key: rt.oauth_token, secret: rt.oauth_token_secret });
    expect(ok.status).toBe(200);
    // expiration=1day: the token dies after a day.
    const token = new URLSearchParams(ok.text).get('oauth_token')!;
    s.sim.advanceClock(86_401);
    expect(s.sim.isAccessTokenValid('trello', token)).toBe(false);
  });

  it('a tampered parameter breaks the signature; a replayed nonce and a stale timestamp are refused', async () => {
    const oauth = oauthClient();
    const auth = oauth.authorize({ url: ep.requestTokenUrl, method: 'POST', data: { oauth_callback: CALLBACK } });
    const header = (a: Record<string, string | number>) =>
      'OAuth ' + Object.entries(a).map(([k, v]) => `${oauth.percentEncode(k)}="${oauth.percentEncode(String(v))}"`).join(', ');
    const send = (a: Record<string, string | number>) => request(ep.requestTokenUrl, { method: 'POST', headers: { authorization: header(a) } });

    const tampered = await send({ ...auth, oauth_callback: 'https://evil.example/cb' });
    expect(tampered.status).toBe(401);
    const first = await send({ ...auth });
    expect(first.status).toBe(200);
    const replay = await send({ ...auth });
    expect(replay.status).toBe(401);
    expect(replay.text).toBe('nonce already used');

    const stale = { ...oauth.authorize({ url: ep.requestTokenUrl, method: 'POST', data: { oauth_callback: CALLBACK } }) };
    stale.oauth_timestamp -= 3600;
    const staleSigned = { ...stale, oauth_signature: oauth.getSignature({ url: ep.requestTokenUrl, method: 'POST', data: { oauth_callback: CALLBACK } }, undefined, stale) };
    const staleRes = await send(staleSigned);
    expect(staleRes.status).toBe(401);
    expect(staleRes.text).toBe('timestamp out of range');
  });

  it('requires oauth_callback on the request-token step and HMAC-SHA1', async () => {
    const noCallback = await signedPost(ep.requestTokenUrl, {});
    expect(noCallback.status).toBe(400);
    expect(noCallback.text).toBe('oauth_callback missing or not an allowed absolute http(s) URL');
    const notUrl = await signedPost(ep.requestTokenUrl, { oauth_callback: 'javascript:alert(1)' });
    expect(notUrl.status).toBe(400);
    const plaintext = new OAuth({ consumer: { key: CLIENT.clientId, secret: CLIENT.clientSecret }, signature_method: 'PLAINTEXT' });
    const auth = plaintext.authorize({ url: ep.requestTokenUrl, method: 'POST', data: { oauth_callback: CALLBACK } });
    const res = await request(ep.requestTokenUrl, { method: 'POST', headers: { authorization: plaintext.toHeader(auth).Authorization } });
    expect(res.status).toBe(400);
    expect(res.text).toBe('Unsupported signature method');
  });

  it('accepts signed GET requests with parameters in the query string', async () => {
    const oauth = oauthClient();
    const url = urlWith(ep.requestTokenUrl, { oauth_callback: CALLBACK });
    // oauth-1.0a repeats the query's oauth_callback in the header: same value, tolerated.
    const repeated = await request(url, { headers: { authorization: oauth.toHeader(oauth.authorize({ url, method: 'GET' })).Authorization } });
    expect(repeated.status).toBe(200);
    const auth = oauth.authorize({ url, method: 'GET' });
    const headerOnlyProtocol = Object.fromEntries(Object.entries(auth).filter(([k]) => k !== 'oauth_callback')) as OAuth.Authorization;
    const clean = await request(url, { headers: { authorization: oauth.toHeader(headerOnlyProtocol).Authorization } });
    expect(clean.status).toBe(200);
    // A different value in header and query is a conflict: 400.
    const conflicting = oauth.authorize({ url, method: 'GET' });
    const header = oauth.toHeader({ ...conflicting, oauth_callback: 'https://evil.example/cb' } as OAuth.Authorization).Authorization;
    const conflict = await request(url, { headers: { authorization: header } });
    expect(conflict.status).toBe(400);
    expect(conflict.text).toBe('Duplicated OAuth protocol parameter: oauth_callback');
  });

  it('deny redirects to the callback with error=access_denied and kills the request token', async () => {
    const rt = await requestToken();
    const location = await simulateConsent(urlWith(ep.authorizeUrl, { oauth_token: rt.oauth_token, scope: 'read' }), { decision: 'deny' });
    expect(paramsOf(location)).toEqual({ oauth_token: rt.oauth_token, error: 'access_denied' });
    const page = await request(urlWith(ep.authorizeUrl, { oauth_token: rt.oauth_token, scope: 'read' }));
    expect(page.status).toBe(400);
  });

  it('rejects an unknown request token and invalid scope/expiration on the authorize page', async () => {
    expect((await request(urlWith(ep.authorizeUrl, { oauth_token: 'nope' }))).status).toBe(400);
    const rt = await requestToken();
    expect((await request(urlWith(ep.authorizeUrl, { oauth_token: rt.oauth_token, scope: 'read write' }))).status).toBe(400);
    expect((await request(urlWith(ep.authorizeUrl, { oauth_token: rt.oauth_token, expiration: 'forever' }))).status).toBe(400);
  });
});

describe('trello behaviour switch: oauth_callback_confirmed', () => {
  const answer = async () => {
    const res = await signedPost(ep.requestTokenUrl, { oauth_callback: CALLBACK });
    expect(res.status).toBe(200);
    return Object.fromEntries(new URLSearchParams(res.text));
  };

  it('S12 Trello: the request-token answer carries oauth_callback_confirmed=true, none, or false as switched; reset restores true', async () => {
    expect((await answer()).oauth_callback_confirmed).toBe('true');
    s.sim.setBehaviour({ trello: { callbackConfirmed: 'absent' } });
    const absent = await answer();
    expect(Object.keys(absent).sort()).toEqual(['oauth_token', 'oauth_token_secret']);
    // The request token still works without the confirmation.
    const location = await simulateConsent(urlWith(ep.authorizeUrl, { oauth_token: absent.oauth_token, scope: 'read' }), { login: 'alice@example.com' });
    expect(paramsOf(location).oauth_verifier).toMatch(/^[0-9a-f]{32}$/);

    s.sim.setBehaviour({ trello: { callbackConfirmed: 'false' } });
    expect((await answer()).oauth_callback_confirmed).toBe('false');
    s.sim.reset();
    expect((await answer()).oauth_callback_confirmed).toBe('true');
  });

  it('S12 Trello: the switch is settable through the control API (validated) and refuses an unknown value', async () => {
    const set = await postJson(`${s.url}/_sim/behaviour`, { trello: { callbackConfirmed: 'absent' } });
    expect(set.status).toBe(200);
    expect(JSON.parse(set.text)).toMatchObject({ trello: { callbackConfirmed: 'absent' } });
    expect((await answer()).oauth_callback_confirmed).toBeUndefined();
    for (const bad of [{ trello: { callbackConfirmed: 'yes' } }, { trello: { other: 1 } }, { nope: {} }]) {
      expect((await postJson(`${s.url}/_sim/behaviour`, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect(() => s.sim.setBehaviour({ trello: { callbackConfirmed: 'maybe' as 'true' } })).toThrow(TypeError);
    expect((await answer()).oauth_callback_confirmed).toBeUndefined();
  });
});
