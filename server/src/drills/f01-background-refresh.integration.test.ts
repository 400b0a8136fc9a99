import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFlowHub, type FlowHub } from '../test/connect-flow.js';
import { BackgroundRefresher } from '../modules/token-lifecycle/background-refresher.js';
import { auditOf, readConnection, seedConnection, setConnection } from '../test/token-lifecycle.js';
import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../test/databases.js';

/**
 * F01 for the BACKGROUND refresher (the on-demand path is covered provider by provider in
 * token-lifecycle/refresh.integration.test.ts): when the provider's token endpoint fails during a
 * refresher pass — 500, a timeout, malformed JSON — the stored tokens are kept, last_error says
 * why, and the claim lease is replaced by the backoff, so the next passes send nothing until the
 * backoff is over; then a pass recovers and clears the failure.
 */
describe.each(TEST_DATABASE_KINDS)('F01 background refresh against a failing provider on %s', (kind) => {
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
  beforeEach(async () => {
    sim.sim.reset();
    // Only the connection under test is due.
    await t.sql(`update connections set expires_at = now() + interval '1 day'`);
  });

  it.each([
    { fault: { kind: 'http500' as const }, lastError: 'provider_unavailable' },
    { fault: { kind: 'slow' as const, delayMs: 3_000 }, lastError: 'timeout' },
    { fault: { kind: 'malformed' as const }, lastError: 'malformed_response' },
  ])('F01 $fault.kind during a pass: tokens kept, last_error $lastError, backoff instead of the lease, no retry before it, then recovery', async ({ fault, lastError }) => {
    t.hub.services.oauthHttp.timeoutMs = 400;
    const refresher = new BackgroundRefresher(t.hub.services, { intervalMs: 60_000, batchSize: 10 });
    // Box: rotating refresh tokens, the case where losing or reusing one costs the connection.
    const seeded = await seedConnection(t, sim, 'box', { userId, expiresAt: new Date(Date.now() + 60_000) });
    sim.sim.setFault('box', 'token_refresh', { ...fault, times: 1 });

    const started = Date.now();
    expect(await refresher.runOnce()).toEqual({ claimed: 1, refreshed: 0, skipped: 0, failed: 1 });
    const failed = (await readConnection(t, seeded.id))!;
    expect(failed.secrets).toEqual(seeded.secrets);
    expect(sim.sim.isRefreshTokenValid('box', seeded.secrets.refreshToken!)).toBe(true);
    const c = failed.connection;
    expect({ status: c.status, lastError: c.lastError, refreshFailures: c.refreshFailures }).toEqual({ status: 'ACTIVE', lastError, refreshFailures: 1 });
    // The backoff (30 s, jittered into its upper half), not the 300 s claim lease.
    expect(c.nextRefreshAt!.getTime()).toBeGreaterThanOrEqual(started + 15_000);
    expect(c.nextRefreshAt!.getTime()).toBeLessThanOrEqual(Date.now() + 30_000);
    expect((await auditOf(t, userId, 'oauth.refresh')).filter((e) => e.target_id === seeded.id).map((e) => [e.outcome, e.reason])).toEqual([['failure', lastError]]);

    // During the backoff, passes claim nothing and send nothing.
    expect(await refresher.runOnce()).toEqual({ claimed: 0, refreshed: 0, skipped: 0, failed: 0 });
    expect(sim.sim.count('box', 'token_refresh')).toBe(1);

    // Backoff over: the next pass recovers.
    t.hub.services.oauthHttp.timeoutMs = 10_000;
    await setConnection(t, seeded.id, `next_refresh_at = now() - interval '1 second'`);
    expect(await refresher.runOnce()).toEqual({ claimed: 1, refreshed: 1, skipped: 0, failed: 0 });
    const recovered = (await readConnection(t, seeded.id))!;
    expect(recovered.secrets.accessToken).not.toBe(seeded.secrets.accessToken);
    expect(sim.sim.isAccessTokenValid('box', recovered.secrets.accessToken)).toBe(true);
    expect(sim.sim.isRefreshTokenValid('box', recovered.secrets.refreshToken!)).toBe(true);
    expect({ lastError: recovered.connection.lastError, refreshFailures: recovered.connection.refreshFailures, nextRefreshAt: recovered.connection.nextRefreshAt }).toEqual({
      lastError: null,
      refreshFailures: 0,
      nextRefreshAt: null,
    });
    expect(sim.sim.count('box', 'token_refresh')).toBe(2);
  });
});
