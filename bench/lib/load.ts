import autocannon from 'autocannon';
import { postgresCpuBetween, readCpuSplitMs, readPostgresCpu, sampleRss } from './processes.js';

/**
 * One closed-loop load run with autocannon: `connections` keep-alive connections, each sending
 * the next request as soon as the previous answer arrived, for `durationSeconds`. Every request is
 * built by `next()` (autocannon's setupRequest), so a run rotates through many users.
 */
export interface LoadOptions {
  url: string;
  path: string;
  method: 'GET' | 'POST';
  connections: number;
  durationSeconds: number;
  next: () => { headers: Record<string, string>; body?: string };
  /** Sample this process's RSS during the run. */
  rssPid?: number;
  /** Measure this process's CPU time during the run (the server under test). */
  cpuPid?: number;
  /** Also measure the CPU time of this machine's PostgreSQL processes during the run. */
  postgresCpu?: boolean;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  maxMs: number;
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Bytes; present when rssPid was given. */
  peakRss?: number;
  hwm?: number;
  /** CPU ms the server (cpuPid) used per answered request: robust to a busy machine, unlike req/s. */
  cpuMsPerRequest?: number;
  /** The kernel's (system time's) share of that CPU time: syscalls, TCP on loopback. */
  systemShare?: number;
  /** CPU ms PostgreSQL (local server processes) used per answered request, when asked for and found. */
  postgresCpuMsPerRequest?: number;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const sampler = o.rssPid ? sampleRss(o.rssPid) : undefined;
  const cpuBefore = o.cpuPid ? await readCpuSplitMs(o.cpuPid) : undefined;
  const pgBefore = o.postgresCpu ? await readPostgresCpu() : undefined;
  const result = await autocannon({
    url: o.url,
    connections: o.connections,
    duration: o.durationSeconds,
    timeout: 10,
    requests: [
      {
        method: o.method,
        path: o.path,
        setupRequest: (req) => {
          const { headers, body } = o.next();
          return { ...req, headers: { ...req.headers, ...headers }, ...(body !== undefined ? { body } : {}) };
        },
      },
    ],
  });
  const rss = await sampler?.stop();
  const cpuAfter = o.cpuPid ? await readCpuSplitMs(o.cpuPid) : undefined;
  const pgAfter = pgBefore ? await readPostgresCpu() : undefined;
  const cpuMs = cpuBefore && cpuAfter ? cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system : undefined;
  const systemMs = cpuBefore && cpuAfter ? cpuAfter.system - cpuBefore.system : undefined;
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    maxMs: result.latency.max,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    ...(rss ? { peakRss: rss.peakRss, hwm: rss.hwm } : {}),
    ...(pgBefore && pgAfter && pgAfter.size > 0 && result.requests.total > 0
      ? { postgresCpuMsPerRequest: postgresCpuBetween(pgBefore, pgAfter) / result.requests.total }
      : {}),
    ...(cpuMs !== undefined && result.requests.total > 0 ? { cpuMsPerRequest: cpuMs / result.requests.total, systemShare: systemMs! / Math.max(cpuMs, 1) } : {}),
  };
}

/** Round-robin over `items`. */
export function rotate<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}
