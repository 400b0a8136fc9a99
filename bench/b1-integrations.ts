import { compareUnderLoad, measureAlone } from './lib/compare.js';
import { rotate } from './lib/load.js';
import type { BenchResult } from './lib/report.js';
import { CONNECTIONS_PER_USER, servingFixture, USERS } from './lib/serving-fixture.js';

/**
 * B1: the dashboard's `integrations` query for signed-in users (USERS users × 3 connections),
 * autocannon with 50 connections rotating through every user's session cookie, beside the bare
 * baseline answering the same bytes. Then the same load on the stack floor
 * (baseline/stack-floor.ts: the hub's frameworks with every answer in memory), the best those
 * frameworks allow. B7: the hub's peak RSS meanwhile.
 */

/** The Integrations query exactly as the dashboard's Apollo Client sends it (fragments, __typename). */
export const INTEGRATIONS_QUERY = `query Integrations {
  integrations {
    ...IntegrationFields
    __typename
  }
}

fragment IntegrationFields on Integration {
  provider
  displayName
  description
  authMode
  configured
  sandbox
  requiresShop
  connected
  connections {
    ...ConnectionFields
    __typename
  }
  __typename
}

fragment ConnectionFields on Connection {
  id
  provider
  accountId
  accountEmail
  accountLabel
  status
  scopes
  connectedAt
  lastRefreshedAt
  expiresAt
  lastError
  __typename
}`;

const BODY = JSON.stringify({ operationName: 'Integrations', variables: {}, query: INTEGRATIONS_QUERY });
const CONNECTIONS = 50;
const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function fetchIntegrations(base: string, cookie: string): Promise<string> {
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: BODY });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${base}/graphql answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

export async function benchIntegrations(): Promise<BenchResult[]> {
  const f = await servingFixture();
  log(`  seeded ${USERS} users × ${CONNECTIONS_PER_USER} connections in ${Math.round(f.seedMs)} ms`);
  const cookies = f.users.map((u) => `hub_session=${u.sessionToken}`);

  // Same bytes from all three, for a few users, before anything is measured.
  for (const cookie of [cookies[0]!, cookies[1]!, cookies[USERS - 1]!]) {
    const [hub, base, floor] = await Promise.all([
      fetchIntegrations(f.hub.url, cookie),
      fetchIntegrations(f.baseline.url, cookie),
      fetchIntegrations(f.floor.url, cookie),
    ]);
    if (hub !== base) throw new Error(`B1: the baseline's answer differs from the hub's:\nhub:      ${hub.slice(0, 600)}\nbaseline: ${base.slice(0, 600)}`);
    if (hub !== floor) throw new Error(`B1: the stack floor's answer differs from the hub's:\nhub:   ${hub.slice(0, 600)}\nfloor: ${floor.slice(0, 600)}`);
    const parsed = JSON.parse(hub) as { data: { integrations: Array<{ connections: unknown[] }> } };
    const n = parsed.data.integrations.reduce((s, i) => s + i.connections.length, 0);
    if (n !== CONNECTIONS_PER_USER) throw new Error(`B1: expected ${CONNECTIONS_PER_USER} connections in the answer, got ${n}`);
  }

  const nextCookie = rotate(cookies);
  const next = () => ({ headers: { 'content-type': 'application/json', cookie: nextCookie() }, body: BODY });
  const c = await compareUnderLoad({
    hubUrl: f.hub.url,
    hubPid: f.hub.child.pid!,
    baselineUrl: f.baseline.url,
    baselinePid: f.baseline.child.pid!,
    method: 'POST',
    path: '/graphql',
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    warmupSeconds: 3,
    rounds: ROUNDS,
    next,
    log,
  });
  // The frameworks alone (no database, no hub code), under the same load: the best the stack allows.
  const floor = await measureAlone({
    url: f.floor.url,
    method: 'POST',
    path: '/graphql',
    connections: CONNECTIONS,
    cpuPid: f.floor.child.pid!,
    durationSeconds: DURATION,
    warmupSeconds: 3,
    rounds: ROUNDS,
    next,
    label: 'floor',
    log,
  });
  const mb = c.hubPeakRss / 2 ** 20;
  const notes = c.failures || floor.failures ? `${c.failures + floor.failures} failed or non-2xx responses` : undefined;
  return [
    {
      id: 'B1',
      what: `integrations query, ${USERS} users × ${CONNECTIONS_PER_USER} connections, ${CONNECTIONS} connections × ${ROUNDS}×${DURATION} s`,
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
        'stack floor p99 ms': floor.p99,
        'stack floor CPU ms/req': floor.cpuMs,
      },
      target: 'ratio ≥ 0.5; p99 ≤ 25 ms',
      met: c.ratio >= 0.5 && c.p99 <= 25 && c.failures === 0,
      ...(notes ? { notes } : {}),
    },
    {
      id: 'B7',
      what: 'peak RSS of the hub during B1',
      measured: { 'peak RSS MB': mb, 'VmHWM MB': c.hubHwm / 2 ** 20 },
      target: '≤ 300 MB',
      met: mb <= 300,
    },
  ];
}
