import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateConsent } from '../simulator/index.js';
import { connectProvider, follow, outcomeOf } from '../test/connect-flow.js';
import { startHubProcess, type HubProcess } from '../test/hub-process.js';
import { TestClient } from '../test/test-hub.js';

const MISMATCH = /PUBLIC_URL \(.*\) points at port \d+ of this machine but the hub listens on port \d+/;

/**
 * `SANDBOX=1 PORT=3907 npm start`, as a first-time user types it: no PUBLIC_URL, no HOST. The
 * built hub must send every Connect to its own simulator on its own port (the default PUBLIC_URL
 * follows PORT), not to localhost:3000.
 */
describe('a sandbox hub on a non-default port without PUBLIC_URL', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    // Empty values are unset for the configuration: the defaults (HOST 0.0.0.0, PUBLIC_URL from PORT) apply.
    hub = await startHubProcess({ env: { SANDBOX: '1', PUBLIC_URL: '', HOST: '' } });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('connects against its own simulator, and does not warn about PUBLIC_URL', async () => {
    expect(hub.port).not.toBe(3000);
    const client = new TestClient(hub.url);
    await client.signUp();
    const authorizationUrl = await connectProvider(client, 'google');
    expect(authorizationUrl.startsWith(`http://localhost:${hub.port}/sandbox/`)).toBe(true);
    const callbackUrl = await simulateConsent(authorizationUrl, { login: 'port@example.com' });
    expect(callbackUrl.startsWith(`http://localhost:${hub.port}/api/oauth/google/callback?`)).toBe(true);
    const res = await follow(client, callbackUrl);
    expect(outcomeOf(res)).toEqual({ status: 'success', provider: 'google' });
    expect(res.headers.get('location')!.startsWith(`http://localhost:${hub.port}/`)).toBe(true);
    const list = await client.gql<{ integrations: Array<{ provider: string; connected: boolean }> }>('{ integrations { provider connected } }');
    expect(list.data!.integrations.find((i) => i.provider === 'google')?.connected).toBe(true);
    expect(hub.logs()).not.toMatch(MISMATCH);
  });
});

describe('a sandbox hub whose PUBLIC_URL names another port of this machine', () => {
  let hub: HubProcess;
  beforeAll(async () => {
    hub = await startHubProcess({ env: { SANDBOX: '1', PUBLIC_URL: 'http://localhost:3000' } });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('says so at start-up', async () => {
    // The readiness probe can answer before the line is flushed from the child's pipe.
    for (let i = 0; i < 50 && !MISMATCH.test(hub.logs()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(hub.logs()).toMatch(
      new RegExp(`PUBLIC_URL \\(http://localhost:3000\\) points at port 3000 of this machine but the hub listens on port ${hub.port}`),
    );
  });
});
