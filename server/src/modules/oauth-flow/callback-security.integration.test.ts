import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeChallengeS256 } from '../../oauth/pkce.js';
import { BUILT_IN_PROVIDERS } from '../../providers/catalog.js';
import { PENDING_AUTHORIZATION_COLUMNS, placeOf } from '../../vault/encrypted-columns.js';
import { shopifyHmac, simulateConsent, startSimulator, type ProviderId, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import type { TestClient } from '../../test/test-hub.js';
import { connectProvider, connectThrough, expectAbsentFromEveryTable, follow, outcomeOf, startFlowHub, type FlowHub } from '../../test/connect-flow.js';

const SHOP = 'acme-store.myshopify.com';

/** A callback URL with some parameters replaced (undefined removes one). */
function edit(url: string, changes: Record<string, string | undefined>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  }
  return u.toString();
}

describe.each(TEST_DATABASE_KINDS)('connect and callback security on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  let client: TestClient;
  let userId: string;
  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub(kind, sim);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  beforeEach(async () => {
    sim.sim.reset();
    t.hub.services.oauthHttp.timeoutMs = 10_000;
    client = t.client();
    userId = (await client.signUp()).id;
  });

  const connections = async (id = userId) => (await t.sql<{ n: number }>('select count(*)::int as n from connections where user_id = ?', [id]))[0]!.n;
  const tokenRequests = (provider: ProviderId) => sim.sim.count(provider, 'token_code');
  /** A 400 page: refused, plain, with the way back, and nothing leaked through the Referer. */
  async function expectRefused(res: Response, reason: string) {
    expect(res.status).toBe(400);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain(`reason=${reason}`);
    expect(html).not.toMatch(/<script/i);
  }
  /** Consent given at the simulator, callback not yet followed. */
  async function consented(provider: ProviderId, vars: { shop?: string } = {}, opts: { dataCenter?: string } = {}) {
    const authorizationUrl = await connectProvider(client, provider, vars);
    const callbackUrl = await simulateConsent(authorizationUrl, { login: 'jane@example.com', ...opts });
    return { authorizationUrl, callbackUrl };
  }

  it('S01 every connect stores a fresh 256-bit state (hashed) and a sealed PKCE verifier, bound to user and provider', async () => {
    const urls = [await connectProvider(client, 'google'), await connectProvider(client, 'google')];
    const states = urls.map((u) => new URL(u).searchParams.get('state')!);
    for (const s of states) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 CSPRNG bytes
    expect(states[0]).not.toBe(states[1]);
    const rows = await t.sql<{ id: string; state_hash: string; user_id: string; provider: string; pkce_verifier_enc: string; expires_at: Date; created_at: Date }>(
      'select id, state_hash, user_id, provider, pkce_verifier_enc, expires_at, created_at from oauth_pending_authorizations where user_id = ? order by created_at',
      [userId],
    );
    expect(rows.map((r) => r.state_hash)).toEqual(states.map((s) => createHash('sha256').update(s).digest('hex')));
    for (const [i, row] of rows.entries()) {
      expect(row).toMatchObject({ user_id: userId, provider: 'google' });
      expect(row.pkce_verifier_enc).toMatch(/^v1\./);
      const verifier = t.hub.services.vault.decrypt(row.pkce_verifier_enc, placeOf(PENDING_AUTHORIZATION_COLUMNS.pkceVerifier, userId, row.id));
      expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
      expect(new URL(urls[i]!).searchParams.get('code_challenge')).toBe(codeChallengeS256(verifier));
      expect(new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()).toBeLessThanOrEqual(10 * 60 * 1000 + 1000);
    }
    // Trello (OAuth 1.0a): the hub's state rides in the callback URL; it is stored hashed too, and
    // the request token's secret sealed.
    const trello = new URL((await consented('trello')).callbackUrl).searchParams.get('state')!;
    const [pendingTrello] = await t.sql<{ id: string; state_hash: string; request_token_secret_enc: string; redirect_uri: string }>(
      `select id, state_hash, request_token_secret_enc, redirect_uri from oauth_pending_authorizations where user_id = ? and provider = 'trello'`,
      [userId],
    );
    expect(pendingTrello).toMatchObject({ state_hash: createHash('sha256').update(trello).digest('hex'), redirect_uri: `${t.url}/api/oauth/trello/callback` });
    expect(pendingTrello!.request_token_secret_enc).toMatch(/^v1\./);
    await expectAbsentFromEveryTable(t, [...states, trello]);
  });

  it('S02 PKCE uses S256, and the verifier travels only in the token request', async () => {
    const { authorizationUrl, callbackUrl } = await consented('google');
    const auth = new URL(authorizationUrl).searchParams;
    expect(auth.get('code_challenge_method')).toBe('S256');
    expect(auth.has('code_verifier')).toBe(false);
    expect(outcomeOf(await follow(client, callbackUrl)).status).toBe('success');
    const [token] = sim.sim.requests('google').filter((r) => r.endpoint === 'token_code');
    const verifier = (token!.body as Record<string, string>).code_verifier!;
    expect(codeChallengeS256(verifier)).toBe(auth.get('code_challenge'));
    const elsewhere = sim.sim.requests().filter((r) => r !== token);
    for (const r of elsewhere) expect(JSON.stringify(r)).not.toContain(verifier);
    expect(authorizationUrl).not.toContain(verifier);
  });

  it('S03 a callback with a missing, malformed or unknown state gets 400, sends no token request and stores nothing', async () => {
    const { callbackUrl } = await consented('google');
    for (const state of [undefined, 'short', randomBytes(32).toString('base64url')]) {
      await expectRefused(await follow(client, edit(callbackUrl, { state })), 'invalid_state');
    }
    // Two states at once are refused too, even when one of them is the real one.
    const real = new URL(callbackUrl).searchParams.get('state')!;
    await expectRefused(await follow(client, `${callbackUrl}&state=${real}`), 'invalid_state');
    expect(tokenRequests('google')).toBe(0);
    expect(await connections()).toBe(0);
  });

  it('S04 a state already used gets 400 and stores nothing more (single use)', async () => {
    const { callbackUrl } = await consented('google');
    expect(outcomeOf(await follow(client, callbackUrl)).status).toBe('success');
    const [before] = await t.sql<{ access_token_enc: string }>('select access_token_enc from connections where user_id = ?', [userId]);
    await expectRefused(await follow(client, callbackUrl), 'invalid_state');
    expect(tokenRequests('google')).toBe(1);
    expect(await t.sql('select access_token_enc from connections where user_id = ?', [userId])).toEqual([before]);
    const [consumed] = await t.sql<{ consumed_at: Date | null }>('select consumed_at from oauth_pending_authorizations where user_id = ?', [userId]);
    expect(consumed!.consumed_at).not.toBeNull();
  });

  it("S05 a state made for user A is refused in user B's session; an expired state is refused", async () => {
    const { callbackUrl } = await consented('google');
    const other = t.client();
    const otherId = (await other.signUp()).id;
    await expectRefused(await follow(other, callbackUrl), 'invalid_state');
    // No session at all: refused as well.
    await expectRefused(await follow(t.client(), callbackUrl), 'invalid_state');
    expect(tokenRequests('google')).toBe(0);
    expect(await connections(otherId)).toBe(0);
    // B's attempt did not consume A's state: it is still A's to finish (issue 10; abuse-bounds test).
    const pendingRows = await t.sql<{ consumed_at: Date | null }>('select consumed_at from oauth_pending_authorizations where user_id = ?', [userId]);
    expect(pendingRows).toEqual([{ consumed_at: null }]);
    expect(await connections()).toBe(0);

    const late = await consented('google');
    await t.sql(`update oauth_pending_authorizations set expires_at = now() - interval '1 second' where user_id = ? and consumed_at is null`, [userId]);
    await expectRefused(await follow(client, late.callbackUrl), 'expired');
    expect(tokenRequests('google')).toBe(0);
    expect(await connections()).toBe(0);
  });

  it('S06 the state must belong to the callback route’s provider, and `iss` must be the expected issuer', async () => {
    const { callbackUrl } = await consented('google');
    const elsewhere = callbackUrl.replace('/api/oauth/google/callback', '/api/oauth/dropbox/callback');
    await expectRefused(await follow(client, elsewhere), 'invalid_state');
    expect(tokenRequests('google') + tokenRequests('dropbox')).toBe(0);

    // The simulator names Google's issuer in `iss`, as Google does; another one is a mix-up.
    const withIss = (url: string, iss: string) => {
      const u = new URL(url);
      u.searchParams.set('iss', iss);
      return u.toString();
    };
    const mixUp = await consented('google');
    expect(new URL(mixUp.callbackUrl).searchParams.getAll('iss')).toEqual(['https://accounts.google.com']);
    await expectRefused(await follow(client, withIss(mixUp.callbackUrl, 'https://evil.example')), 'invalid_issuer');
    expect(tokenRequests('google')).toBe(0);

    const genuine = await consented('google');
    const ok = await follow(client, genuine.callbackUrl);
    expect(outcomeOf(ok).status).toBe('success');
    expect(await connections()).toBe(1);
  });

  it('S07 redirect_uri is the same string at both steps and never comes from the request', async () => {
    const { authorizationUrl, callbackUrl } = await consented('google');
    const expected = `${t.url}/api/oauth/google/callback`;
    expect(new URL(authorizationUrl).searchParams.get('redirect_uri')).toBe(expected);
    const res = await follow(client, edit(callbackUrl, { redirect_uri: 'https://evil.example/callback' }));
    expect(outcomeOf(res).status).toBe('success');
    const [token] = sim.sim.requests('google').filter((r) => r.endpoint === 'token_code');
    expect((token!.body as Record<string, string>).redirect_uri).toBe(expected);
  });

  it('S08 a returnTo that is not a same-origin relative path is ignored; a good one is kept', async () => {
    for (const returnTo of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      const { response } = await connectThrough(client, 'google', { login: 'jane@example.com' }, { returnTo });
      expect(response.headers.get('location')).toBe(`${t.url}/integrations?status=success&provider=google`);
    }
    const { response } = await connectThrough(client, 'google', { login: 'jane@example.com' }, { returnTo: '/settings?tab=2' });
    expect(response.headers.get('location')).toBe(`${t.url}/settings?tab=2&status=success&provider=google`);
  });

  it('S09 a denied consent or any provider error stores nothing and redirects with a plain reason', async () => {
    const denied = await connectThrough(client, 'google', { login: 'jane@example.com', decision: 'deny' });
    expect(outcomeOf(denied.response)).toEqual({ status: 'failure', provider: 'google', reason: 'access_denied' });
    expect(denied.response.headers.get('referrer-policy')).toBe('no-referrer');

    const { callbackUrl } = await consented('box');
    const failed = await follow(client, edit(callbackUrl, { code: undefined, error: 'server_error', error_description: 'boom' }));
    expect(outcomeOf(failed)).toEqual({ status: 'failure', provider: 'box', reason: 'provider_error' });

    const trello = await connectThrough(client, 'trello', { login: 'jane@example.com', decision: 'deny' });
    expect(outcomeOf(trello.response)).toEqual({ status: 'failure', provider: 'trello', reason: 'access_denied' });

    expect(tokenRequests('google') + tokenRequests('box') + sim.sim.count('trello', 'access_token')).toBe(0);
    expect(await connections()).toBe(0);
    const events = await t.sql<{ reason: string }>(`select reason from audit_events where user_id = ? and action = 'oauth.callback' order by created_at`, [userId]);
    expect(events.map((e) => e.reason)).toEqual(['access_denied', 'provider_error', 'access_denied']);
  });

  it('S10 Shopify: an invalid shop is refused before any redirect; a bad HMAC, stale timestamp or altered parameter gets 400', async () => {
    for (const shop of ['evil.example/x.myshopify.com', 'acme.myshopify.com.evil.example', 'acme.myshopify.com/', '-acme.myshopify.com', 'acme.myshopify.co', '']) {
      const r = await client.gql('mutation($shop: String) { connectProvider(provider: "shopify", shop: $shop) { authorizationUrl } }', { shop });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shop' });
    }
    const missing = await client.gql('mutation { connectProvider(provider: "shopify") { authorizationUrl } }');
    expect(missing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shop' });
    const rest = await client.request(`/api/oauth/shopify/initiate?shop=${encodeURIComponent('evil.example/x.myshopify.com')}`);
    expect(rest.status).toBe(400);
    expect(rest.headers.get('location')).toBeNull();
    expect(((await rest.json()) as { error: unknown }).error).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await t.sql('select id from oauth_pending_authorizations where user_id = ?', [userId])).toEqual([]);
    expect(sim.sim.count('shopify', 'authorize')).toBe(0);

    const secret = 'sandbox-shopify-secret';
    const resign = (url: string, changes: Record<string, string>) => {
      const u = new URL(edit(url, changes));
      u.searchParams.set('hmac', shopifyHmac(u.searchParams, secret));
      return u.toString();
    };
    const badHmac = await consented('shopify', { shop: SHOP });
    await expectRefused(await follow(client, edit(badHmac.callbackUrl, { hmac: '0'.repeat(64) })), 'invalid_hmac');
    const altered = await consented('shopify', { shop: SHOP });
    await expectRefused(await follow(client, edit(altered.callbackUrl, { host: 'ZXZpbC5leGFtcGxl' })), 'invalid_hmac');
    const stale = await consented('shopify', { shop: SHOP });
    await expectRefused(await follow(client, resign(stale.callbackUrl, { timestamp: String(Math.floor(Date.now() / 1000) - 200) })), 'invalid_hmac');
    const otherShop = await consented('shopify', { shop: SHOP });
    await expectRefused(await follow(client, resign(otherShop.callbackUrl, { shop: 'evil-store.myshopify.com' })), 'invalid_shop');
    expect(tokenRequests('shopify')).toBe(0);
    expect(await connections()).toBe(0);

    // The control: a fresh, correctly signed callback (re-signed with a current timestamp) connects.
    const good = await consented('shopify', { shop: SHOP });
    expect(outcomeOf(await follow(client, resign(good.callbackUrl, { timestamp: String(Math.floor(Date.now() / 1000)) }))).status).toBe('success');
  });

  describe('with a server posing as a Zoho data centre', () => {
    let evil: Server;
    let evilUrl: string;
    const received: string[] = [];
    beforeAll(async () => {
      evil = createServer((req, res) => {
        received.push(`${req.method} ${req.url}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"stolen"}');
      });
      await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
      evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    });

    it('S11 Zoho: an accounts-server outside the allowlist gets 400 and neither code nor secret is sent', async () => {
      for (const server of [evilUrl, `${sim.url}/zoho/eu.evil`, `${sim.url}/zoho/eu/../../evil`]) {
        // Each attempt burns its state: a fresh consent for each.
        const { callbackUrl } = await consented('zoho', {}, { dataCenter: 'eu' });
        await expectRefused(await follow(client, edit(callbackUrl, { 'accounts-server': server })), 'untrusted_accounts_server');
      }
      expect(received).toEqual([]);
      expect(tokenRequests('zoho')).toBe(0);
      expect(await connections()).toBe(0);
    });

    it('S19 the code (and later refresh tokens) go only to the configured token host', async () => {
      const { callbackUrl } = await consented('zoho', {}, { dataCenter: 'eu' });
      await expectRefused(await follow(client, edit(callbackUrl, { 'accounts-server': evilUrl })), 'untrusted_accounts_server');
      expect(received).toEqual([]);

      for (const provider of ['google', 'dropbox', 'box', 'asana'] as const) {
        expect(outcomeOf((await connectThrough(client, provider, { login: 'jane@example.com' })).response).status).toBe('success');
      }
      expect(outcomeOf((await connectThrough(client, 'zoho', { login: 'jane@example.com', dataCenter: 'in' })).response).status).toBe('success');
      const tokenPaths = sim.sim
        .requests()
        .filter((r) => r.endpoint === 'token_code')
        .map((r) => `${r.provider} ${r.path}`);
      expect(tokenPaths).toEqual(['google /google/token', 'dropbox /dropbox/oauth2/token', 'box /box/oauth2/token', 'asana /asana/-/oauth_token', 'zoho /zoho/in/oauth/v2/token']);
      expect(received).toEqual([]);
    });
  });

  it('S12 Trello: an oauth_token that is not the pending request token is rejected', async () => {
    const first = await consented('trello');
    const second = await consented('trello');
    const otherToken = new URL(second.callbackUrl).searchParams.get('oauth_token')!;
    await expectRefused(await follow(client, edit(first.callbackUrl, { oauth_token: otherToken })), 'invalid_state');
    expect(sim.sim.count('trello', 'access_token')).toBe(0);
    expect(await connections()).toBe(0);
    // The second flow is untouched by the attempt and still completes.
    expect(outcomeOf(await follow(client, second.callbackUrl)).status).toBe('success');
  });

  it('S13 the callback answers with Referrer-Policy: no-referrer and redirects after processing', async () => {
    const { callbackUrl } = await consented('dropbox');
    const res = await follow(client, callbackUrl);
    expect(res.status).toBe(302);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('location')).toBe(`${t.url}/integrations?status=success&provider=dropbox`);
    // By then the connection is stored: the redirect comes after the processing.
    expect(await connections()).toBe(1);
    const refused = await follow(client, callbackUrl);
    expect(refused.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('S20 the requested scopes are the catalog’s minimal set; the granted scopes are stored', async () => {
    for (const def of BUILT_IN_PROVIDERS) {
      const vars = def.id === 'shopify' ? { shop: SHOP } : {};
      const url = new URL(await connectProvider(client, def.id, vars));
      expect(url.searchParams.get('scope')?.split(def.scopeSeparator), def.id).toEqual(def.scopes);
    }
    // Google with include_granted_scopes: an earlier grant of `profile` comes back with this one.
    sim.sim.issueTokens('google', { login: 'jane@example.com', scopes: ['profile'] });
    expect(outcomeOf((await connectThrough(client, 'google', { login: 'jane@example.com' })).response).status).toBe('success');
    const [row] = await t.sql<{ scopes: string[] }>(`select scopes from connections where user_id = ? and provider = 'google'`, [userId]);
    expect([...row!.scopes].sort()).toEqual(['email', 'https://www.googleapis.com/auth/drive.file', 'openid', 'profile']);
  });

  describe('F01 token endpoint faults', () => {
    it.each([
      ['http500', {}],
      ['malformed', {}],
      ['slow', { delayMs: 5_000 }],
    ] as const)('F01 %s at the token endpoint: the callback fails clearly with token_exchange_failed and stores nothing', async (fault, extra) => {
      t.hub.services.oauthHttp.timeoutMs = 1_000;
      const { callbackUrl } = await consented('google');
      sim.sim.setFault('google', 'token_code', { kind: fault, times: 1, ...extra });
      const started = Date.now();
      const res = await follow(client, callbackUrl);
      expect(outcomeOf(res)).toEqual({ status: 'failure', provider: 'google', reason: 'token_exchange_failed' });
      if (fault === 'slow') expect(Date.now() - started).toBeLessThan(4_000);
      expect(tokenRequests('google')).toBe(1);
      expect(await connections()).toBe(0);
      const [event] = await t.sql<{ outcome: string; reason: string }>(
        `select outcome, reason from audit_events where user_id = ? and action = 'oauth.callback'`,
        [userId],
      );
      expect(event).toEqual({ outcome: 'failure', reason: 'token_exchange_failed' });
      // No trace of the failed exchange's parameters in the logs.
      const code = new URL(callbackUrl).searchParams.get('code')!;
      expect(t.logs()).not.toContain(code);
    });

    it('F01 an identity endpoint failure fails with identity_failed and stores nothing', async () => {
      const { callbackUrl } = await consented('box');
      sim.sim.setFault('box', 'userinfo', { kind: 'http500', times: 1 });
      expect(outcomeOf(await follow(client, callbackUrl))).toEqual({ status: 'failure', provider: 'box', reason: 'identity_failed' });
      expect(await connections()).toBe(0);
    });
  });
});
