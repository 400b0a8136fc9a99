import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../server/src/test/hub-process.js';
import { benchColdStart } from './b5-cold-start.js';
import { benchBundle } from './b6-bundle.js';
import { formatTable, type BenchResult } from './lib/report.js';

/**
 * `npm run bench`: every benchmark, each measured beside its target (and, where it compares,
 * beside a bare baseline in the same run). Prints a table and writes bench/results.json.
 * `npm run bench -- B5 B6` runs only those.
 */
const BENCHES: Record<string, () => Promise<BenchResult[]>> = {
  B5: benchColdStart,
  B6: benchBundle,
};

const wanted = process.argv.slice(2).filter((a) => /^B\d+$/.test(a));
const ids = wanted.length ? wanted : Object.keys(BENCHES);
const results: BenchResult[] = [];
for (const id of ids) {
  const bench = BENCHES[id];
  if (!bench) throw new Error(`unknown benchmark ${id}; known: ${Object.keys(BENCHES).join(' ')}`);
  process.stderr.write(`running ${id}…\n`);
  results.push(...(await bench()));
}
const machine = {
  cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};
const table = formatTable(results);
console.log(table);
console.log(`\nmachine: ${machine.cpus}, ${machine.memoryGiB} GiB, Node ${machine.node}`);
await writeFile(path.join(REPO_ROOT, 'bench/results.json'), JSON.stringify({ ranAt: new Date().toISOString(), machine, results }, null, 2) + '\n');
const missed = results.filter((r) => r.met === false);
process.exitCode = missed.length ? 1 : 0;
