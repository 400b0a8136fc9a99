import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postForm } from '../../test/simulator-requests.js';
import { simulatorEndpoints, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { startFlowHub, type FlowHub } from '../../test/connect-flow.js';
import { past, readConnection, seedConnection } from '../../test/token-lifecycle.js';
import { getAccessToken } from './token-access.service.js';

/**
 * Issue 17 point 5: refresh grace periods. The hub's refresh went out with the stored refresh
 * token, the provider rotated it, and the answer never got stored (lost response, crash before
 * the commit). The stored token is then the *previous* one. Box answers its reuse with the same
 * pair until the new refresh token is used; Shopify (changelog 2026-08-28) keeps the previous one
 * valid until its replacement is used. The hub's next refresh with what it stored recovers.
 */
describe.each(TEST_DATABASE_KINDS)('refresh after a lost rotation answer on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  let userId: string;
  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub(kind, sim, { env: { REFRESHER_ENABLED: '0' } });
    userId = (await t.client().signUp()).id;
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  beforeEach(() => sim.sim.reset());

  /** The refresh the hub sent but never heard back from, replayed straight at the simulator. */
  async function lostRefresh(provider: 'box' | 'shopify', refreshToken: string, shop: string) {
    const ep = provider === 'box' ? simulatorEndpoints(sim.url).box : simulatorEndpoints(sim.url).shopify.forShop(shop);
    const res = await postForm(ep.tokenUrl, {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: `sandbox-${provider}-client`,
      client_secret: `sandbox-${provider}-secret`,
    });
    expect(res.status).toBe(200);
    return res.json as { access_token: string; refresh_token: string };
  }

  it('box: a retry with the old refresh token recovers the same pair, and the connection stays ACTIVE', async () => {
    const seeded = await seedConnection(t, sim, 'box', { userId, expiresAt: past() });
    const lost = await lostRefresh('box', seeded.secrets.refreshToken!, seeded.shop);

    const got = await getAccessToken(t.hub.services, { userId, provider: 'box', connectionId: seeded.id });
    // The very pair of the lost answer: nothing new was minted.
    expect(got.accessToken).toBe(lost.access_token);
    const stored = await readConnection(t, seeded.id);
    expect(stored!.secrets.refreshToken).toBe(lost.refresh_token);
    expect(stored!.connection).toMatchObject({ status: 'ACTIVE', lastError: null, refreshFailures: 0 });
    expect(sim.sim.isRefreshTokenValid('box', lost.refresh_token)).toBe(true);
    expect(sim.sim.count('box', 'token_refresh')).toBe(2);
  });

  it('box: once the new refresh token has been used, the old one is dead (NEEDS_REAUTH invalid_grant)', async () => {
    const seeded = await seedConnection(t, sim, 'box', { userId, expiresAt: past() });
    const lost = await lostRefresh('box', seeded.secrets.refreshToken!, seeded.shop);
    await lostRefresh('box', lost.refresh_token, seeded.shop);
    const refused = await getAccessToken(t.hub.services, { userId, provider: 'box', connectionId: seeded.id }).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('NEEDS_REAUTH');
    expect((await readConnection(t, seeded.id))!.connection).toMatchObject({ status: 'NEEDS_REAUTH', lastError: 'invalid_grant' });
  });

  it('shopify: the previous refresh token still refreshes (a new pair), and the connection stays ACTIVE', async () => {
    const seeded = await seedConnection(t, sim, 'shopify', { userId, expiresAt: past() });
    const lost = await lostRefresh('shopify', seeded.secrets.refreshToken!, seeded.shop);

    const got = await getAccessToken(t.hub.services, { userId, provider: 'shopify', connectionId: seeded.id });
    expect(sim.sim.isAccessTokenValid('shopify', got.accessToken)).toBe(true);
    const stored = await readConnection(t, seeded.id);
    expect(stored!.connection).toMatchObject({ status: 'ACTIVE', lastError: null });
    expect(sim.sim.isRefreshTokenValid('shopify', stored!.secrets.refreshToken!)).toBe(true);
    // The lost answer's refresh token was never used, so Shopify retired it in favour of the new one.
    expect(stored!.secrets.refreshToken).not.toBe(lost.refresh_token);
    expect(sim.sim.isRefreshTokenValid('shopify', lost.refresh_token)).toBe(false);
  });
});
