import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulateConsent, simulatorEndpoints, startSimulator, type RunningSimulator } from './index.js';
import { basicAuth, paramsOf, pkcePair, postForm, randomState, redirectUriFor, request, urlWith } from '../test/simulator-requests.js';

const CLIENT = { clientId: 'sandbox-dropbox-client', clientSecret: 'sandbox-dropbox-secret' };
const REDIRECT = redirectUriFor('dropbox');
const SCOPE = 'account_info.read files.metadata.read files.content.read';

let s: RunningSimulator;
let ep: ReturnType<typeof simulatorEndpoints>['dropbox'];

beforeAll(async () => {
  s = await startSimulator();
  ep = simulatorEndpoints(s.url).dropbox;
});
afterAll(() => s.close());
beforeEach(() => s.sim.reset());

function authorizeUrl(extra: Record<string, string | undefined> = {}) {
  return urlWith(ep.authorizeUrl, {
    client_id: CLIENT.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: SCOPE, token_access_type: 'offline', state: randomState(), ...extra,
  });
}

async function connect(extra: Record<string, string | undefined> = {}, login = 'alice@example.com') {
  const pkce = pkcePair();
  const cb = paramsOf(await simulateConsent(authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: 'S256', ...extra }), { login }));
  return postForm(
    ep.tokenUrl,
    { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier },
    { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) },
  );
}

const rpc = (url: string, token: string, init: RequestInit = {}) =>
  request(url, { method: 'POST', ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });

describe('dropbox', () => {
  it('runs authorize → consent → code → token → get_current_account → refresh → revoke', async () => {
    const token = await connect({}, 'bob.smith@example.com');
    expect(token.status).toBe(200);
    expect(token.json).toEqual({
      access_token: expect.stringMatching(/^sl\./),
      token_type: 'bearer',
      expires_in: 14400,
      refresh_token: expect.any(String),
      scope: SCOPE,
      account_id: expect.stringMatching(/^dbid:AA/),
      uid: expect.stringMatching(/^\d{9}$/),
    });
    const { access_token: access, refresh_token: refresh, account_id } = token.json;

    const me = await rpc(ep.userinfoUrl, access);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ account_id, email: 'bob.smith@example.com', email_verified: true, name: { display_name: 'Bob Smith', given_name: 'Bob', surname: 'Smith' } });

    const refreshed = await postForm(ep.tokenUrl, { grant_type: 'refresh_token', refresh_token: refresh, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 14400 });
    expect(s.sim.isRefreshTokenValid('dropbox', refresh)).toBe(true);

    const revoke = await rpc(ep.revokeUrl, refreshed.json.access_token);
    expect(revoke.status).toBe(200);
    expect(revoke.text).toBe('null');
    expect(s.sim.isRefreshTokenValid('dropbox', refresh)).toBe(false);
    expect(s.sim.isAccessTokenValid('dropbox', access)).toBe(false);
    const meAfter = await rpc(ep.userinfoUrl, access);
    expect(meAfter.status).toBe(401);
    expect(meAfter.json).toEqual({ error_summary: 'invalid_access_token/..', error: { '.tag': 'invalid_access_token' } });
  });

  it('revocation needs a live access token: an expired one gets 401 until refreshed', async () => {
    const token = await connect();
    s.sim.advanceClock(14_401);
    const expired = await rpc(ep.revokeUrl, token.json.access_token);
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual({ error_summary: 'expired_access_token/..', error: { '.tag': 'expired_access_token' } });
    expect(s.sim.isRefreshTokenValid('dropbox', token.json.refresh_token)).toBe(true);
    const bogus = await rpc(ep.revokeUrl, 'sl.not-a-token');
    expect(bogus.status).toBe(401);
    expect(bogus.json.error['.tag']).toBe('invalid_access_token');

    const refreshed = await postForm(ep.tokenUrl, { grant_type: 'refresh_token', refresh_token: token.json.refresh_token }, { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) });
    const ok = await rpc(ep.revokeUrl, refreshed.json.access_token);
    expect(ok.status).toBe(200);
    expect(s.sim.isRefreshTokenValid('dropbox', token.json.refresh_token)).toBe(false);
  });

  it('issues a refresh token only with token_access_type=offline', async () => {
    const online = await connect({ token_access_type: 'online' });
    expect(online.status).toBe(200);
    expect(online.json.refresh_token).toBeUndefined();
    expect(online.json.expires_in).toBe(14400);
    const absent = await connect({ token_access_type: undefined });
    expect(absent.json.refresh_token).toBeUndefined();
  });

  it('RPC rules: JSON content type with an empty body is rejected; JSON null is fine', async () => {
    const token = await connect();
    const empty = await rpc(ep.userinfoUrl, token.json.access_token, { headers: { 'content-type': 'application/json' } });
    expect(empty.status).toBe(400);
    expect(empty.text).toBe('Error in call to API function "users/get_current_account": request body: could not decode input as JSON');
    const nul = await rpc(ep.userinfoUrl, token.json.access_token, { headers: { 'content-type': 'application/json' }, body: 'null' });
    expect(nul.status).toBe(200);
    const get = await request(ep.userinfoUrl, { headers: { authorization: `Bearer ${token.json.access_token}` } });
    expect(get.status).toBe(404);
    const noAuth = await request(ep.userinfoUrl, { method: 'POST' });
    expect(noAuth.status).toBe(400);
  });

  it('get_current_account needs account_info.read', async () => {
    const token = await connect({ scope: 'files.metadata.read' });
    const me = await rpc(ep.userinfoUrl, token.json.access_token);
    expect(me.status).toBe(401);
    expect(me.json).toEqual({ error_summary: 'missing_scope/..', error: { '.tag': 'missing_scope', required_scope: 'account_info.read' } });
  });

  it('PKCE mismatch and code reuse are rejected', async () => {
    const pkce = pkcePair();
    const cb = paramsOf(await simulateConsent(authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: 'S256' })));
    const auth = { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) };
    const bad = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkcePair().verifier }, auth);
    expect(bad.json.error).toBe('invalid_grant');
    const good = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier }, auth);
    expect(good.status).toBe(200);
    const again = await postForm(ep.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, code_verifier: pkce.verifier }, auth);
    expect(again.status).toBe(400);
    expect(again.json.error).toBe('invalid_grant');
    expect(s.sim.isAccessTokenValid('dropbox', good.json.access_token)).toBe(false);
  });
});
