import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { connectThrough, outcomeOf, startFlowHub, storedConnections, type FlowHub } from '../../test/connect-flow.js';
import { auditOf, past, readConnection, setConnection, uniqueShop } from '../../test/token-lifecycle.js';
import { getAccessToken } from '../token-lifecycle/token-access.service.js';

const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000;
const CONNECTIONS = `{ integrations { provider connections { id accountId status lastError refreshTokenExpiresAt } } }`;

/**
 * Issue 17, Shopify: "only one expiring offline token can be active per app/shop combination:
 * acquiring a new expiring token will revoke all previous expiring tokens for that shop"; the
 * refresh token's `refresh_token_expires_in` (90 days) is kept; identity uses a supported
 * Admin API version.
 */
describe.each(TEST_DATABASE_KINDS)('Shopify through the hub against the provider simulator on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub(kind, sim, { env: { REFRESHER_ENABLED: '0' } });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  beforeEach(() => sim.sim.reset());

  it('a second connect of the same shop (another user) marks the first connection NEEDS_REAUTH `superseded`, audits it, and its tokens are dead at Shopify', async () => {
    const shop = uniqueShop();
    const alice = t.client();
    const aliceUser = await alice.signUp();
    const bob = t.client();
    const bobUser = await bob.signUp();

    expect(outcomeOf((await connectThrough(alice, 'shopify', { login: 'alice@example.com' }, { shop })).response).status).toBe('success');
    const [first] = await storedConnections(t, aliceUser.id);
    expect(first!.connection.status).toBe('ACTIVE');
    expect(sim.sim.isAccessTokenValid('shopify', first!.secrets.accessToken)).toBe(true);

    expect(outcomeOf((await connectThrough(bob, 'shopify', { login: 'bob@example.com' }, { shop })).response).status).toBe('success');
    const [second] = await storedConnections(t, bobUser.id);
    expect(second!.connection).toMatchObject({ providerAccountId: shop, status: 'ACTIVE', lastError: null });
    expect(sim.sim.isAccessTokenValid('shopify', second!.secrets.accessToken)).toBe(true);

    // Alice's connection says why at once, without waiting for a refresh to fail.
    const older = await readConnection(t, first!.connection.id);
    expect(older!.connection).toMatchObject({ status: 'NEEDS_REAUTH', lastError: 'superseded', nextRefreshAt: null });
    // …and it is true: Shopify revoked both of its tokens when Bob's were issued.
    expect(sim.sim.isAccessTokenValid('shopify', first!.secrets.accessToken)).toBe(false);
    expect(sim.sim.isRefreshTokenValid('shopify', first!.secrets.refreshToken!)).toBe(false);
    expect(sim.sim.revoked('shopify')).toEqual(expect.arrayContaining([first!.secrets.accessToken, first!.secrets.refreshToken]));

    expect(await auditOf(t, aliceUser.id, 'oauth.superseded')).toEqual([
      { action: 'oauth.superseded', actor_type: 'system', outcome: 'failure', reason: 'superseded', provider: 'shopify', target_id: first!.connection.id },
    ]);
    expect(await auditOf(t, bobUser.id, 'oauth.superseded')).toEqual([]);

    const listed = await alice.gql<{ integrations: Array<{ provider: string; connections: Array<Record<string, unknown>> }> }>(CONNECTIONS);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.integrations.find((i) => i.provider === 'shopify')!.connections).toEqual([
      { id: first!.connection.id, accountId: shop, status: 'NEEDS_REAUTH', lastError: 'superseded', refreshTokenExpiresAt: expect.any(String) },
    ]);
    // A service asking for Alice's token is told to send her through connect again.
    const refused = await getAccessToken(t.hub.services, { userId: aliceUser.id, provider: 'shopify', connectionId: first!.connection.id }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('NEEDS_REAUTH');

    // The same user reconnecting the same shop replaces her row (no duplicate), and supersedes Bob's.
    expect(outcomeOf((await connectThrough(alice, 'shopify', { login: 'alice@example.com' }, { shop })).response).status).toBe('success');
    const [again, ...more] = await storedConnections(t, aliceUser.id);
    expect(more).toEqual([]);
    expect(again!.connection).toMatchObject({ id: first!.connection.id, status: 'ACTIVE', lastError: null });
    expect((await readConnection(t, second!.connection.id))!.connection).toMatchObject({ status: 'NEEDS_REAUTH', lastError: 'superseded' });
    expect(sim.sim.isAccessTokenValid('shopify', second!.secrets.accessToken)).toBe(false);
    expect(await auditOf(t, bobUser.id, 'oauth.superseded')).toHaveLength(1);
  });

  it('another shop is not affected', async () => {
    const client = t.client();
    const user = await client.signUp();
    const shopA = uniqueShop();
    const shopB = uniqueShop();
    await connectThrough(client, 'shopify', { login: 'owner@example.com' }, { shop: shopA });
    await connectThrough(client, 'shopify', { login: 'owner@example.com' }, { shop: shopB });
    const stored = await storedConnections(t, user.id);
    expect(stored.map((s) => [s.connection.providerAccountId, s.connection.status])).toEqual([
      [shopA, 'ACTIVE'],
      [shopB, 'ACTIVE'],
    ]);
    for (const s of stored) expect(sim.sim.isAccessTokenValid('shopify', s.secrets.accessToken)).toBe(true);
  });

  it('refresh_token_expires_in (90 days) is stored on connect, renewed by a refresh, and read-only in GraphQL', async () => {
    const client = t.client();
    const user = await client.signUp();
    const shop = uniqueShop();
    const before = Date.now();
    await connectThrough(client, 'shopify', { login: 'owner@example.com' }, { shop });
    const [stored] = await storedConnections(t, user.id);
    const connected = stored!.connection.refreshTokenExpiresAt!;
    expect(connected.getTime()).toBeGreaterThanOrEqual(before + NINETY_DAYS_MS - 5_000);
    expect(connected.getTime()).toBeLessThanOrEqual(Date.now() + NINETY_DAYS_MS + 5_000);

    // Pretend the stored date is old; the next refresh brings a new 90 days.
    await setConnection(t, stored!.connection.id, 'expires_at = ?, refresh_token_expires_at = ?', [past(), new Date(Date.now() + 86_400_000)]);
    await getAccessToken(t.hub.services, { userId: user.id, provider: 'shopify', connectionId: stored!.connection.id });
    expect(sim.sim.count('shopify', 'token_refresh')).toBe(1);
    const refreshed = (await readConnection(t, stored!.connection.id))!.connection.refreshTokenExpiresAt!;
    expect(refreshed.getTime()).toBeGreaterThan(Date.now() + NINETY_DAYS_MS - 60_000);

    const listed = await client.gql<{ integrations: Array<{ provider: string; connections: Array<{ refreshTokenExpiresAt: string | null }> }> }>(CONNECTIONS);
    expect(new Date(listed.data!.integrations.find((i) => i.provider === 'shopify')!.connections[0]!.refreshTokenExpiresAt!).getTime()).toBe(refreshed.getTime());
    // Providers that do not say keep null.
    await connectThrough(client, 'google', { login: 'owner@example.com' });
    const google = (await storedConnections(t, user.id)).find((s) => s.connection.provider === 'google')!;
    expect(google.connection.refreshTokenExpiresAt).toBeNull();
  });

  it('identity is read from a supported Admin API version (2026-10)', async () => {
    const client = t.client();
    await client.signUp();
    await connectThrough(client, 'shopify', { login: 'owner@example.com' }, { shop: uniqueShop() });
    const identity = sim.sim.requests('shopify').filter((r) => r.endpoint === 'userinfo');
    expect(identity).toHaveLength(1);
    expect(identity[0]!.path).toMatch(/\/admin\/api\/2026-10\/shop\.json$/);
    expect(identity[0]!.status).toBe(200);
  });
});
