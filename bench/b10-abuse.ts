import { randomBytes } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { MAX_FIELD_REPEATS, MAX_QUERY_FIELDS, MAX_QUERY_TOKENS } from '../server/src/graphql/limits.js';
import { createBenchDatabase } from './lib/database.js';
import { readCpuMs, startBenchHub } from './lib/processes.js';
import type { BenchResult } from './lib/report.js';

/**
 * B10: one anonymous client sends, in a loop, the most expensive GraphQL document the query
 * limits still accept (graphql/limits.ts). Each candidate below is first checked to be accepted
 * (200, no errors) and measured alone (hub CPU per request from /proc); the worst then runs in a
 * closed loop (one connection) while /healthz is probed every PROBE_EVERY_MS.
 * Targets: /healthz p99 ≤ 50 ms under that load, and ≤ 50 ms of hub CPU per request of the worst.
 */
const CANDIDATE_SECONDS = 3;
const PROBE_EVERY_MS = 20;
const log = (line: string) => process.stderr.write(`${line}\n`);

const REF = 'name kind ofType { name kind ofType { name kind ofType { name kind } } }';
const T2 = `name kind fields(includeDeprecated: true) { name isDeprecated type { ${REF} } args(includeDeprecated: true) { name defaultValue type { ${REF} } } } inputFields(includeDeprecated: true) { name defaultValue type { ${REF} } } interfaces { name } possibleTypes { name } enumValues(includeDeprecated: true) { name isDeprecated }`;
const T1 = `name kind description specifiedByURL isOneOf fields(includeDeprecated: true) { name description isDeprecated deprecationReason args(includeDeprecated: true) { name description defaultValue isDeprecated deprecationReason type { ...T2 } } type { ...T2 } } inputFields(includeDeprecated: true) { name description defaultValue isDeprecated deprecationReason type { ...T2 } } interfaces { ...T2 } possibleTypes { ...T2 } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }`;

const aliases = (n: number, field: string, prefix = 'a') => Array.from({ length: n }, (_, i) => `${prefix}${i}: ${field}`).join(' ');

/** Documents at the edges of the limits, each as large as they allow. */
const CANDIDATES: Array<{ name: string; body: { query: string; operationName?: string } }> = [
  { name: 'GraphiQL introspection', body: { query: getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }) } },
  {
    // Every introspection list each level allows (graphql-js's MaxIntrospectionDepthRule), ~360 fields.
    name: 'widest introspection',
    body: {
      query: `query Widest { __schema { description types { ...T1 } directives { name description isRepeatable locations args(includeDeprecated: true) { name description defaultValue type { ${REF} } } } } __type(name: "Integration") { ...T2 } }
fragment T1 on __Type { ${T1} }
fragment T2 on __Type { ${T2} }`,
    },
  },
  { name: `${MAX_QUERY_FIELDS} aliased __typename`, body: { query: `{ ${aliases(MAX_QUERY_FIELDS, '__typename')} }` } },
  { name: `${MAX_QUERY_FIELDS / 2} aliased me { id }`, body: { query: `{ ${aliases(MAX_QUERY_FIELDS / 2, 'me { id }')} }` } },
  {
    // Fields graphql-js compares pairwise (OverlappingFieldsCanBeMerged): as many copies as allowed.
    name: `${MAX_FIELD_REPEATS} inline-fragment copies of 49 fields`,
    body: { query: `{ ${Array.from({ length: MAX_FIELD_REPEATS }, () => `... on Query { ${aliases(24, 'me { id }', 'm')} a: __typename }`).join(' ')} }` },
  },
  {
    // Tokens at the cap: two directives on each field (17 tokens a field).
    name: `${MAX_QUERY_TOKENS} tokens of directives`,
    body: { query: `{ ${aliases(Math.floor((MAX_QUERY_TOKENS - 2) / 17), '__typename @include(if: true) @skip(if: false)')} }` },
  },
  {
    // Validation covers every operation of a document, execution one.
    name: 'many operations in one document',
    body: {
      query: Array.from({ length: Math.floor(MAX_QUERY_TOKENS / 125) }, (_, i) => `query Q${i} { ${aliases(40, '__typename')} }`).join('\n'),
      operationName: 'Q0',
    },
  },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export async function benchAbuse(): Promise<BenchResult[]> {
  const duration = Number(process.env.BENCH_DURATION ?? 15);
  const db = await createBenchDatabase();
  const hub = await startBenchHub({ DATABASE_URL: db.url, ENCRYPTION_KEY: randomBytes(32).toString('hex') });
  const pid = hub.child.pid!;
  const post = async (body: string) => {
    const res = await fetch(`${hub.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await res.text();
    return { status: res.status, text };
  };
  /** Sends `body` in a closed loop for `seconds`; hub CPU per request from /proc. */
  const loop = async (body: string, seconds: number, until?: { stop: boolean }) => {
    const latencies: number[] = [];
    const cpu0 = await readCpuMs(pid);
    const end = performance.now() + seconds * 1000;
    let failures = 0;
    while (performance.now() < end && !until?.stop) {
      const t0 = performance.now();
      const r = await post(body);
      latencies.push(performance.now() - t0);
      if (r.status !== 200) failures++;
    }
    const cpuMs = (await readCpuMs(pid)) - cpu0;
    latencies.sort((a, b) => a - b);
    return { requests: latencies.length, cpuPerRequest: cpuMs / latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
  };
  /** Probes /healthz every PROBE_EVERY_MS while `running()`; latencies sorted. */
  const probe = async (running: () => boolean) => {
    const ms: number[] = [];
    while (running()) {
      const t0 = performance.now();
      const res = await fetch(`${hub.url}/healthz`);
      await res.arrayBuffer();
      ms.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
    }
    return ms.sort((a, b) => a - b);
  };
  try {
    const measured: Array<{ name: string; body: string; cpuPerRequest: number; p50: number; bytes: number }> = [];
    for (const c of CANDIDATES) {
      const body = JSON.stringify(c.body);
      const first = await post(body);
      const ok = first.status === 200 && !(JSON.parse(first.text) as { errors?: unknown }).errors;
      if (!ok) {
        log(`  ${c.name}: REFUSED (${first.status} ${first.text.slice(0, 160)}) — not a candidate`);
        continue;
      }
      await loop(body, 1); // warm-up
      const r = await loop(body, CANDIDATE_SECONDS);
      measured.push({ name: c.name, body, cpuPerRequest: r.cpuPerRequest, p50: r.p50, bytes: first.text.length });
      log(`  ${c.name}: ${r.requests} requests, hub CPU ${r.cpuPerRequest.toFixed(2)} ms/request, p50 ${r.p50.toFixed(1)} ms, answer ${first.text.length} bytes`);
    }
    const worst = measured.reduce((a, b) => (b.cpuPerRequest > a.cpuPerRequest ? b : a));

    // /healthz alone, then beside the worst query's loop.
    let idleRunning = true;
    const idleProbe = probe(() => idleRunning);
    await new Promise((r) => setTimeout(r, 3_000));
    idleRunning = false;
    const idle = await idleProbe;

    const state = { stop: false };
    const loaded = probe(() => !state.stop);
    const load = await loop(worst.body, duration, state);
    state.stop = true;
    const health = await loaded;
    const healthP99 = percentile(health, 99);
    log(
      `  worst: ${worst.name}; under load ${load.requests} requests (${load.failures} not 200), hub CPU ${load.cpuPerRequest.toFixed(2)} ms/request (incl. the probes), p99 ${load.p99.toFixed(1)} ms; /healthz ${health.length} probes p50 ${percentile(health, 50).toFixed(1)} ms p99 ${healthP99.toFixed(1)} ms (idle p99 ${percentile(idle, 99).toFixed(1)} ms)`,
    );
    const met = healthP99 <= 50 && worst.cpuPerRequest <= 50 && load.failures === 0;
    return [
      {
        id: 'B10',
        what: `one anonymous client looping the worst document the GraphQL limits accept (${measured.length} candidates measured; worst: ${worst.name})`,
        measured: {
          'worst hub CPU ms/request': worst.cpuPerRequest,
          'its p50 ms': worst.p50,
          '/healthz p50 ms': percentile(health, 50),
          '/healthz p99 ms': healthP99,
          'idle /healthz p99 ms': percentile(idle, 99),
          'req/s of the worst': load.requests / duration,
        },
        target: '/healthz p99 ≤ 50 ms; ≤ 50 ms hub CPU per request',
        met,
        notes: measured.map((m) => `${m.name}: ${m.cpuPerRequest.toFixed(2)} ms CPU`).join('; '),
      },
    ];
  } finally {
    await hub.stop();
    await db.drop();
  }
}
