import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from './config/env.js';
import { REPO_ROOT } from './test/hub-process.js';

/** Which compose CLI this machine has: the v2 plugin (`docker compose`) or Debian's `docker-compose`. */
function composeCommand(): string[] {
  if (spawnSync('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version']).status === 0) return ['docker-compose'];
  throw new Error('Neither `docker compose` nor `docker-compose` is installed (.ci/run installs docker-compose)');
}

describe('deployment files', () => {
  it('docker-compose.yml validates, with PostgreSQL and the hub wired by DATABASE_URL and a data volume', () => {
    const [cmd, ...args] = composeCommand();
    const result = spawnSync(cmd!, [...args, 'config'], { cwd: REPO_ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(result.stderr).not.toMatch(/invalid|error/i);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/DATABASE_URL: postgres:\/\/hub:hub@postgres:5432\/hub/);
    expect(result.stdout).toMatch(/hub-data:\/data|target: \/data/);
    expect(result.stdout).toMatch(/image: postgres:16-alpine/);
  });

  it('.env.example documents every variable the configuration reads, and each redirect URI', async () => {
    const example = await readFile(path.join(REPO_ROOT, '.env.example'), 'utf8');
    const names = [
      'NODE_ENV', 'PORT', 'HOST', 'PUBLIC_URL', 'DATABASE_URL', 'DATA_DIR', 'ENCRYPTION_KEY', 'ENCRYPTION_KEYS_PREVIOUS',
      'LOG_LEVEL', 'HUB_SERVICE_TOKEN', 'OAUTH_PROVIDERS_FILE', 'SANDBOX', 'TRUST_PROXY',
      ...PROVIDER_IDS.flatMap((id) => [`${id.toUpperCase()}_CLIENT_ID`, `${id.toUpperCase()}_CLIENT_SECRET`]),
      'ATOM_GDRIVE_CLIENT_ID', 'ATOM_GDRIVE_CLIENT_SECRET', 'DROPBOX_APP_KEY', 'DROPBOX_APP_SECRET',
    ];
    for (const name of names) expect(example, name).toMatch(new RegExp(`\\b${name}\\b`));
    for (const id of PROVIDER_IDS) expect(example).toContain(`http://localhost:3000/api/oauth/${id}/callback`);
    expect(example).toContain('openssl rand -hex 32');
  });

  it('S26 no master key is committed: .env is ignored and the example leaves ENCRYPTION_KEY empty', async () => {
    const ignore = await readFile(path.join(REPO_ROOT, '.gitignore'), 'utf8');
    expect(ignore.split('\n')).toEqual(expect.arrayContaining(['.env', 'data/', 'dist/']));
    const tracked = spawnSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.split('\n');
    expect(tracked.filter((f) => /(^|\/)(\.env|encryption\.key)$/.test(f))).toEqual([]);
    const example = await readFile(path.join(REPO_ROOT, '.env.example'), 'utf8');
    expect(example).not.toMatch(/^ENCRYPTION_KEY=\S/m);
  });

  it('every locked package runs on the oldest Node that package.json engines (and the README) promise', async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const oldest = semver.minVersion(pkg.engines.node);
    expect(oldest, `engines.node ${pkg.engines.node} has no minimum`).not.toBeNull();
    const lock = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
    };
    // npm warns (EBADENGINE) on install for each of these: the overrides in package.json keep the tree on Node 20.
    const excluding = Object.entries(lock.packages)
      .filter(([, entry]) => {
        const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
        return range !== undefined && !semver.satisfies(oldest!, range);
      })
      .map(([name, entry]) => `${name}@${entry.version ?? '?'} needs node ${(entry.engines as { node: string }).node}`);
    expect(excluding, `locked packages that exclude Node ${oldest!.version}`).toEqual([]);
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`Node.js ≥ ${oldest!.version}`);
  });
});
