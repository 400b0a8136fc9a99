import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulateConsent, simulatorEndpoints, startSimulator, type RunningSimulator } from './index.js';
import { basicAuth, paramsOf, pkcePair, postForm, randomState, redirectUriFor, request, urlWith } from '../test/simulator-requests.js';

const CLIENT = { clientId: 'sandbox-asana-client', clientSecret: 'sandbox-asana-secret' };
const REDIRECT = redirectUriFor('asana');
const SCOPE = 'tasks:read projects:read users:read';

let s: RunningSimulator;
let ep: ReturnType<typeof simulatorEndpoints>['asana'];

beforeAll(async () => {
  s = await startSimulator();
  ep = simulatorEndpoints(s.url).asana;
});
afterAll(() => s.close());
beforeEach(() => s.sim.reset());

function authorizeUrl(extra: Record<string, string | undefined> = {}) {
  return urlWith(ep.authorizeUrl, { client_id: CLIENT.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: SCOPE, state: randomState(), ...extra });
}

async function connect(login = 'alice@example.com') {
  const pkce = pkcePair();
  const cb = paramsOf(await simulateConsent(authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: 'S256' }), { login }));
  return postForm(ep.tokenUrl, {
    grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier,
    client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret,
  });
}

describe('asana', () => {
  it('runs authorize → consent → code → token → users/me → refresh → revoke', async () => {
    const state = randomState();
    const pkce = pkcePair();
    const location = await simulateConsent(authorizeUrl({ state, code_challenge: pkce.challenge, code_challenge_method: 'S256' }), { login: 'jane.doe@example.com' });
    const cb = paramsOf(location);
    expect(cb).toEqual({ code: expect.any(String), state });

    const token = await postForm(ep.tokenUrl, {
      grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier,
      client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret,
    });
    expect(token.status).toBe(200);
    const user = { id: expect.any(Number), gid: expect.stringMatching(/^\d{15}$/), name: 'Jane Doe', email: 'jane.doe@example.com' };
    expect(token.json).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'bearer', data: user, refresh_token: expect.any(String) });
    expect(String(token.json.data.id)).toBe(token.json.data.gid);
    const { access_token: access, refresh_token: refresh } = token.json;

    const me = await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${access}` } });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ data: { gid: token.json.data.gid, email: 'jane.doe@example.com', name: 'Jane Doe', resource_type: 'user', workspaces: [] } });

    const refreshed = await postForm(ep.tokenUrl, { grant_type: 'refresh_token', refresh_token: refresh, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'bearer', data: user });
    expect(s.sim.isRefreshTokenValid('asana', refresh)).toBe(true);

    const revoke = await postForm(ep.revokeUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, token: refresh });
    expect(revoke.status).toBe(200);
    const rec = s.sim.requests('asana').find((r) => r.endpoint === 'revoke')!;
    expect(rec.method).toBe('POST');
    expect(rec.contentType).toBe('application/x-www-form-urlencoded');
    expect(rec.body).toEqual({ client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, token: refresh });
    expect(s.sim.isRefreshTokenValid('asana', refresh)).toBe(false);
    expect(s.sim.isAccessTokenValid('asana', access)).toBe(false);
    expect(s.sim.isAccessTokenValid('asana', refreshed.json.access_token)).toBe(false);
    expect((await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${access}` } })).status).toBe(401);
    const after = await postForm(ep.tokenUrl, { grant_type: 'refresh_token', refresh_token: refresh, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(after.json.error).toBe('invalid_grant');
  });

  it('rejects revocation with an access token (400) and keeps the grant alive', async () => {
    const token = await connect();
    const res = await postForm(ep.revokeUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, token: token.json.access_token });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: 'invalid_request', error_description: 'Only refresh tokens can be revoked; this is an access token.' });
    expect(s.sim.isAccessTokenValid('asana', token.json.access_token)).toBe(true);
    expect(s.sim.isRefreshTokenValid('asana', token.json.refresh_token)).toBe(true);
  });

  it('revocation needs client credentials in the form body', async () => {
    const token = await connect();
    const noClient = await postForm(ep.revokeUrl, { token: token.json.refresh_token });
    expect(noClient.status).toBe(401);
    expect(noClient.json.error).toBe('invalid_client');
    const basicOnly = await postForm(ep.revokeUrl, { token: token.json.refresh_token }, { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) });
    expect(basicOnly.status).toBe(401);
    expect(s.sim.isRefreshTokenValid('asana', token.json.refresh_token)).toBe(true);
  });

  it('token endpoint: body authentication only, HTTP Basic alone is rejected', async () => {
    const pkce = pkcePair();
    const cb = paramsOf(await simulateConsent(authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: 'S256' })));
    const basic = await postForm(
      ep.tokenUrl,
      { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier },
      { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) },
    );
    expect(basic.status).toBe(401);
    expect(basic.json).toEqual({ error: 'invalid_client', error_description: 'client_id and client_secret are required in the request body.' });
  });

  it('requires state on the authorization request', async () => {
    const res = paramsOf(await simulateConsent(authorizeUrl({ state: undefined })));
    expect(res).toEqual({ error: 'invalid_request', error_description: 'The state parameter is required.' });
  });

  it('rejects a PKCE verifier mismatch and a redirect_uri mismatch', async () => {
    const pkce = pkcePair();
    const cb = paramsOf(await simulateConsent(authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: 'S256' })));
    const base = { grant_type: 'authorization_code', code: cb.code, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret };
    const badVerifier = await postForm(ep.tokenUrl, { ...base, redirect_uri: REDIRECT, code_verifier: pkcePair().verifier });
    expect(badVerifier.json.error).toBe('invalid_grant');
    const badRedirect = await postForm(ep.tokenUrl, { ...base, redirect_uri: 'https://evil.example/cb', code_verifier: pkce.verifier });
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.json).toEqual({ error: 'invalid_grant', error_description: 'redirect_uri does not match the one of the authorization request.' });
  });
});
