import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxOverrides } from '../../sandbox/sandbox.js';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { createPostgresDatabase } from '../../test/databases.js';
import { startHubProcess, type HubProcess } from '../../test/hub-process.js';
import { startTestHub, TEST_ENCRYPTION_KEY, type TestHub } from '../../test/test-hub.js';
import { writeProvidersFile } from '../../test/connect-flow.js';
import { past, readConnection, seedConnection, SERVICE_TOKEN } from '../../test/token-lifecycle.js';

/**
 * Built hubs as processes (`npm test` builds first; run `npm run build:server` before running this
 * file alone) on ONE PostgreSQL database, with the provider simulator in this process. An
 * in-process hub on the same database (its refresher off) seeds connections through
 * ConnectionService and reads the results.
 */
interface Cluster {
  sim: RunningSimulator;
  t: TestHub;
  a: HubProcess;
  b: HubProcess;
  close(): Promise<void>;
}

async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const sim = await startSimulator();
  const db = await createPostgresDatabase();
  const file = await writeProvidersFile(sandboxOverrides(sim.url));
  const common = { DATABASE_URL: db.url, ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, OAUTH_PROVIDERS_FILE: file.path, HUB_SERVICE_TOKEN: SERVICE_TOKEN };
  // The in-process hub migrates the database before the processes start.
  const t = await startTestHub('postgresql', { ...common, REFRESHER_ENABLED: '0' }, { db: { kind: 'postgresql', url: db.url, drop: db.drop } });
  const [a, b] = await Promise.all([startHubProcess({ env: { ...common, ...env } }), startHubProcess({ env: { ...common, ...env } })]);
  return {
    sim,
    t,
    a,
    b,
    async close() {
      await Promise.all([a.stop(), b.stop()]);
      await t.close();
      await sim.close();
      await db.drop();
      await file.remove();
    },
  };
}

describe('S17 two hub processes on one PostgreSQL database, 200 concurrent token requests', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ REFRESHER_ENABLED: '0' });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('S17 200 requests for one expired Box token split across two processes: exactly one refresh, the same valid token for every caller', async () => {
    const userId = (await c.t.client().signUp()).id;
    const seeded = await seedConnection(c.t, c.sim, 'box', { userId, expiresAt: past() });
    // A slow provider makes the two instances' refreshes overlap: without the row lock both would
    // reach Box, and the second would find its refresh token already rotated.
    c.sim.sim.setFault('box', 'token_refresh', { kind: 'slow', delayMs: 1_000, times: 1 });
    const ask = (url: string) =>
      fetch(`${url}/api/credentials/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}` },
        body: JSON.stringify({ userId, provider: 'box', connectionId: seeded.id }),
      });
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        const url = (i % 2 === 0 ? c.a : c.b).url;
        // This test's own keep-alive sockets (from the readiness probes) may have been closed by
        // the hub meanwhile: a caller whose request never arrived asks again, as a service would.
        return ask(url)
          .catch(() => ask(url))
          .then(async (res) => ({ status: res.status, body: (await res.json()) as { accessToken?: string } }));
      }),
    );
    expect(responses.map((r) => r.status)).toEqual(Array.from({ length: 200 }, () => 200));
    expect(c.sim.sim.count('box', 'token_refresh')).toBe(1);
    expect(c.sim.sim.requests('box').map((r) => r.status)).toEqual([200]);
    const tokens = new Set(responses.map((r) => r.body.accessToken));
    expect(tokens.size).toBe(1);
    const [token] = tokens;
    expect(token).not.toBe(seeded.secrets.accessToken);
    expect(c.sim.sim.isAccessTokenValid('box', token!)).toBe(true);
    const stored = await readConnection(c.t, seeded.id);
    expect(stored!.secrets.accessToken).toBe(token);
    // Box rotated the refresh token: the stored one is the live one.
    expect(c.sim.sim.isRefreshTokenValid('box', stored!.secrets.refreshToken!)).toBe(true);
  });
});

describe('F04 the background refresher of two processes over 1,000 expiring connections', () => {
  const N = 1000;
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({ REFRESHER_ENABLED: '1', REFRESHER_INTERVAL_SECONDS: '1', REFRESHER_BATCH_SIZE: '50' });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('F04 S17 every connection is refreshed exactly once, the work is split between the instances, no invalid_grant', async () => {
    // Not due yet while seeding; all due at once afterwards.
    const users = await Promise.all(Array.from({ length: 10 }, async () => (await c.t.client().signUp()).id));
    const seeded: Array<Awaited<ReturnType<typeof seedConnection>>> = [];
    for (let i = 0; i < N; i += 20) {
      seeded.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, j) => seedConnection(c.t, c.sim, 'box', { userId: users[(i + j) % users.length]!, expiresAt: new Date(Date.now() + 86_400_000) })),
        )),
      );
    }
    c.sim.sim.reset();
    await c.t.sql(`update connections set expires_at = now() + interval '60 seconds'`);

    const deadline = Date.now() + 90_000;
    for (;;) {
      const [row] = await c.t.sql<{ n: number }>('select count(*)::int as n from connections where last_refreshed_at is not null');
      if (row!.n === N) break;
      if (Date.now() > deadline) throw new Error(`only ${row!.n} of ${N} connections were refreshed`);
      await new Promise((r) => setTimeout(r, 250));
    }

    expect(c.sim.sim.count('box', 'token_refresh')).toBe(N);
    const statuses = c.sim.sim.requests('box').map((r) => r.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const [states] = await c.t.sql<{ active: number; errors: number }>(
      `select count(*) filter (where status = 'ACTIVE')::int as active, count(last_error)::int as errors from connections`,
    );
    expect(states).toEqual({ active: N, errors: 0 });
    for (const s of seeded) {
      const stored = (await readConnection(c.t, s.id))!;
      expect(stored.secrets.accessToken).not.toBe(s.secrets.accessToken);
      expect(c.sim.sim.isAccessTokenValid('box', stored.secrets.accessToken)).toBe(true);
      expect(c.sim.sim.isRefreshTokenValid('box', stored.secrets.refreshToken!)).toBe(true);
    }

    // Split, never duplicated: each instance logged its share, and the shares add up to N.
    const refreshedBy = (p: HubProcess) =>
      p
        .logs()
        .split('\n')
        .filter((l) => l.includes('"msg":"background refresh pass"'))
        .reduce((sum, l) => sum + (JSON.parse(l) as { refreshed: number }).refreshed, 0);
    const [byA, byB] = [refreshedBy(c.a), refreshedBy(c.b)];
    expect(byA + byB).toBe(N);
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);
  }, 180_000);
});
