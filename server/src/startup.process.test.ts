import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from './test/databases.js';
import path from 'node:path';
import { REPO_ROOT, runHubExpectingExit, startHubProcess } from './test/hub-process.js';

/**
 * The built hub as a user runs it (`node dist/server/main.js`, what `npm start` runs after
 * building): start-up refusals, a fresh start on each database, restart, clean shutdown.
 */
describe('hub process start-up', () => {
  it('S26 NODE_ENV=production without ENCRYPTION_KEY exits non-zero naming the variable', async () => {
    const { code, output } = await runHubExpectingExit({ NODE_ENV: 'production' });
    expect(code).not.toBe(0);
    expect(output).toContain('ENCRYPTION_KEY: required when NODE_ENV=production');
    expect(output).not.toMatch(/hub listening/);
  });

  it('S26 NODE_ENV=production with a 63-character key exits non-zero naming the variable, not the value', async () => {
    const bad = 'f'.repeat(63);
    const { code, output } = await runHubExpectingExit({ NODE_ENV: 'production', ENCRYPTION_KEY: bad });
    expect(code).not.toBe(0);
    expect(output).toContain('ENCRYPTION_KEY: must be 64 hexadecimal characters');
    expect(output).not.toContain(bad);
  });

  it('F02 an unreachable DATABASE_URL exits non-zero naming DATABASE_URL with the password masked', async () => {
    const { code, output } = await runHubExpectingExit({
      ENCRYPTION_KEY: 'a'.repeat(64),
      DATABASE_URL: 'postgres://hub:sup3r-s3cret@127.0.0.1:9/hub',
    });
    expect(code).not.toBe(0);
    expect(output).toContain('Cannot reach the database at DATABASE_URL=postgres://hub:****@127.0.0.1:9/hub');
    expect(output).not.toContain('sup3r-s3cret');
  });

  it('lists every invalid variable in one message and exits before listening', async () => {
    const { code, output } = await runHubExpectingExit({ PORT: 'x', PUBLIC_URL: 'nope', LOG_LEVEL: 'loud' });
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration:');
    for (const name of ['PORT', 'PUBLIC_URL', 'LOG_LEVEL']) expect(output).toContain(`  - ${name}:`);
  });
});

async function signUpAndCheck(url: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($i: SignUpInput!) { signUp(input: $i) { email } }',
      variables: { i: { email: 'persist@example.com', password: 'persistent password' } },
    }),
  });
  expect(await res.json()).toEqual({ data: { signUp: { email: 'persist@example.com' } } });
}

async function signIn(url: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($i: SignInInput!) { signIn(input: $i) { email } }',
      variables: { i: { email: 'persist@example.com', password: 'persistent password' } },
    }),
  });
  return res.json();
}

describe('npm run dev', () => {
  it('the dev server entry (TypeScript through swc, with decorator metadata) starts and answers GraphQL', async () => {
    const hub = await startHubProcess({
      command: ['--import', '@swc-node/register/esm-register', path.join(REPO_ROOT, 'server/src/main.ts')],
      env: { NODE_ENV: 'development' },
    });
    try {
      const me = await fetch(`${hub.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      expect(await me.json()).toEqual({ data: { me: null } });
    } finally {
      expect(await hub.stop()).toBe(0);
    }
  });
});

describe.each(['pglite', 'postgresql'] as const)('a fresh hub on %s', (kind) => {
  let env: Record<string, string> = {};
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    // No ENCRYPTION_KEY and no NODE_ENV: exactly what `npm start` on a fresh machine sees.
    env = { NODE_ENV: '' };
    if (kind === 'postgresql') {
      const db = await createPostgresDatabase();
      drop = db.drop;
      env.DATABASE_URL = db.url;
    }
  });
  afterAll(async () => {
    await drop?.();
  });

  it('answers /readyz, serves the dashboard and GraphQL, survives a restart, and stops cleanly on SIGTERM', async () => {
    const first = await startHubProcess({ env });
    const ready = await fetch(`${first.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', databaseKind: kind, migrations: 'applied' });
    const page = await fetch(`${first.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toMatch(/<div id="root">/);
    const deepLink = await fetch(`${first.url}/integrations`, { headers: { accept: 'text/html' } });
    expect(deepLink.status).toBe(200);
    const me = await fetch(`${first.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(await me.json()).toEqual({ data: { me: null } });
    await signUpAndCheck(first.url);
    expect(first.logs()).toContain('ENCRYPTION_KEY is not set: generated a new key');

    // Keep the data directory (generated key, PGlite files) for the restart.
    const dataDir = first.dataDir;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.logs()).toContain('hub stopped');

    const second = await startHubProcess({ env, dataDir });
    try {
      expect(await signIn(second.url)).toEqual({ data: { signIn: { email: 'persist@example.com' } } });
      expect(second.logs()).not.toContain('generated a new key');
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
