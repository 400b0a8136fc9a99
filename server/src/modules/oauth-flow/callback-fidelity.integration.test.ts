import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulateConsent, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { CONNECT, connectProvider, connectThrough, follow, outcomeOf, startFlowHub, storedConnections, type FlowHub } from '../../test/connect-flow.js';
import type { TestClient } from '../../test/test-hub.js';
import { auditOf, uniqueLogin, uniqueShop } from '../../test/token-lifecycle.js';

/**
 * Issue 17, points 9 and 10, end to end through the hub against the simulator:
 * - Trello's request-token answer may lack `oauth_callback_confirmed` (its documentation never
 *   shows it); `false` is still refused.
 * - Shopify's callback HMAC is checked over the query as Shopify's library re-encodes it, so
 *   values with `=`, `&`, `%` and spaces (a padded base64 `host`, say) verify, and any change fails.
 */
describe.each(TEST_DATABASE_KINDS)('provider callback fidelity through the hub on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  let client: TestClient;
  let userId: string;
  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub(kind, sim, { env: { REFRESHER_ENABLED: '0' } });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  beforeEach(async () => {
    // reset() also puts the behaviour switches back to their defaults.
    sim.sim.reset();
    client = t.client();
    userId = (await client.signUp()).id;
  });

  /** Pending authorizations still open (a finished one is kept, consumed). */
  const pending = async () =>
    (await t.sql<{ n: number }>('select count(*)::int as n from oauth_pending_authorizations where user_id = ? and consumed_at is null', [userId]))[0]!.n;
  /** A 400 page: refused, plain, with the reason. */
  async function expectRefused(res: Response, reason: string) {
    expect(res.status).toBe(400);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await res.text()).toContain(`reason=${reason}`);
  }

  describe('Trello: oauth_callback_confirmed', () => {
    it('S12 Trello: without oauth_callback_confirmed in the request-token answer, a connect completes and stores the token', async () => {
      sim.sim.setBehaviour({ trello: { callbackConfirmed: 'absent' } });
      const { response } = await connectThrough(client, 'trello', { login: uniqueLogin('trello') });
      expect(outcomeOf(response)).toMatchObject({ status: 'success', provider: 'trello' });
      expect(sim.sim.requests('trello').map((r) => [r.endpoint, r.status])).toEqual([
        ['request_token', 200],
        ['authorize', 200],
        ['consent', 302],
        ['access_token', 200],
        ['userinfo', 200],
      ]);
      const [stored, ...more] = await storedConnections(t, userId);
      expect(more).toEqual([]);
      expect(stored!.connection).toMatchObject({ provider: 'trello', status: 'ACTIVE' });
      expect(sim.sim.isAccessTokenValid('trello', stored!.secrets.accessToken)).toBe(true);
      expect(await pending()).toBe(0);
    });

    it('S12 Trello: oauth_callback_confirmed=false refuses the connect before the user is sent to Trello, and stores nothing', async () => {
      sim.sim.setBehaviour({ trello: { callbackConfirmed: 'false' } });
      const r = await client.gql(CONNECT, { provider: 'trello' });
      expect(r.data?.connectProvider ?? null).toBeNull();
      expect(r.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
      // Nothing of the refused request token reaches the client.
      expect(JSON.stringify(r.errors)).not.toMatch(/oauth_token|[0-9a-f]{32}/);
      const [answer] = sim.sim.requests('trello');
      expect(answer).toMatchObject({ endpoint: 'request_token', status: 200 });
      expect(sim.sim.count('trello', 'authorize') + sim.sim.count('trello', 'access_token')).toBe(0);
      expect(await pending()).toBe(0);
      expect(await storedConnections(t, userId)).toEqual([]);
      expect(await auditOf(t, userId, 'oauth.connect_start')).toEqual([
        { action: 'oauth.connect_start', actor_type: 'user', outcome: 'failure', reason: 'provider_unavailable', provider: 'trello', target_id: null },
      ]);

      // The control: the same hub connects once Trello confirms again.
      sim.sim.setBehaviour({ trello: { callbackConfirmed: 'true' } });
      expect(outcomeOf((await connectThrough(client, 'trello', { login: uniqueLogin('trello') })).response).status).toBe('success');
    });
  });

  describe('Shopify: callback HMAC over re-encoded values', () => {
    it('S10 Shopify: the simulator sends host (base64 of admin.shopify.com/store/<shop>) and the signed callback connects', async () => {
      const shop = uniqueShop();
      const { callbackUrl, response } = await connectThrough(client, 'shopify', { login: uniqueLogin('shopify') }, { shop });
      const host = new URL(callbackUrl).searchParams.get('host')!;
      expect(host).toMatch(/^[0-9A-Za-z+/]+$/);
      expect(Buffer.from(host, 'base64').toString()).toBe(`admin.shopify.com/store/${shop.replace(/\.myshopify\.com$/, '')}`);
      expect(outcomeOf(response)).toMatchObject({ status: 'success', provider: 'shopify' });
    });

    it('S10 Shopify: a callback whose signed values hold =, &, % and spaces (a padded base64 host) connects', async () => {
      const shop = uniqueShop();
      const extras = { host: 'YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYWNtZQ==', note: 'a=b&c d%25+e' };
      sim.sim.setBehaviour({ shopify: { extraCallbackParams: extras } });
      const { callbackUrl, response } = await connectThrough(client, 'shopify', { login: uniqueLogin('shopify') }, { shop });
      // The values travel percent-encoded; the hub must decode and re-encode them like Shopify's library.
      expect(callbackUrl).toContain('host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYWNtZQ%3D%3D');
      expect(callbackUrl).toContain('note=a%3Db%26c+d%2525%2Be');
      expect(outcomeOf(response)).toMatchObject({ status: 'success', provider: 'shopify' });
      const [stored] = await storedConnections(t, userId);
      expect(stored!.connection).toMatchObject({ provider: 'shopify', providerAccountId: shop, status: 'ACTIVE' });
      expect(sim.sim.isAccessTokenValid('shopify', stored!.secrets.accessToken)).toBe(true);
    });

    it('S10 Shopify: a tampered encoded value, or an encoded & turned into a real one, fails with invalid_hmac and stores nothing', async () => {
      const shop = uniqueShop();
      sim.sim.setBehaviour({ shopify: { extraCallbackParams: { host: 'YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYWNtZQ==', note: 'a=b&c d%25+e' } } });
      const consented = async () => simulateConsent(await connectProvider(client, 'shopify', { shop }), { login: uniqueLogin('shopify') });

      const changed = await consented();
      await expectRefused(await follow(client, changed.replace('note=a%3Db%26c+d%2525%2Be', 'note=a%3Db%26c+d%2525%2Bf')), 'invalid_hmac');
      // Same characters, other meaning: `c d%+e` becomes a parameter of its own.
      const split = await consented();
      await expectRefused(await follow(client, split.replace('note=a%3Db%26c+d%2525%2Be', 'note=a%3Db&c+d%2525%2Be')), 'invalid_hmac');
      const unpadded = await consented();
      await expectRefused(await follow(client, unpadded.replace('vYWNtZQ%3D%3D', 'vYWNtZQ')), 'invalid_hmac');

      expect(sim.sim.count('shopify', 'token_code')).toBe(0);
      expect(await storedConnections(t, userId)).toEqual([]);
      const refused = await t.sql<{ reason: string }>(`select reason from audit_events where user_id = ? and action = 'oauth.callback' order by created_at`, [userId]);
      expect(refused.map((e) => e.reason)).toEqual(['invalid_hmac', 'invalid_hmac', 'invalid_hmac']);

      // The control: the untouched callback of the same kind connects.
      const good = await consented();
      expect(outcomeOf(await follow(client, good)).status).toBe('success');
    });
  });
});
