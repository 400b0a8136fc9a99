import { CONNECTION_COLUMNS, placeOf } from '../server/src/vault/encrypted-columns.js';
import type { ProviderId } from '../server/src/simulator/index.js';
import { grantConnection, REFRESHABLE } from './lib/grants.js';
import { readCpuMs, startBenchHub } from './lib/processes.js';
import { median, type BenchResult } from './lib/report.js';
import { seedConnections, seedUsers } from './lib/seed.js';
import { startStack } from './lib/stack.js';

/**
 * B3: the background refresher of one hub process renews 10,000 expiring connections (real
 * simulator grants over six providers, Box and Shopify rotating their refresh tokens), the
 * simulator in this process. Seeded not due; then one UPDATE makes all of them expire within the
 * margin, and the clock runs from that commit to the last refresh stored (last_refreshed_at).
 * Checked: exactly one refresh request per connection at the simulator, every answer 200, and
 * no connection lost: each is ACTIVE with no last_error, and its stored access and refresh
 * tokens are live at the simulator.
 */
const N = Number(process.env.BENCH_B3_CONNECTIONS ?? 10_000);
const PER_USER = 5;
const TIMEOUT_MS = 240_000;
const log = (line: string) => process.stderr.write(`${line}\n`);

export async function benchBackgroundRefresh(): Promise<BenchResult[]> {
  const stack = await startStack({ maxRecordedRequests: N * 2 });
  const { pool } = stack.db;
  try {
    const hub = await startBenchHub(
      { ...stack.hubEnv, REFRESHER_ENABLED: 'true', REFRESHER_INTERVAL_SECONDS: '1' },
      process.env.BENCH_CPU_PROF ? { cpuProfileDir: process.env.BENCH_CPU_PROF } : {},
    );
    try {
      const t0 = performance.now();
      const users = await seedUsers(pool, Math.ceil(N / PER_USER), 'b3');
      const notDue = new Date(Date.now() + 86_400_000);
      const seeds = Array.from({ length: N }, (_, i) => {
        const provider = REFRESHABLE[i % REFRESHABLE.length]!;
        return grantConnection(stack.sim, provider, users[Math.floor(i / PER_USER)]!.id, `b3-${i}-${provider}@example.com`, notDue);
      });
      const seeded = await seedConnections(pool, stack.vault, seeds);
      log(`  seeded ${N} connections with simulator grants in ${Math.round(performance.now() - t0)} ms`);
      stack.sim.sim.reset(); // counters and request log only; grants stay

      const cpuBefore = await readCpuMs(hub.child.pid!);
      const due = await pool.query<{ at: Date }>(`update connections set expires_at = now() + interval '60 seconds' returning clock_timestamp() as at`);
      const startedAt = due.rows.reduce((m, r) => Math.min(m, r.at.getTime()), Infinity);
      const deadline = Date.now() + TIMEOUT_MS;
      let done = 0;
      for (;;) {
        const [row] = (await pool.query<{ n: number }>('select count(*)::int as n from connections where last_refreshed_at is not null')).rows;
        done = row!.n;
        if (done >= N || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const cpuMsPerRefresh = ((await readCpuMs(hub.child.pid!)) - cpuBefore) / Math.max(done, 1);
      const [span] = (await pool.query<{ last: Date | null; first: Date | null }>('select max(last_refreshed_at) as last, min(last_refreshed_at) as first from connections')).rows;
      const seconds = ((span!.last?.getTime() ?? Date.now()) - startedAt) / 1000;
      const overall = done / seconds;
      // The rate of each whole second of the burst (the first and last, partial, left out); its
      // median is what the target is held to: one second disturbed by the machine moves it little.
      const perSecond = (
        await pool.query<{ n: number }>(
          `select count(*)::int as n from connections where last_refreshed_at is not null group by date_trunc('second', last_refreshed_at) order by date_trunc('second', last_refreshed_at)`,
        )
      ).rows.map((r) => r.n);
      const rate = perSecond.length > 2 ? median(perSecond.slice(1, -1)) : overall;

      const counters = stack.sim.sim.counters();
      const calls = REFRESHABLE.reduce((s, p) => s + (counters[p]?.token_refresh ?? 0), 0);
      const non200 = stack.sim.sim.requests().filter((r) => r.endpoint === 'token_refresh' && r.status !== 200).length;

      // Lost: anything but ACTIVE, without error, with live tokens at the simulator.
      const rows = (
        await pool.query<{ id: string; user_id: string; provider: ProviderId; status: string; last_error: string | null; access_token_enc: string; refresh_token_enc: string }>(
          'select id, user_id, provider, status, last_error, access_token_enc, refresh_token_enc from connections',
        )
      ).rows;
      let lost = 0;
      for (const r of rows) {
        const access = stack.vault.decrypt(r.access_token_enc, placeOf(CONNECTION_COLUMNS.accessToken, r.user_id, r.id));
        const refresh = stack.vault.decrypt(r.refresh_token_enc, placeOf(CONNECTION_COLUMNS.refreshToken, r.user_id, r.id));
        const ok =
          r.status === 'ACTIVE' && r.last_error === null && stack.sim.sim.isAccessTokenValid(r.provider, access) && stack.sim.sim.isRefreshTokenValid(r.provider, refresh);
        if (!ok) lost++;
      }
      lost += N - rows.length;
      const seededAccess = new Map(seeded.map((s) => [s.id, s.accessToken]));
      const unchanged = rows.filter((r) => stack.vault.decrypt(r.access_token_enc, placeOf(CONNECTION_COLUMNS.accessToken, r.user_id, r.id)) === seededAccess.get(r.id)).length;
      log(`  per-second refreshes: ${perSecond.join(' ')}`);
      log(`  ${done}/${N} refreshed in ${seconds.toFixed(1)} s (hub CPU ${cpuMsPerRefresh.toFixed(2)} ms per refresh); refresh calls ${calls}, non-200 ${non200}, lost ${lost}, unchanged tokens ${unchanged}`);
      return [
        {
          id: 'B3',
          what: `background refresh of ${N} expiring connections (${REFRESHABLE.join(', ')}) against the simulator, one hub, batch ${process.env.REFRESHER_BATCH_SIZE ?? 'default'}`,
          measured: {
            'refreshes/s (median of seconds)': rate,
            'refreshes/s overall': overall,
            seconds,
            'hub CPU ms/refresh': cpuMsPerRefresh, 'provider refresh calls': calls,
            'non-200': non200,
            'connections lost': lost,
          },
          target: `≥ 300 refreshes/s; refresh calls exactly ${N}; lost 0`,
          met: rate >= 300 && calls === N && lost === 0 && done === N && non200 === 0,
          ...(done < N ? { notes: `only ${done} of ${N} refreshed within ${TIMEOUT_MS / 1000} s` } : unchanged ? { notes: `${unchanged} access tokens unchanged` } : {}),
        },
      ];
    } finally {
      await hub.stop();
    }
  } finally {
    await stack.close();
  }
}
