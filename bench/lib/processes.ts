import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { BUILT_ENTRY, freePort, REPO_ROOT, startHubProcess, type HubProcess } from '../../server/src/test/hub-process.js';

/**
 * The processes a benchmark measures: the BUILT hub (as users run it) and the bare baseline
 * server, each a child process on 127.0.0.1, so their CPU and memory are their own.
 */

/**
 * The built hub as deployed (NODE_ENV=production, as the Dockerfile and docker-compose.yml set it:
 * graphql-js, for one, drops its development-only checks) with LOG_LEVEL=warn and the refresher
 * off unless `env` says otherwise.
 */
export async function startBenchHub(env: Record<string, string>, options: { cpuProfileDir?: string } = {}): Promise<HubProcess> {
  return startHubProcess({
    env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', REFRESHER_ENABLED: 'false', ...env },
    timeoutMs: 60_000,
    // --cpu-prof on the child when profiling (BENCH_CPU_PROF=dir); BENCH_HUB_NODE_ARGS adds node flags
    // (e.g. `--perf-basic-prof` for `perf record`).
    ...(options.cpuProfileDir || process.env.BENCH_HUB_NODE_ARGS
      ? {
          command: [
            ...(options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : []),
            ...(process.env.BENCH_HUB_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
            BUILT_ENTRY,
          ],
        }
      : {}),
  });
}

export interface BaselineProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * bench/baseline/server.ts (default): node:http + pg, the same SQL the hub needs, nothing else; or
 * another server of bench/baseline (stack-floor.ts), with the same env contract and /healthz.
 */
export async function startBaseline(env: Record<string, string>, script = 'server.ts'): Promise<BaselineProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', path.join(REPO_ROOT, 'bench/baseline', script)], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} was not ready in time:\n${output}`);
    }
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident memory of a process from /proc (Linux): current and peak ("high water mark"), in bytes. */
export async function readRss(pid: number): Promise<{ rss: number; hwm: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak seen and the kernel's VmHWM. */
export function sampleRss(pid: number, everyMs = 100): { stop(): Promise<{ peakRss: number; hwm: number; samples: number }> } {
  let peak = 0;
  let hwm = 0;
  let samples = 0;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    const m = await readRss(pid);
    busy = false;
    if (!m) return;
    samples++;
    peak = Math.max(peak, m.rss);
    hwm = Math.max(hwm, m.hwm);
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await tick();
      return { peakRss: peak, hwm, samples };
    },
  };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux, 100 ticks/s). */
export async function readCpuMs(pid: number): Promise<number> {
  const { user, system } = await readCpuSplitMs(pid);
  return user + system;
}

/** User and system (kernel) CPU time of a process so far, in ms. */
export async function readCpuSplitMs(pid: number): Promise<{ user: number; system: number }> {
  return cpuOfStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

/** utime and stime of a /proc/<pid>/stat line, in ms. */
function cpuOfStat(stat: string): { user: number; system: number } {
  // Fields after the command name (which may hold spaces) start at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime: fields 14 and 15 of the whole line, in ticks of 10 ms.
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

/** CPU ms so far of every PostgreSQL server process on this machine, by pid (Linux /proc). */
export async function readPostgresCpu(): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (!stat.includes(' (postgres) ')) continue;
    const { user, system } = cpuOfStat(stat);
    out.set(Number(entry), user + system);
  }
  return out;
}

/** CPU ms PostgreSQL used between two readings (processes that exited in between are not counted). */
export function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, cpu] of after) ms += cpu - (before.get(pid) ?? 0);
  return ms;
}
