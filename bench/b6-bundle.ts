import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO_ROOT } from '../server/src/test/hub-process.js';
import type { BenchResult } from './lib/report.js';

/**
 * B6: gzip bytes of the dashboard's first-load JavaScript: the scripts and module preloads that
 * dist/client/index.html references (GraphiQL is its own page and excluded by construction).
 */
export async function benchBundle(): Promise<BenchResult[]> {
  const clientDir = path.join(REPO_ROOT, 'dist/client');
  const html = await readFile(path.join(clientDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  if (refs.length === 0) throw new Error('dist/client/index.html references no script: run `npm run build` first');
  let bytes = 0;
  for (const ref of new Set(refs)) bytes += gzipSync(await readFile(path.join(clientDir, ref)), { level: 9 }).length;
  const all = (await readdir(path.join(clientDir, 'assets'))).filter((f) => f.endsWith('.js'));
  const kb = bytes / 1024;
  return [
    {
      id: 'B6',
      what: 'dashboard first-load JavaScript (gzip)',
      measured: { KB: kb, files: new Set(refs).size, 'all js assets': all.length },
      target: '≤ 150 KB',
      met: kb <= 150,
    },
  ];
}
