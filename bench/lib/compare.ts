import { runLoad, type LoadOptions, type LoadResult } from './load.js';
import { median } from './report.js';

/**
 * The hub beside the baseline under the same load, in the same run: a short warm-up of each,
 * then `rounds` adjacent pairs in ABBA order (baseline, hub | hub, baseline | …) so a drift in the
 * machine's background load hits both alike. The ratio is the MEDIAN of the per-pair ratios
 * (hub req/s ÷ baseline req/s of the two runs measured back to back), which one disturbed run
 * cannot move much. CPU ms per request of each server (from /proc) is reported beside it: it
 * does not depend on how much CPU the rest of the machine leaves, so it shows the real cost gap.
 */
export interface Comparison {
  hub: LoadResult[];
  baseline: LoadResult[];
  /** Median of the per-pair ratios hub req/s ÷ baseline req/s. */
  ratio: number;
  /** Medians over the rounds. */
  hubRps: number;
  baselineRps: number;
  /** Median of the hub's rounds. */
  p50: number;
  p99: number;
  baselineP99: number;
  /** Peak RSS of the hub over all its rounds (bytes). */
  hubPeakRss: number;
  hubHwm: number;
  failures: number;
  /** Median CPU ms per request of each server (from /proc): what each request costs, whatever else the machine runs. */
  hubCpuMs: number;
  baselineCpuMs: number;
  /** Median CPU ms per request of the local PostgreSQL server during each one's runs (NaN when not found). */
  hubPostgresCpuMs: number;
  baselinePostgresCpuMs: number;
}

export interface CompareOptions extends Omit<LoadOptions, 'url' | 'rssPid' | 'durationSeconds'> {
  hubUrl: string;
  hubPid: number;
  baselineUrl: string;
  baselinePid: number;
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  log(line: string): void;
}

/** One progress line per measured run. */
function describeRound(label: string, r: number, x: LoadResult): string {
  return (
    `  ${label.padEnd(8)} round ${r + 1}: ${Math.round(x.rps)} req/s, p50 ${x.p50} ms, p99 ${x.p99} ms, ` +
    `CPU ${x.cpuMsPerRequest?.toFixed(3)} ms/req (${Math.round((x.systemShare ?? 0) * 100)} % kernel), ` +
    `PostgreSQL ${x.postgresCpuMsPerRequest?.toFixed(3) ?? 'n/a'} ms/req, errors ${x.errors + x.timeouts}, non-2xx ${x.non2xx}`
  );
}

export async function compareUnderLoad(o: CompareOptions): Promise<Comparison> {
  const { hubUrl, hubPid, baselineUrl, baselinePid, durationSeconds, warmupSeconds, rounds, log, ...load } = o;
  const run = (target: 'hub' | 'baseline', seconds: number) =>
    runLoad({
      ...load,
      url: target === 'hub' ? hubUrl : baselineUrl,
      durationSeconds: seconds,
      cpuPid: target === 'hub' ? hubPid : baselinePid,
      postgresCpu: true,
      ...(target === 'hub' ? { rssPid: hubPid } : {}),
    });
  await run('baseline', warmupSeconds);
  await run('hub', warmupSeconds);
  const hub: LoadResult[] = [];
  const baseline: LoadResult[] = [];
  for (let r = 0; r < rounds; r++) {
    const order: Array<'hub' | 'baseline'> = r % 2 === 0 ? ['baseline', 'hub'] : ['hub', 'baseline'];
    for (const target of order) {
      const result = await run(target, durationSeconds);
      (target === 'hub' ? hub : baseline).push(result);
      log(describeRound(target, r, result));
    }
  }
  return {
    hub,
    baseline,
    ratio: median(hub.map((h, i) => h.rps / baseline[i]!.rps)),
    hubRps: median(hub.map((x) => x.rps)),
    baselineRps: median(baseline.map((x) => x.rps)),
    p50: median(hub.map((x) => x.p50)),
    p99: median(hub.map((x) => x.p99)),
    baselineP99: median(baseline.map((x) => x.p99)),
    hubPeakRss: Math.max(...hub.map((x) => x.peakRss ?? 0)),
    hubHwm: Math.max(...hub.map((x) => x.hwm ?? 0)),
    failures: [...hub, ...baseline].reduce((s, x) => s + x.errors + x.timeouts + x.non2xx, 0),
    hubCpuMs: median(hub.map((x) => x.cpuMsPerRequest ?? NaN)),
    baselineCpuMs: median(baseline.map((x) => x.cpuMsPerRequest ?? NaN)),
    hubPostgresCpuMs: median(hub.map((x) => x.postgresCpuMsPerRequest ?? NaN)),
    baselinePostgresCpuMs: median(baseline.map((x) => x.postgresCpuMsPerRequest ?? NaN)),
  };
}

/** One server alone under the same load: the medians of `rounds` runs after a warm-up. */
export interface SoloResult {
  rps: number;
  p99: number;
  cpuMs: number;
  failures: number;
}

/**
 * The stack floor (baseline/stack-floor.ts) under the load the pairs ran, after them: the
 * frameworks alone, no database, so no PostgreSQL CPU to share the cores with.
 */
export async function measureAlone(
  o: Omit<LoadOptions, 'durationSeconds' | 'rssPid' | 'postgresCpu'> & { durationSeconds: number; warmupSeconds: number; rounds: number; label: string; log(line: string): void },
): Promise<SoloResult> {
  const { durationSeconds, warmupSeconds, rounds, label, log, ...load } = o;
  await runLoad({ ...load, durationSeconds: warmupSeconds });
  const runs: LoadResult[] = [];
  for (let r = 0; r < rounds; r++) {
    const run = await runLoad({ ...load, durationSeconds });
    runs.push(run);
    log(describeRound(label, r, run));
  }
  return {
    rps: median(runs.map((x) => x.rps)),
    p99: median(runs.map((x) => x.p99)),
    cpuMs: median(runs.map((x) => x.cpuMsPerRequest ?? NaN)),
    failures: runs.reduce((n, x) => n + x.errors + x.timeouts + x.non2xx, 0),
  };
}
