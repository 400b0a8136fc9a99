import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './test/hub-process.js';

/**
 * Test code stays out of the server build: tests (`*.test.ts`) and everything they share live
 * in `server/src/test/` or next to the code as `*.test.ts`, and server/tsconfig.build.json
 * leaves both out. A helper elsewhere (e.g. `modules/x/x-test-helpers.ts`), or product code
 * importing from `test/`, would put test code into `dist/` and the production image.
 */
const TEST_PATH = /(^|\/)test\/|\.test\.[cm]?[jt]sx?$|test-helpers?\.[cm]?[jt]sx?$/;
/** A test framework is test code wherever it is imported. */
const TEST_IMPORT = /\bfrom\s+['"](vitest|@vitest\/[^'"]+|fast-check)['"]|\bimport\s*\(\s*['"]vitest['"]\s*\)/;

const relative = (file: string, root: string) => path.relative(root, file).split(path.sep).join('/');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('build output', () => {
  it('the server build compiles no test code: no *.test.ts, nothing from server/src/test/, no test helpers, no test framework', async () => {
    const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', 'server/tsconfig.build.json', '--listFilesOnly'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const src = path.join(REPO_ROOT, 'server', 'src');
    const compiled = result.stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((file) => file.startsWith(src + path.sep) || file.startsWith(`${src}/`))
      .map((file) => relative(path.resolve(file), src));
    // The list is the real program: the entry points are in it.
    expect(compiled).toEqual(expect.arrayContaining(['main.ts', 'hub.ts', 'scripts/rotate-keys.ts']));
    expect(compiled.filter((file) => TEST_PATH.test(file))).toEqual([]);
    const importingTestFrameworks: string[] = [];
    for (const file of compiled) {
      if (TEST_IMPORT.test(await readFile(path.join(src, file), 'utf8'))) importingTestFrameworks.push(file);
    }
    expect(importingTestFrameworks).toEqual([]);
  });

  it('dist/server (as `npm run build:server` leaves it) holds no test file', async () => {
    const dist = path.join(REPO_ROOT, 'dist', 'server');
    expect(existsSync(path.join(dist, 'main.js')), 'dist/server/main.js is missing: run `npm run build:server` first').toBe(true);
    const files = (await filesUnder(dist)).map((file) => relative(file, dist));
    expect(files).toContain('scripts/rotate-keys.js'); // the Docker image runs it by this path
    // tsc never deletes output: a file listed here that the test above does not list is left
    // over from an older build (rm -rf dist/server and build again).
    expect(files.filter((file) => TEST_PATH.test(file))).toEqual([]);
  });
});
