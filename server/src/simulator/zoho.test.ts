import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZOHO_DATA_CENTERS, simulateConsent, simulatorEndpoints, startSimulator, type RunningSimulator } from './index.js';
import { basicAuth, paramsOf, postForm, randomState, redirectUriFor, request, urlWith } from '../test/simulator-requests.js';

const CLIENT = { clientId: 'sandbox-zoho-client', clientSecret: 'sandbox-zoho-secret' };
const REDIRECT = redirectUriFor('zoho');
const SCOPE = 'ZohoCRM.modules.READ,email';

let s: RunningSimulator;
let zoho: ReturnType<typeof simulatorEndpoints>['zoho'];

beforeAll(async () => {
  s = await startSimulator();
  zoho = simulatorEndpoints(s.url).zoho;
});
afterAll(() => s.close());
beforeEach(() => s.sim.reset());

function authorizeUrl(extra: Record<string, string | undefined> = {}) {
  return urlWith(zoho.authorizeUrl, { client_id: CLIENT.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: SCOPE, access_type: 'offline', prompt: 'consent', state: randomState(), ...extra });
}

async function connect(dc = 'com', login = 'alice@example.com', extra: Record<string, string | undefined> = {}) {
  const cb = paramsOf(await simulateConsent(authorizeUrl(extra), { login, dataCenter: dc }));
  const server = cb['accounts-server']!;
  const token = await postForm(`${server}/oauth/v2/token`, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
  return { cb, server, token };
}

describe('zoho', () => {
  it('runs authorize (at com) → consent in eu → code → token at eu → user info → refresh → revoke', async () => {
    const state = randomState();
    const location = await simulateConsent(authorizeUrl({ state }), { login: 'jane.doe@example.com', dataCenter: 'eu' });
    const cb = paramsOf(location);
    expect(cb).toEqual({ code: expect.stringMatching(/^1000\./), state, location: 'eu', 'accounts-server': `${s.url}/zoho/eu` });
    expect(zoho.accountsServerAllowlist).toContain(cb['accounts-server']);
    const eu = zoho.forDataCenter('eu');

    // The code only works at the data centre that issued it.
    const atCom = await postForm(zoho.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(atCom.status).toBe(400);
    expect(atCom.json.error).toBe('invalid_grant');

    const token = await postForm(eu.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(token.status).toBe(200);
    expect(token.json).toEqual({
      access_token: expect.stringMatching(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/),
      refresh_token: expect.stringMatching(/^1000\./),
      api_domain: 'https://www.zohoapis.eu',
      token_type: 'Bearer',
      expires_in: 3600,
    });
    const { access_token: access, refresh_token: refresh } = token.json;

    const info = await request(eu.userinfoUrl, { headers: { authorization: `Zoho-oauthtoken ${access}` } });
    expect(info.status).toBe(200);
    expect(info.json).toEqual({ First_Name: 'Jane', Last_Name: 'Doe', Email: 'jane.doe@example.com', Display_Name: 'Jane Doe', ZUID: expect.any(Number) });
    expect((await request(eu.userinfoUrl, { headers: { authorization: `Bearer ${access}` } })).status).toBe(401);
    expect((await request(zoho.userinfoUrl, { headers: { authorization: `Zoho-oauthtoken ${access}` } })).status).toBe(401);

    const refreshAtCom = await postForm(zoho.tokenUrl, { grant_type: 'refresh_token', refresh_token: refresh, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    // Zoho: an unknown refresh token (here: another data centre's) is HTTP 200 `invalid_code`.
    expect([refreshAtCom.status, refreshAtCom.json]).toEqual([200, { error: 'invalid_code' }]);
    const refreshed = await postForm(eu.tokenUrl, { grant_type: 'refresh_token', refresh_token: refresh, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toEqual({ access_token: expect.any(String), api_domain: 'https://www.zohoapis.eu', token_type: 'Bearer', expires_in: 3600 });

    const revokeWithAccess = await request(urlWith(eu.revokeUrl, { token: access }), { method: 'POST' });
    expect(revokeWithAccess.status).toBe(400);
    const revoke = await request(urlWith(eu.revokeUrl, { token: refresh }), { method: 'POST' });
    expect(revoke.status).toBe(200);
    expect(revoke.json).toEqual({ status: 'success' });
    expect(s.sim.isRefreshTokenValid('zoho', refresh)).toBe(false);
    expect(s.sim.isAccessTokenValid('zoho', refreshed.json.access_token)).toBe(false);
    expect(s.sim.requests('zoho').find((r) => r.endpoint === 'revoke' && r.status === 200)!.query).toEqual({ token: refresh });
    // Revoked: a refresh is HTTP 200 invalid_code, and revoking again is 400 ("already invalid").
    const dead = await postForm(eu.tokenUrl, { grant_type: 'refresh_token', refresh_token: refresh, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect([dead.status, dead.json]).toEqual([200, { error: 'invalid_code' }]);
    expect((await request(urlWith(eu.revokeUrl, { token: refresh }), { method: 'POST' })).status).toBe(400);
  });

  it('throttles: 10 access tokens per refresh token per 10 minutes, the 11th is HTTP 200 "Access Denied"', async () => {
    const issued = s.sim.issueTokens('zoho', { login: 'throttle@example.com', dataCenter: 'eu' });
    const eu = zoho.forDataCenter('eu');
    const refresh = () => postForm(eu.tokenUrl, { grant_type: 'refresh_token', refresh_token: issued.refresh_token!, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    for (let i = 0; i < 10; i++) expect((await refresh()).status).toBe(200);
    const refused = await refresh();
    expect([refused.status, refused.json]).toEqual([
      200,
      { error: 'Access Denied', error_description: 'You have made too many requests continuously. Please try again after some time.' },
    ]);
    s.sim.advanceClock(601);
    expect((await refresh()).json.access_token).toEqual(expect.any(String));
  });

  it('has the UK data centre (accounts.zoho.uk, api_domain www.zohoapis.uk) from the catalog’s list', async () => {
    expect(ZOHO_DATA_CENTERS).toEqual(['com', 'eu', 'in', 'com.au', 'jp', 'com.cn', 'sa', 'zohocloud.ca', 'uk']);
    const { cb, token } = await connect('uk', 'uk-user@example.com');
    expect(cb.location).toBe('uk');
    expect(token.json.api_domain).toBe('https://www.zohoapis.uk');
  });

  it('offers every data centre on the consent page and names the right api_domain', async () => {
    const page = await request(authorizeUrl());
    for (const dc of ZOHO_DATA_CENTERS) expect(page.text).toContain(`<option value="${dc}"`);
    expect(page.text).toContain('<option value="com" selected>');
    const expected: Record<string, [string, string]> = {
      'com.au': ['au', 'https://www.zohoapis.com.au'],
      'zohocloud.ca': ['ca', 'https://www.zohoapis.ca'],
      'com.cn': ['cn', 'https://www.zohoapis.com.cn'],
      in: ['in', 'https://www.zohoapis.in'],
      com: ['us', 'https://www.zohoapis.com'],
    };
    for (const [dc, [location, apiDomain]] of Object.entries(expected)) {
      const { cb, token } = await connect(dc, `u-${dc}@example.com`);
      expect(cb.location).toBe(location);
      expect(token.json.api_domain).toBe(apiDomain);
    }
  });

  it('codes live 2 minutes', async () => {
    const cb = paramsOf(await simulateConsent(authorizeUrl()));
    s.sim.advanceClock(121);
    const res = await postForm(zoho.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');
  });

  it('accepts token parameters in the query string but not HTTP Basic', async () => {
    const cb = paramsOf(await simulateConsent(authorizeUrl()));
    const basic = await postForm(zoho.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT }, { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret) });
    expect(basic.status).toBe(401);
    const query = await request(urlWith(zoho.tokenUrl, { grant_type: 'authorization_code', code: cb.code, redirect_uri: REDIRECT, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret }), { method: 'POST' });
    expect(query.status).toBe(200);
  });

  it('refresh token only with access_type=offline; on a re-connect only with prompt=consent', async () => {
    const online = await connect('com', 'bob@example.com', { access_type: undefined });
    expect(online.token.json.refresh_token).toBeUndefined();
    const first = await connect('com', 'carol@example.com', { prompt: undefined });
    expect(first.token.json.refresh_token).toEqual(expect.any(String));
    const again = await connect('com', 'carol@example.com', { prompt: undefined });
    expect(again.token.json.refresh_token).toBeUndefined();
  });

  it('keeps at most 20 live refresh tokens per user: the 21st kills the oldest', async () => {
    const grants = Array.from({ length: 21 }, () => s.sim.issueTokens('zoho', { login: 'dave@example.com' }));
    expect(s.sim.isRefreshTokenValid('zoho', grants[0]!.refresh_token!)).toBe(false);
    expect(grants.slice(1).every((g) => s.sim.isRefreshTokenValid('zoho', g.refresh_token!))).toBe(true);
    // Other users are not affected.
    const other = s.sim.issueTokens('zoho', { login: 'erin@example.com' });
    expect(s.sim.isRefreshTokenValid('zoho', other.refresh_token!)).toBe(true);
  });

  it('rejects comma-less scope syntax and unknown data centres', async () => {
    const spaces = paramsOf(await simulateConsent(authorizeUrl({ scope: 'ZohoCRM.modules.READ email', state: 'z' })));
    expect(spaces).toMatchObject({ error: 'invalid_scope', state: 'z' });
    const unknown = await request(urlWith(`${s.url}/zoho/evil.example/oauth/v2/auth`, { client_id: CLIENT.clientId, redirect_uri: REDIRECT }));
    expect(unknown.status).toBe(400);
    await expect(simulateConsent(authorizeUrl(), { dataCenter: 'de' })).rejects.toThrow(/not offered/);
  });
});
