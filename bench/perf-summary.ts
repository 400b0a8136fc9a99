import { readFile } from 'node:fs/promises';

/**
 * Summarises `perf script` output of the hub (run with BENCH_HUB_NODE_ARGS=--perf-basic-prof and
 * recorded with `perf record -g -p <pid>`): every on-CPU sample is charged to the nearest
 * JavaScript frame on its stack, so V8 builtins, runtime calls and kernel work (a socket write)
 * count for the JS function that caused them; samples without one are GC or other native work.
 * Shares by package (node_modules/<pkg>, hub:<file>, node:<module>) and by function.
 *
 * Unlike `--cpu-prof` (wall-clock samples of the main thread), perf samples only time on a CPU,
 * so a thread preempted inside a system call on a busy machine is not charged for the wait.
 *
 * `node --import @swc-node/register/esm-register bench/perf-summary.ts <perf-script.txt> [top]`
 */
const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: perf-summary <perf script output> [top]');
const top = Number(topArg ?? 40);
const text = await readFile(file, 'utf8');

const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const packageOf = (frame: string): string => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame);
  if (pkg) return pkg[1]!;
  const hub = /\/dist\/server\/([^:]+)/.exec(frame);
  if (hub) return `hub:${hub[1]}`;
  return /(node:[^ :]+)/.exec(frame)?.[1] ?? '(other js)';
};

let total = 0;
for (const sample of text.split(/\n\s*\n/)) {
  const frames = sample.split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
  if (frames.length === 0) continue;
  total++;
  const js = frames.find((f) => f.includes(' JS:'));
  if (!js) {
    const gc = frames.slice(0, 10).some((f) => /Scaveng|GarbageCollect|Marking|Sweeper|MinorGC|MajorGC/.test(f));
    add(byPackage, gc ? '(gc)' : '(native, no js frame)');
    add(byFunction, gc ? '(gc)' : '(native, no js frame)');
    continue;
  }
  const name = js.replace(/^\S+\s+/, '').replace(/\+0x[0-9a-f]+ .*$/, '');
  add(byPackage, packageOf(name));
  add(byFunction, name);
}

const print = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, n] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`on-CPU samples: ${total}`);
print('by package (nearest JS frame)', byPackage);
print('by function (nearest JS frame)', byFunction);
