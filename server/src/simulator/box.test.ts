import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulateConsent, simulatorEndpoints, startSimulator, type RunningSimulator } from './index.js';
import { basicAuth, paramsOf, postForm, randomState, redirectUriFor, request, urlWith } from '../test/simulator-requests.js';

const CLIENT = { clientId: 'sandbox-box-client', clientSecret: 'sandbox-box-secret' };
const REDIRECT = redirectUriFor('box');

let s: RunningSimulator;
let ep: ReturnType<typeof simulatorEndpoints>['box'];

beforeAll(async () => {
  s = await startSimulator();
  ep = simulatorEndpoints(s.url).box;
});
afterAll(() => s.close());
beforeEach(() => s.sim.reset());

function authorizeUrl(extra: Record<string, string | undefined> = {}) {
  return urlWith(ep.authorizeUrl, { client_id: CLIENT.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'root_readonly', state: randomState(), ...extra });
}

async function connect(login = 'alice@example.com') {
  const cb = paramsOf(await simulateConsent(authorizeUrl(), { login }));
  return postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
}

const refresh = (token: string) =>
  postForm(ep.tokenUrl, { grant_type: 'refresh_token', refresh_token: token, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });

describe('box', () => {
  it('runs authorize → consent → code → token → users/me → refresh → revoke', async () => {
    const token = await connect('carol@example.com');
    expect(token.status).toBe(200);
    const shape = {
      access_token: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      expires_in: 3600,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      refresh_token: expect.stringMatching(/^[A-Za-z0-9]{64}$/),
      restricted_to: [],
      token_type: 'bearer',
    };
    expect(token.json).toEqual(shape);

    const me = await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${token.json.access_token}` } });
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ type: 'user', id: expect.stringMatching(/^\d{11}$/), name: 'Carol', login: 'carol@example.com' });

    const r1 = await refresh(token.json.refresh_token);
    expect(r1.status).toBe(200);
    expect(r1.json).toEqual(shape);
    expect(r1.json.refresh_token).not.toBe(token.json.refresh_token);

    const revoke = await postForm(ep.revokeUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, token: r1.json.access_token });
    expect(revoke.status).toBe(200);
    expect(revoke.text).toBe('');
    expect(s.sim.isRefreshTokenValid('box', r1.json.refresh_token)).toBe(false);
    expect(s.sim.isAccessTokenValid('box', token.json.access_token)).toBe(false);
    const meAfter = await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${r1.json.access_token}` } });
    expect(meAfter.status).toBe(401);
    expect(meAfter.text).toBe('');
    expect(meAfter.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const again = await postForm(ep.revokeUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, token: r1.json.access_token });
    expect(again.status).toBe(400);
  });

  it('rotation with grace: reusing the just-used refresh token returns the same pair until the new one is used, then 400 invalid_grant', async () => {
    const token = await connect();
    const r1 = await refresh(token.json.refresh_token);
    expect(r1.status).toBe(200);
    // A retry after a lost response: the very pair of the first use, nothing new is minted.
    const retry = await refresh(token.json.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.json.access_token).toBe(r1.json.access_token);
    expect(retry.json.refresh_token).toBe(r1.json.refresh_token);
    expect(s.sim.isRefreshTokenValid('box', r1.json.refresh_token)).toBe(true);
    // The old one is spent (only the grace answers it).
    expect(s.sim.isRefreshTokenValid('box', token.json.refresh_token)).toBe(false);

    // Once the new refresh token is used, the grace ends.
    const r2 = await refresh(r1.json.refresh_token);
    expect(r2.status).toBe(200);
    const late = await refresh(token.json.refresh_token);
    expect(late.status).toBe(400);
    expect(late.json).toEqual({ error: 'invalid_grant', error_description: 'The refresh token has already been used (refresh tokens are single use).' });
    expect((await refresh(r1.json.refresh_token)).json).toEqual({ access_token: r2.json.access_token, expires_in: 3600, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', refresh_token: r2.json.refresh_token, restricted_to: [], token_type: 'bearer' });
    // Old access tokens stay valid until they expire.
    expect(s.sim.isAccessTokenValid('box', token.json.access_token)).toBe(true);
  });

  it('the grace ends with a revocation or an expired replacement', async () => {
    const token = await connect();
    const r1 = await refresh(token.json.refresh_token);
    const revoke = await postForm(ep.revokeUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, token: r1.json.refresh_token });
    expect(revoke.status).toBe(200);
    expect((await refresh(token.json.refresh_token)).json.error).toBe('invalid_grant');

    const other = await connect('erin@example.com');
    await refresh(other.json.refresh_token);
    s.sim.advanceClock(60 * 24 * 3600 + 1);
    expect((await refresh(other.json.refresh_token)).json.error).toBe('invalid_grant');
  });

  it('two concurrent refreshes with the same token: both get the same pair (one mint, the other the grace)', async () => {
    const token = await connect();
    const results = await Promise.all([refresh(token.json.refresh_token), refresh(token.json.refresh_token)]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results[0]!.json.refresh_token).toBe(results[1]!.json.refresh_token);
    expect(results[0]!.json.access_token).toBe(results[1]!.json.access_token);
    expect(s.sim.count('box', 'token_refresh')).toBe(2);
  });

  it('ignores PKCE parameters and needs no redirect_uri at the token step (but a sent one must match)', async () => {
    const cb = paramsOf(await simulateConsent(authorizeUrl({ code_challenge: 'plain-challenge', code_challenge_method: 'plain' })));
    expect(cb.code).toEqual(expect.any(String));
    const wrong = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: 'https://other.example/cb', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(wrong.json.error).toBe('invalid_grant');
    const ok = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(ok.status).toBe(200);
  });

  it('client authentication in the body only', async () => {
    const cb = paramsOf(await simulateConsent(authorizeUrl()));
    const basic = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code }, { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) });
    expect(basic.status).toBe(401);
    expect(basic.json.error).toBe('invalid_client');
    const wrong = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, client_id: CLIENT.clientId, client_secret: 'x' });
    expect(wrong.status).toBe(401);
    const revoke = await postForm(ep.revokeUrl, { client_id: CLIENT.clientId, client_secret: 'x', token: 'whatever' });
    expect(revoke.status).toBe(401);
    expect(revoke.json.error).toBe('invalid_client');
  });

  it('refresh tokens expire after 60 days', async () => {
    const t = s.sim.issueTokens('box', { login: 'dave@example.com' });
    s.sim.advanceClock(60 * 24 * 3600 + 1);
    const r = await refresh(t.refresh_token!);
    expect(r.status).toBe(400);
    expect(r.json.error).toBe('invalid_grant');
  });
});
