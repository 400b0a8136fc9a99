import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxOverrides } from '../../sandbox/sandbox.js';
import { simulateConsent, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { createPostgresDatabase } from '../../test/databases.js';
import { runHubExpectingExit, startHubProcess, type HubProcess } from '../../test/hub-process.js';
import { TestClient } from '../../test/test-hub.js';
import { connectProvider, follow, outcomeOf, writeProvidersFile } from '../../test/connect-flow.js';

/**
 * Built hubs as processes (`npm test` builds first). Pending authorizations live in the database,
 * so a connect started on one instance is finished by whichever instance the callback reaches.
 */
describe('F04 two hub processes on one PostgreSQL database', () => {
  let sim: RunningSimulator;
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let file: Awaited<ReturnType<typeof writeProvidersFile>>;
  let a: HubProcess;
  let b: HubProcess;
  beforeAll(async () => {
    sim = await startSimulator();
    db = await createPostgresDatabase();
    file = await writeProvidersFile(sandboxOverrides(sim.url));
    const env = { DATABASE_URL: db.url, ENCRYPTION_KEY: 'b'.repeat(64), OAUTH_PROVIDERS_FILE: file.path };
    a = await startHubProcess({ env });
    b = await startHubProcess({ env });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await sim?.close();
    await file?.remove();
    await db?.drop();
  });

  it.each(['google', 'trello'])('F04 a %s connect started on one instance completes on the other', async (provider) => {
    const onA = new TestClient(a.url);
    const user = await onA.signUp();
    const authorizationUrl = await connectProvider(onA, provider);
    const callbackUrl = await simulateConsent(authorizationUrl, { login: `f04-${provider}@example.com` });
    expect(callbackUrl.startsWith(`${a.url}/api/oauth/${provider}/callback?`)).toBe(true);

    // The same browser session, but the callback is served by instance B.
    const onB = new TestClient(b.url);
    onB.cookie = onA.cookie;
    const res = await follow(onB, callbackUrl.replace(a.url, b.url));
    expect(outcomeOf(res)).toEqual({ status: 'success', provider });

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query('select provider, account_email, access_token_enc from connections where user_id = $1', [user.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].access_token_enc).toMatch(/^v1\./);
    } finally {
      await client.end();
    }
    // And instance A sees it.
    const list = await onA.gql<{ integrations: Array<{ provider: string; connected: boolean }> }>('{ integrations { provider connected } }');
    expect(list.data!.integrations.find((i) => i.provider === provider)?.connected).toBe(true);
  });
});

describe('a bad OAUTH_PROVIDERS_FILE', () => {
  it('stops start-up with a message naming the entry and the key', async () => {
    const file = await writeProvidersFile({
      acme: { displayName: 'Acme', authorizationUrl: 'https://acme.example/auth', tokenUrl: 'http://acme.example/token', scopes: [], clientId: 'id', clientSecret: 'do-not-print-me' },
    });
    try {
      const { code, output } = await runHubExpectingExit({ ENCRYPTION_KEY: 'a'.repeat(64), OAUTH_PROVIDERS_FILE: file.path });
      expect(code).toBe(1);
      expect(output).toContain('OAUTH_PROVIDERS_FILE: providers.acme.tokenUrl: must be an https URL');
      expect(output).not.toContain('do-not-print-me');
      expect(output).not.toMatch(/hub listening/);
    } finally {
      await file.remove();
    }
  });
});
