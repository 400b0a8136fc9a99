import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateConsent } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { freePort } from '../../test/hub-process.js';
import { startTestHub, type TestHub } from '../../test/test-hub.js';
import { CONNECT, follow, outcomeOf, storedConnections } from '../../test/connect-flow.js';

const INTEGRATIONS = '{ integrations { provider configured sandbox requiresShop connected } }';

describe.each(TEST_DATABASE_KINDS)('connect without credentials on %s', (kind) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(kind, { BOX_CLIENT_ID: 'box-id' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('connectProvider names the variables to set, and audits the attempt', async () => {
    const c = t.client();
    const user = await c.signUp();
    const r = await c.gql(CONNECT, { provider: 'google' });
    expect(r.errors?.[0]).toMatchObject({
      message: 'Set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET to connect Google Drive',
      extensions: { code: 'PROVIDER_NOT_CONFIGURED', field: 'provider', variables: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'] },
    });
    const box = await c.gql(CONNECT, { provider: 'box' });
    expect(box.errors?.[0]?.message).toBe('Set BOX_CLIENT_SECRET to connect Box');
    const unknown = await c.gql(CONNECT, { provider: 'nope' });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'UNKNOWN_PROVIDER', field: 'provider' });
    expect(await t.sql('select id from oauth_pending_authorizations')).toEqual([]);
    expect(await t.sql(`select provider, outcome, reason from audit_events where user_id = ? and action = 'oauth.connect_start' order by created_at`, [user.id])).toEqual([
      { provider: 'google', outcome: 'failure', reason: 'not_configured' },
      { provider: 'box', outcome: 'failure', reason: 'not_configured' },
    ]);
  });

  it('integrations reports every provider as not configured', async () => {
    const c = t.client();
    await c.signUp();
    const r = await c.gql<{ integrations: Array<{ provider: string; configured: boolean; sandbox: boolean }> }>(INTEGRATIONS);
    expect(r.data!.integrations.map((i) => [i.provider, i.configured, i.sandbox])).toEqual(
      ['google', 'asana', 'dropbox', 'box', 'trello', 'shopify', 'zoho'].map((p) => [p, false, false]),
    );
  });

  it('S29 the initiate route answers 401 JSON without a session, 403 to a cross-site navigation, and errors as JSON', async () => {
    const anonymous = await t.client().request('/api/oauth/google/initiate');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first' } });
    const c = t.client();
    await c.signUp();
    const forged = await c.request('/api/oauth/google/initiate', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'Start a connection from the dashboard' } });
    const res = await c.request('/api/oauth/google/initiate', { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'PROVIDER_NOT_CONFIGURED', message: 'Set GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET to connect Google Drive' } });
  });

  it('the Connections migration creates exactly what the entities describe', async () => {
    const sql = await t.hub.services.db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(sql.split('\n').filter((line) => /connections|oauth_pending_authorizations/.test(line))).toEqual([]);
  });

  it('a callback for an unknown provider is a plain 404 page', async () => {
    const c = t.client();
    await c.signUp();
    const res = await c.request('/api/oauth/nope/callback?code=x&state=y');
    expect(res.status).toBe(404);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await res.text()).toContain('Unknown provider');
  });
});

describe.each(TEST_DATABASE_KINDS)('sandbox mode on %s', (kind) => {
  let t: TestHub;
  beforeAll(async () => {
    const port = await freePort();
    // Google has real credentials: it is not sent to the simulator.
    t = await startTestHub(kind, { SANDBOX: '1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, GOOGLE_CLIENT_ID: 'real-id', GOOGLE_CLIENT_SECRET: 'real-secret' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('points every built-in without credentials at the simulator mounted at /sandbox', async () => {
    const c = t.client();
    await c.signUp();
    const r = await c.gql<{ integrations: Array<{ provider: string; configured: boolean; sandbox: boolean }> }>(INTEGRATIONS);
    expect(r.data!.integrations.map((i) => [i.provider, i.configured, i.sandbox])).toEqual([
      ['google', true, false],
      ...['asana', 'dropbox', 'box', 'trello', 'shopify', 'zoho'].map((p) => [p, true, true]),
    ]);
    const res = await c.request('/api/oauth/box/initiate?returnTo=%2Fintegrations%3Ffrom%3Dsandbox');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${t.url}/sandbox/box/api/oauth2/authorize\\?`));
  });

  it.each([
    ['asana', {}, {}],
    ['dropbox', {}, {}],
    ['box', {}, {}],
    ['trello', {}, {}],
    ['shopify', { shop: 'sandbox-shop.myshopify.com' }, {}],
    ['zoho', {}, { dataCenter: 'com.au' }],
  ] as const)('%s connects end to end through the built-in simulator', async (provider, query, consent) => {
    const c = t.client();
    const user = await c.signUp();
    const initiate = await c.request(`/api/oauth/${provider}/initiate?${new URLSearchParams(query)}`);
    expect(initiate.status).toBe(302);
    const callbackUrl = await simulateConsent(initiate.headers.get('location')!, { login: 'sam@example.com', ...consent });
    expect(callbackUrl.startsWith(`${t.url}/api/oauth/${provider}/callback?`)).toBe(true);
    expect(outcomeOf(await follow(c, callbackUrl))).toEqual({ status: 'success', provider });
    const [stored] = await storedConnections(t, user.id);
    expect(t.hub.services.sandbox!.sim.isAccessTokenValid(provider, stored!.secrets.accessToken)).toBe(true);
    if (provider === 'zoho') expect(stored!.connection.metadata.accounts_server).toBe(`${t.url}/sandbox/zoho/com.au`);
  });
});
