import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../server/src/test/hub-process.js';
import { benchIntegrations } from './b1-integrations.js';
import { benchToken } from './b2-token.js';
import { benchBackgroundRefresh } from './b3-background-refresh.js';
import { benchHerd } from './b4-herd.js';
import { benchColdStart } from './b5-cold-start.js';
import { benchBundle } from './b6-bundle.js';
import { benchAbuse } from './b10-abuse.js';
import { dropAllBenchDatabases } from './lib/database.js';
import { formatTable, type BenchResult } from './lib/report.js';
import { closeServingFixture } from './lib/serving-fixture.js';

/**
 * `npm run bench`: every benchmark, each measured beside its target (and, where it compares,
 * beside a bare baseline in the same run). Prints a table and writes bench/results.json.
 * `npm run bench -- B1 B5` runs only those. B7 (peak RSS) is measured during B1 and B2;
 * asking for B7 runs B1.
 */
const BENCHES: Record<string, () => Promise<BenchResult[]>> = {
  B1: benchIntegrations,
  B2: benchToken,
  B3: benchBackgroundRefresh,
  B4: benchHerd,
  B5: benchColdStart,
  B6: benchBundle,
  B7: benchIntegrations,
  B10: benchAbuse,
};

const wanted = process.argv.slice(2).filter((a) => /^B\d+$/.test(a));
const ids = wanted.length ? wanted : Object.keys(BENCHES);
for (const id of ids) if (!BENCHES[id]) throw new Error(`unknown benchmark ${id}; known: ${Object.keys(BENCHES).join(' ')}`);
const runs = [...new Set(ids.map((id) => BENCHES[id]!))];

let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  process.stderr.write('interrupted: dropping the benchmark databases…\n');
  void closeServingFixture()
    .finally(() => dropAllBenchDatabases())
    .finally(() => process.exit(130));
});

const results: BenchResult[] = [];
const started = performance.now();
try {
  for (const bench of runs) {
    const names = ids.filter((id) => BENCHES[id] === bench).join('/');
    process.stderr.write(`running ${names}…\n`);
    const t0 = performance.now();
    results.push(...(await bench()));
    process.stderr.write(`  ${names} took ${Math.round((performance.now() - t0) / 1000)} s\n`);
  }
} finally {
  if (!interrupted) {
    await closeServingFixture();
    await dropAllBenchDatabases();
  }
}
const machine = {
  cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
};
const table = formatTable(results);
console.log(table);
console.log(`\nmachine: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}; load average at the end ${machine.loadAverageAtEnd.join(' ')}; took ${Math.round((performance.now() - started) / 1000)} s`);
await writeFile(
  path.join(REPO_ROOT, 'bench/results.json'),
  JSON.stringify({ ranAt: new Date().toISOString(), machine, seconds: Math.round((performance.now() - started) / 1000), results }, null, 2) + '\n',
);
const missed = results.filter((r) => r.met === false);
process.exitCode = missed.length ? 1 : 0;
