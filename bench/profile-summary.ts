import { readFile } from 'node:fs/promises';

/**
 * Summarises a V8 .cpuprofile (from `--cpu-prof` on the hub child; set BENCH_CPU_PROF=<dir> when
 * running a benchmark): self time by function and by package, and inclusive time of hub code.
 * `node --import @swc-node/register/esm-register bench/profile-summary.ts <file.cpuprofile> [top]`
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}
const [file, topArg, lastArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary <file.cpuprofile> [top] [only the last N seconds]');
const top = Number(topArg ?? 30);
const profile = JSON.parse(await readFile(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
if (lastArg) {
  // Count only the samples of the last N seconds (the load window, when the hub ran last).
  const times: number[] = [];
  let t = 0;
  for (const d of profile.timeDeltas) times.push((t += d));
  const from = t - Number(lastArg) * 1e6;
  for (const n of profile.nodes) n.hitCount = 0;
  profile.samples.forEach((id, i) => {
    if (times[i]! >= from) byId.get(id)!.hitCount++;
  });
}
const total = profile.nodes.reduce((s, n) => s + n.hitCount, 0);
const pct = (n: number) => `${((100 * n) / total).toFixed(1)}%`;
const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.includes('/dist/server/')) return 'hub:' + url.split('/dist/server/')[1];
  if (url.startsWith('node:')) return url;
  return url || '(native/gc/idle)';
};
const selfByFn = new Map<string, number>();
const selfByPkg = new Map<string, number>();
for (const n of profile.nodes) {
  const key = `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  selfByFn.set(key, (selfByFn.get(key) ?? 0) + n.hitCount);
  const pkg = where(n.callFrame.url).split(':')[0] === 'hub' ? 'hub' : where(n.callFrame.url);
  selfByPkg.set(pkg, (selfByPkg.get(pkg) ?? 0) + n.hitCount);
}
// Inclusive time per function (each sample counted once per distinct function on its stack).
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
for (const n of profile.nodes) {
  if (!n.hitCount) continue;
  const seen = new Set<string>();
  for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'}  ${where(f.url)}:${f.lineNumber + 1}`;
    if (seen.has(key)) continue;
    seen.add(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + n.hitCount);
  }
}
const show = (title: string, m: Map<string, number>, n = top) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(v).padStart(6)}  ${k}`);
};
console.log(`samples: ${total}`);
show('self time by package', selfByPkg, 25);
show('self time by function', selfByFn);
show('inclusive time', inclusive, top * 2);
