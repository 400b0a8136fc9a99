import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulateConsent, simulatorEndpoints, startSimulator, type RunningSimulator } from './index.js';
import { SHOPIFY_SUPPORTED_API_VERSIONS } from './providers/shopify.js';
import { paramsOf, postForm, postJson, randomState, redirectUriFor, request, urlWith } from '../test/simulator-requests.js';

const CLIENT = { clientId: 'sandbox-shopify-client', clientSecret: 'sandbox-shopify-secret' };
const REDIRECT = redirectUriFor('shopify');
const SHOP = 'acme-store.myshopify.com';

let s: RunningSimulator;
let endpoints: ReturnType<typeof simulatorEndpoints>['shopify'];

beforeAll(async () => {
  s = await startSimulator();
  endpoints = simulatorEndpoints(s.url).shopify;
});
afterAll(() => s.close());
beforeEach(() => s.sim.reset());

const ep = (shop = SHOP) => endpoints.forShop(shop);

function authorizeUrl(shop = SHOP, extra: Record<string, string | undefined> = {}) {
  return urlWith(ep(shop).authorizeUrl, { client_id: CLIENT.clientId, scope: 'read_products,read_orders', redirect_uri: REDIRECT, state: randomState(), ...extra });
}

/** What the hub must do with the callback: the verification docs/providers.md describes. */
function verifyHmac(location: string, secret: string): boolean {
  const params = [...new URL(location).searchParams].filter(([k]) => k !== 'hmac' && k !== 'signature');
  params.sort(([a], [b]) => (a < b ? -1 : 1));
  const message = params.map(([k, v]) => `${k}=${v}`).join('&');
  const expected = Buffer.from(createHmac('sha256', secret).update(message).digest('hex'));
  const given = Buffer.from(new URL(location).searchParams.get('hmac') ?? '');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

async function connect(shop = SHOP, expiring = true, login = 'owner@example.com') {
  const cb = paramsOf(await simulateConsent(authorizeUrl(shop), { login }));
  return postForm(ep(shop).tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code: cb.code, ...(expiring ? { expiring: '1' } : {}) });
}

describe('shopify', () => {
  it('runs authorize → consent (HMAC callback) → code → expiring token → shop.json → refresh (rotation) → uninstall', async () => {
    const state = randomState();
    const before = Math.floor(Date.now() / 1000);
    const location = await simulateConsent(authorizeUrl(SHOP, { state }), { login: 'owner@example.com' });
    const cb = paramsOf(location);
    expect(Object.keys(cb)).toEqual(['code', 'hmac', 'host', 'shop', 'state', 'timestamp']);
    expect(cb).toEqual({
      code: expect.stringMatching(/^[0-9a-f]{32}$/),
      hmac: expect.stringMatching(/^[0-9a-f]{64}$/),
      host: Buffer.from('admin.shopify.com/store/acme-store').toString('base64').replace(/=+$/, ''),
      shop: SHOP,
      state,
      timestamp: expect.stringMatching(/^\d+$/),
    });
    expect(Number(cb.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(cb.timestamp)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(verifyHmac(location, CLIENT.clientSecret)).toBe(true);
    expect(verifyHmac(location, 'other-secret')).toBe(false);
    expect(verifyHmac(location.replace(`state=${state}`, 'state=tampered'), CLIENT.clientSecret)).toBe(false);

    // JSON token request, like Shopify's docs show; no grant_type for the code exchange.
    const token = await postJson(ep().tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code: cb.code, expiring: '1' });
    expect(token.status).toBe(200);
    expect(token.json).toEqual({
      access_token: expect.stringMatching(/^shpat_[0-9a-f]{32}$/),
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_[0-9a-f]{32}$/),
      refresh_token_expires_in: 7_776_000,
      scope: 'read_products,read_orders',
    });
    expect(s.sim.count('shopify', 'token_code')).toBe(1);

    const shopJson = await request(ep().userinfoUrl, { headers: { 'x-shopify-access-token': token.json.access_token } });
    expect(shopJson.status).toBe(200);
    expect(shopJson.json.shop).toMatchObject({ id: expect.any(Number), domain: SHOP, myshopify_domain: SHOP, email: 'owner@example.com', name: 'acme-store' });
    const bearer = await request(ep().userinfoUrl, { headers: { authorization: `Bearer ${token.json.access_token}` } });
    expect(bearer.status).toBe(401);
    expect(bearer.json).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });

    const refresh = await postForm(ep().tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'refresh_token', refresh_token: token.json.refresh_token });
    expect(refresh.status).toBe(200);
    expect(refresh.json).toEqual({
      access_token: expect.stringMatching(/^shpat_/),
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_/),
      refresh_token_expires_in: 7_776_000,
      scope: 'read_products,read_orders',
    });
    expect(refresh.json.refresh_token).not.toBe(token.json.refresh_token);
    // Using the replacement ends the previous token's grace: now it is refused.
    const next = await postForm(ep().tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'refresh_token', refresh_token: refresh.json.refresh_token });
    expect(next.status).toBe(200);
    const reuse = await postForm(ep().tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'refresh_token', refresh_token: token.json.refresh_token });
    expect(reuse.status).toBe(400);
    expect(reuse.json.error).toBe('invalid_grant');
    expect(s.sim.count('shopify', 'token_refresh')).toBe(3);

    const uninstall = await request(ep().revokeUrl, { method: 'DELETE', headers: { 'x-shopify-access-token': refresh.json.access_token } });
    expect(uninstall.status).toBe(200);
    expect(uninstall.json).toEqual({});
    expect(s.sim.isAccessTokenValid('shopify', token.json.access_token)).toBe(false);
    expect(s.sim.isRefreshTokenValid('shopify', refresh.json.refresh_token)).toBe(false);
    expect((await request(ep().userinfoUrl, { headers: { 'x-shopify-access-token': refresh.json.access_token } })).status).toBe(401);
  });

  const refreshWith = (token: string) =>
    postForm(ep().tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'refresh_token', refresh_token: token });

  it('grace (changelog 2026-08-28): the previous refresh token keeps working until its replacement is used', async () => {
    const token = await connect();
    const r1 = await refreshWith(token.json.refresh_token);
    expect(r1.status).toBe(200);
    // The response was lost: the previous token refreshes again, into a new pair; the unused replacement is retired.
    const r2 = await refreshWith(token.json.refresh_token);
    expect(r2.status).toBe(200);
    expect(r2.json.refresh_token).not.toBe(r1.json.refresh_token);
    expect(s.sim.isRefreshTokenValid('shopify', r2.json.refresh_token)).toBe(true);
    expect(s.sim.isRefreshTokenValid('shopify', r1.json.refresh_token)).toBe(false);
    // The replacement is used: the previous token's grace is over.
    expect((await refreshWith(r2.json.refresh_token)).status).toBe(200);
    expect((await refreshWith(token.json.refresh_token)).json.error).toBe('invalid_grant');
  });

  it('one expiring offline token per app and shop: a new token exchange revokes the previous access and refresh tokens of that shop', async () => {
    const first = await connect(SHOP, true, 'owner@example.com');
    const elsewhere = await connect('other-shop.myshopify.com', true, 'owner@example.com');
    const online = paramsOf(await simulateConsent(authorizeUrl(SHOP, { 'grant_options[]': 'per-user' }), { login: 'staff@example.com' }));
    const onlineToken = await postForm(ep().tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code: online.code });
    expect(onlineToken.status).toBe(200);
    // An online token is not an offline one: the first grant survives it.
    expect(s.sim.isAccessTokenValid('shopify', first.json.access_token)).toBe(true);

    const second = await connect(SHOP, true, 'someone-else@example.com');
    expect(second.status).toBe(200);
    expect(s.sim.isAccessTokenValid('shopify', first.json.access_token)).toBe(false);
    expect(s.sim.isRefreshTokenValid('shopify', first.json.refresh_token)).toBe(false);
    expect(s.sim.revoked('shopify')).toEqual(expect.arrayContaining([first.json.access_token, first.json.refresh_token]));
    expect((await request(ep().userinfoUrl, { headers: { 'x-shopify-access-token': first.json.access_token } })).status).toBe(401);
    expect((await refreshWith(first.json.refresh_token)).json.error).toBe('invalid_grant');
    // The new one, the other shop's and the online token live on.
    expect(s.sim.isAccessTokenValid('shopify', second.json.access_token)).toBe(true);
    expect(s.sim.isRefreshTokenValid('shopify', elsewhere.json.refresh_token)).toBe(true);
    expect(s.sim.isAccessTokenValid('shopify', onlineToken.json.access_token)).toBe(true);
  });

  it('answers only supported Admin API versions: a retired one (2025-01) is 404 like Shopify', async () => {
    const token = await connect();
    const headers = { 'x-shopify-access-token': token.json.access_token };
    for (const version of SHOPIFY_SUPPORTED_API_VERSIONS) {
      const ok = await request(ep().userinfoUrl.replace('/2026-10/', `/${version}/`), { headers });
      expect(ok.status, version).toBe(200);
    }
    expect(ep().userinfoUrl).toContain('/admin/api/2026-10/shop.json');
    for (const version of ['2025-01', '2025-07', '2027-04']) {
      const retired = await request(ep().userinfoUrl.replace('/2026-10/', `/${version}/`), { headers });
      expect(retired.status, version).toBe(404);
      expect(retired.json).toEqual({ errors: 'Not Found' });
    }
  });

  it('without expiring=1 the offline token never expires and has no refresh token', async () => {
    const token = await connect(SHOP, false);
    expect(token.status).toBe(200);
    expect(token.json).toEqual({ access_token: expect.stringMatching(/^shpat_/), scope: 'read_products,read_orders' });
    s.sim.advanceClock(365 * 86_400);
    expect(s.sim.isAccessTokenValid('shopify', token.json.access_token)).toBe(true);
  });

  it('grant_options[]=per-user gives an online token with the associated user', async () => {
    const cb = paramsOf(await simulateConsent(authorizeUrl(SHOP, { 'grant_options[]': 'per-user' }), { login: 'staff.member@example.com' }));
    const token = await postForm(ep().tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code: cb.code });
    expect(token.json).toMatchObject({
      scope: 'read_products,read_orders',
      expires_in: 86_399,
      associated_user_scope: 'read_products,read_orders',
      associated_user: { email: 'staff.member@example.com', first_name: 'Staff', last_name: 'Member' },
    });
    expect(token.json.refresh_token).toBeUndefined();
  });

  it('uninstall kills every token of that shop and app, and only that shop', async () => {
    const a = s.sim.issueTokens('shopify', { login: 'a@example.com', shop: SHOP });
    const b = s.sim.issueTokens('shopify', { login: 'b@example.com', shop: SHOP, offline: false });
    const other = s.sim.issueTokens('shopify', { login: 'a@example.com', shop: 'other-shop.myshopify.com' });
    expect(b).toEqual({ access_token: expect.any(String), scope: 'read_products' });
    // A token only works at its own shop.
    expect((await request(ep().userinfoUrl, { headers: { 'x-shopify-access-token': other.access_token } })).status).toBe(401);
    const res = await request(ep().revokeUrl, { method: 'DELETE', headers: { 'x-shopify-access-token': b.access_token } });
    expect(res.status).toBe(200);
    expect(s.sim.isAccessTokenValid('shopify', a.access_token)).toBe(false);
    expect(s.sim.isRefreshTokenValid('shopify', a.refresh_token!)).toBe(false);
    expect(s.sim.isAccessTokenValid('shopify', other.access_token)).toBe(true);
    expect(s.sim.revoked('shopify')).toEqual(expect.arrayContaining([a.access_token, a.refresh_token, b.access_token]));
  });

  it('validates the shop domain (anchored) before anything else', async () => {
    for (const shop of ['evil.com', 'acme.myshopify.com.evil.com', '-acme.myshopify.com', 'acme_store.myshopify.com']) {
      const res = await request(urlWith(`${s.url}/shopify/${encodeURIComponent(shop)}/admin/oauth/authorize`, { client_id: CLIENT.clientId, redirect_uri: REDIRECT }));
      expect(res.status, shop).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('a code is only redeemable at its own shop, once, with body client authentication', async () => {
    const cb = paramsOf(await simulateConsent(authorizeUrl()));
    const elsewhere = await postForm(ep('other-shop.myshopify.com').tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code: cb.code });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.json.error).toBe('invalid_grant');
    const wrongSecret = await postForm(ep().tokenUrl, { client_id: CLIENT.clientId, client_secret: 'nope', code: cb.code });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.json.error).toBe('invalid_client');
    const ok = await postForm(ep().tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code: cb.code });
    expect(ok.status).toBe(200);
    const again = await postForm(ep().tokenUrl, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, code: cb.code });
    expect(again.status).toBe(400);
    expect(again.json.error).toBe('invalid_grant');
  });

  it('rejects space-separated scopes', async () => {
    const res = paramsOf(await simulateConsent(authorizeUrl(SHOP, { scope: 'read_products read_orders', state: 'x' })));
    expect(res).toMatchObject({ error: 'invalid_scope', state: 'x' });
  });
});

describe('shopify behaviour switch: extra callback parameters', () => {
  it('S10 Shopify: extra callback parameters (values with =, &, % and spaces) are covered by the HMAC as Shopify’s library computes it', async () => {
    const extras = { host: 'YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYWNtZQ==', locale: 'en', note: 'a=b&c d%25+e/f?' };
    s.sim.setBehaviour({ shopify: { extraCallbackParams: extras } });
    const location = await simulateConsent(authorizeUrl(), { login: 'owner@example.com' });
    const params = new URL(location).searchParams;
    expect(Object.fromEntries(params)).toMatchObject(extras);
    // Shopify's library: drop hmac/signature, sort, re-encode with URLSearchParams.
    const sorted = [...params].filter(([k]) => k !== 'hmac' && k !== 'signature').sort(([a], [b]) => (a < b ? -1 : 1));
    const expected = createHmac('sha256', CLIENT.clientSecret).update(new URLSearchParams(sorted).toString()).digest('hex');
    expect(params.get('hmac')).toBe(expected);
    // A raw `k=v` join of the decoded values gives another digest: the encoding is exercised.
    expect(verifyHmac(location, CLIENT.clientSecret)).toBe(false);

    s.sim.reset();
    const plain = new URL(await simulateConsent(authorizeUrl(), { login: 'owner@example.com' })).searchParams;
    expect(plain.has('note')).toBe(false);
    expect(plain.get('host')).not.toMatch(/=/);
  });

  it('S10 Shopify: the simulator’s own callback parameters cannot be replaced, and the count and size are bounded', () => {
    for (const k of ['hmac', 'code', 'state', 'shop', 'timestamp', 'signature']) {
      expect(() => s.sim.setBehaviour({ shopify: { extraCallbackParams: { [k]: 'x' } } }), k).toThrow(TypeError);
    }
    const many = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, 'x']));
    expect(() => s.sim.setBehaviour({ shopify: { extraCallbackParams: many } })).toThrow(TypeError);
    expect(() => s.sim.setBehaviour({ shopify: { extraCallbackParams: { big: 'x'.repeat(201) } } })).toThrow(TypeError);
    expect(s.sim.behaviour().shopify.extraCallbackParams).toEqual({});
  });
});
