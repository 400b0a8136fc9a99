import { compareUnderLoad, measureAlone } from './lib/compare.js';
import { rotate } from './lib/load.js';
import type { BenchResult } from './lib/report.js';
import { servingFixture } from './lib/serving-fixture.js';

/**
 * B2: `POST /api/credentials/token` `{ userId, provider }` for valid (unexpired, no refresh
 * needed) tokens, rotating over every user's OAuth 2 connections (Trello, OAuth 1.0a, is left
 * out: its answer adds the client id), 50 connections, beside the baseline doing the same
 * (find the connection, decrypt, one audit row). Then the same load on the stack floor
 * (baseline/stack-floor.ts: express and its JSON parser with every answer in memory). B7: the
 * hub's peak RSS meanwhile.
 */
const CONNECTIONS = 50;
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function fetchToken(base: string, serviceToken: string, body: string): Promise<string> {
  const res = await fetch(`${base}/api/credentials/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceToken}` },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${base}/api/credentials/token answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

export async function benchToken(): Promise<BenchResult[]> {
  const f = await servingFixture();
  const bodies = f.connections.filter((c) => c.tokenType === 'bearer').map((c) => JSON.stringify({ userId: c.userId, provider: c.provider }));
  // Spread over users: consecutive requests go to different users.
  bodies.sort(() => Math.random() - 0.5);

  for (const body of bodies.slice(0, 5)) {
    const [hub, base, floor] = await Promise.all(
      [f.hub.url, f.baseline.url, f.floor.url].map((url) => fetchToken(url, f.stack.serviceToken, body)),
    );
    if (hub !== base) throw new Error(`B2: the baseline's answer differs from the hub's:\nhub:      ${hub}\nbaseline: ${base}`);
    if (hub !== floor) throw new Error(`B2: the stack floor's answer differs from the hub's:\nhub:   ${hub}\nfloor: ${floor}`);
  }
  const [before] = (await f.stack.db.pool.query<{ n: number }>(`select count(*)::int as n from audit_events where action = 'oauth.token_read'`)).rows;

  const nextBody = rotate(bodies);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${f.stack.serviceToken}` };
  const c = await compareUnderLoad({
    hubUrl: f.hub.url,
    hubPid: f.hub.child.pid!,
    baselineUrl: f.baseline.url,
    baselinePid: f.baseline.child.pid!,
    method: 'POST',
    path: '/api/credentials/token',
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    warmupSeconds: 3,
    rounds: ROUNDS,
    next: () => ({ headers, body: nextBody() }),
    log,
  });
  // The frameworks alone (express, its JSON parser; no database, vault or audit): the floor.
  const floor = await measureAlone({
    url: f.floor.url,
    method: 'POST',
    path: '/api/credentials/token',
    connections: CONNECTIONS,
    cpuPid: f.floor.child.pid!,
    durationSeconds: DURATION,
    warmupSeconds: 3,
    rounds: ROUNDS,
    next: () => ({ headers, body: nextBody() }),
    label: 'floor',
    log,
  });
  // No refresh was needed, so none may have been sent.
  const refreshes = Object.values(f.stack.sim.sim.counters()).reduce((s, byEndpoint) => s + (byEndpoint?.token_refresh ?? 0), 0);
  const [after] = (await f.stack.db.pool.query<{ n: number }>(`select count(*)::int as n from audit_events where action = 'oauth.token_read'`)).rows;
  const mb = c.hubPeakRss / 2 ** 20;
  const problems = [
    ...(c.failures + floor.failures ? [`${c.failures + floor.failures} failed or non-2xx responses`] : []),
    ...(refreshes ? [`${refreshes} provider refreshes for fresh tokens`] : []),
  ];
  return [
    {
      id: 'B2',
      what: `POST /api/credentials/token, valid tokens of ${bodies.length} connections, ${CONNECTIONS} connections × ${ROUNDS}×${DURATION} s`,
      measured: {
        'hub req/s (median)': c.hubRps,
        'baseline req/s (median)': c.baselineRps,
        'ratio (median of pairs)': c.ratio,
        'CPU ratio': c.baselineCpuMs / c.hubCpuMs,
        'p50 ms': c.p50,
        'p99 ms': c.p99,
        'baseline p99 ms': c.baselineP99,
        'hub CPU ms/req': c.hubCpuMs,
        'baseline CPU ms/req': c.baselineCpuMs,
        'PostgreSQL CPU ms/req (hub runs)': c.hubPostgresCpuMs,
        'PostgreSQL CPU ms/req (baseline runs)': c.baselinePostgresCpuMs,
        'stack floor req/s': floor.rps,
        'stack floor CPU ms/req': floor.cpuMs,
        'audit rows written (hub and baseline)': after!.n - before!.n,
      },
      target: 'ratio ≥ 0.6',
      met: c.ratio >= 0.6 && problems.length === 0,
      ...(problems.length ? { notes: problems.join('; ') } : {}),
    },
    {
      id: 'B7',
      what: 'peak RSS of the hub during B2',
      measured: { 'peak RSS MB': mb, 'VmHWM MB': c.hubHwm / 2 ** 20 },
      target: '≤ 300 MB',
      met: mb <= 300,
    },
  ];
}
