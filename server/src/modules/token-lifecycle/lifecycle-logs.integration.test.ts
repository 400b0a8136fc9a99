import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type ProviderId, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { connectThrough, outcomeOf, startFlowHub, storedConnections, type FlowHub } from '../../test/connect-flow.js';
import { ALL_PROVIDERS, SERVICE_TOKEN, setConnection, uniqueShop } from '../../test/token-lifecycle.js';

const DISCONNECT = 'mutation($id: ID!) { disconnect(connectionId: $id) { revoked revocationError } }';
const TEST = 'mutation($id: ID!) { testConnection(connectionId: $id) { ok } }';

describe.each(TEST_DATABASE_KINDS)('S14 the logs of a whole token lifecycle on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub(kind, sim, { env: { REFRESHER_ENABLED: '0', HUB_SERVICE_TOKEN: SERVICE_TOKEN } });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('S14 S32 connect → refresh → token fetch → test → disconnect: no token, code or secret in any log line; every step audited', async () => {
    const client = t.client();
    const user = await client.signUp();
    const secrets = new Set<string>([SERVICE_TOKEN]);
    const add = (...values: Array<string | null | undefined>) => values.forEach((v) => v && v.length >= 8 && secrets.add(v));

    for (const provider of ALL_PROVIDERS) {
      add(`sandbox-${provider}-secret`);
      const login = `lifecycle-logs-${provider}@example.com`;
      const { callbackUrl, response } = await connectThrough(client, provider, { login, ...(provider === 'zoho' ? { dataCenter: 'eu' } : {}) }, provider === 'shopify' ? { shop: uniqueShop() } : {});
      expect(outcomeOf(response).status).toBe('success');
      const callback = new URL(callbackUrl).searchParams;
      add(callback.get('code'), callback.get('oauth_verifier'), callback.get('oauth_token'));
      const connection = (await storedConnections(t, user.id)).find((s) => s.connection.provider === provider)!;
      add(connection.secrets.accessToken, connection.secrets.refreshToken, connection.secrets.tokenSecret);

      // Expired: the token fetch refreshes first (except Trello, which never refreshes).
      await setConnection(t, connection.connection.id, `expires_at = now() - interval '1 minute'`);
      if (provider === 'trello') await setConnection(t, connection.connection.id, 'expires_at = null');
      const res = await fetch(`${t.url}/api/credentials/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}` },
        body: JSON.stringify({ userId: user.id, provider: provider as ProviderId, connectionId: connection.connection.id }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { accessToken: string };
      add(body.accessToken);
      const refreshed = (await storedConnections(t, user.id)).find((s) => s.connection.provider === provider)!;
      add(refreshed.secrets.accessToken, refreshed.secrets.refreshToken);
      if (provider !== 'trello') expect(refreshed.secrets.accessToken).not.toBe(connection.secrets.accessToken);

      expect((await client.gql<{ testConnection: { ok: boolean } }>(TEST, { id: connection.connection.id })).data?.testConnection.ok).toBe(true);
      const asanaRefresh = (await storedConnections(t, user.id)).find((s) => s.connection.provider === provider)!;
      add(asanaRefresh.secrets.accessToken);
      expect((await client.gql(DISCONNECT, { id: connection.connection.id })).data).toEqual({ disconnect: { revoked: true, revocationError: null } });
    }

    expect(secrets.size).toBeGreaterThan(30);
    const logs = t.logs();
    expect(logs).toContain('access token read by a service');
    expect(logs).toContain('connection disconnected and revoked');
    for (const secret of secrets) expect(logs.includes(secret), 'a secret reached the logs').toBe(false);
    expect(logs.split('\n').filter((l) => /"level":(50|60)/.test(l))).toEqual([]);

    const actions = await t.sql<{ action: string; n: number }>(
      `select action, count(*)::int as n from audit_events where user_id = ? and action like 'oauth.%' group by action order by action`,
      [user.id],
    );
    expect(actions).toEqual([
      { action: 'oauth.callback', n: 7 },
      { action: 'oauth.connect_start', n: 7 },
      { action: 'oauth.disconnect', n: 7 },
      { action: 'oauth.test', n: 7 },
      { action: 'oauth.token_read', n: 7 },
    ]);
    // Nothing secret in the audit log either.
    const audit = JSON.stringify(await t.sql('select * from audit_events where user_id = ?', [user.id]));
    for (const secret of secrets) expect(audit.includes(secret)).toBe(false);
  });
});
