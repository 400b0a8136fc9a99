import { rm } from 'node:fs/promises';
import { createPostgresDatabase } from '../server/src/test/databases.js';
import { startHubProcess } from '../server/src/test/hub-process.js';
import { median, type BenchResult } from './lib/report.js';

/**
 * B5: cold start, spawn → /readyz 200, for PostgreSQL, PGlite with an existing data dir, and
 * PGlite fresh. Median of several runs (this machine is noisy).
 */
const RUNS = 5;
const KEY = 'b'.repeat(64);

async function timeStart(env: Record<string, string>, dataDir?: string): Promise<{ ms: number; dataDir: string }> {
  const started = performance.now();
  const hub = await startHubProcess({ env: { ENCRYPTION_KEY: KEY, REFRESHER_ENABLED: 'false', ...env }, ...(dataDir ? { dataDir } : {}), timeoutMs: 60_000 });
  const ms = performance.now() - started;
  const dir = hub.dataDir;
  hub.child.kill('SIGTERM');
  await hub.exited;
  return { ms, dataDir: dir };
}

export async function benchColdStart(): Promise<BenchResult[]> {
  const pg = await createPostgresDatabase();
  const postgres: number[] = [];
  const pgliteExisting: number[] = [];
  const pgliteFresh: number[] = [];
  try {
    // The first PostgreSQL start applies migrations; time the starts after it.
    await timeStart({ DATABASE_URL: pg.url });
    for (let i = 0; i < RUNS; i++) postgres.push((await timeStart({ DATABASE_URL: pg.url })).ms);
    const fresh = await timeStart({});
    pgliteFresh.push(fresh.ms);
    for (let i = 0; i < RUNS; i++) pgliteExisting.push((await timeStart({}, fresh.dataDir)).ms);
    await rm(fresh.dataDir, { recursive: true, force: true });
    for (let i = 1; i < 3; i++) {
      const again = await timeStart({});
      pgliteFresh.push(again.ms);
      await rm(again.dataDir, { recursive: true, force: true });
    }
  } finally {
    await pg.drop();
  }
  const pgMs = median(postgres);
  const existingMs = median(pgliteExisting);
  return [
    { id: 'B5', what: 'cold start → /readyz 200, PostgreSQL', measured: { 'median ms': pgMs }, target: '≤ 1500 ms', met: pgMs <= 1500 },
    { id: 'B5', what: 'cold start → /readyz 200, PGlite existing data dir', measured: { 'median ms': existingMs }, target: '≤ 4000 ms', met: existingMs <= 4000 },
    { id: 'B5', what: 'cold start → /readyz 200, PGlite fresh data dir', measured: { 'median ms': median(pgliteFresh) }, target: 'reported', met: null },
  ];
}
