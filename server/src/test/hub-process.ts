import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BUILT_ENTRY = path.join(REPO_ROOT, 'dist/server/main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface HubProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  logs(): string;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
  exited: Promise<number | null>;
}

/**
 * Runs the BUILT hub (`npm run build` first) as a child process, as a user would, on a free port
 * and (unless given) a fresh data directory; resolves once /readyz answers 200.
 */
export async function startHubProcess(
  opts: { env?: Record<string, string>; dataDir?: string; timeoutMs?: number; /** node arguments instead of the built entry */ command?: string[] } = {},
): Promise<HubProcess> {
  if (!opts.command && !existsSync(BUILT_ENTRY)) throw new Error(`${BUILT_ENTRY} is missing: run \`npm run build\` before this test`);
  const port = await freePort();
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'hub-proc-')));
  const output: string[] = [];
  // The dev entry resolves packages from the repo, so it runs there (and may read a .env).
  const child = spawn(process.execPath, opts.command ?? [BUILT_ENTRY], {
    cwd: opts.command ? REPO_ROOT : dataDir, // not the repo: a developer's .env there must not leak into tests
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 45_000);
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`hub exited with ${exitCode} before it was ready:\n${output.join('')}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hub was not ready within the deadline:\n${output.join('')}`);
    }
    const ok = await fetch(`${url}/readyz`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const ownsDataDir = !opts.dataDir;
  return {
    url,
    port,
    dataDir,
    child,
    exited,
    logs: () => output.join(''),
    kill: (signal = 'SIGKILL') => child.kill(signal),
    async stop() {
      if (exitCode === undefined) child.kill('SIGTERM');
      const code = await exited;
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Runs the built hub expecting it to exit (bad configuration); returns code and output. */
export async function runHubExpectingExit(env: Record<string, string>, timeoutMs = 30_000): Promise<{ code: number | null; output: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hub-exit-'));
  const child = spawn(process.execPath, [BUILT_ENTRY], {
    cwd: dataDir, // not the repo: a developer's .env there must not leak into tests
    env: { PATH: process.env.PATH ?? '', PORT: String(await freePort()), HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  await rm(dataDir, { recursive: true, force: true });
  return { code, output };
}
