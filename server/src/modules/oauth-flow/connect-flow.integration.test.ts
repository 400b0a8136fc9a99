import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, zohoApiDomain, type ProviderId, type RunningSimulator } from '../../simulator/index.js';
import { displayName, hexId, numericId } from '../../simulator/identity.js';
import { dropboxAccount } from '../../simulator/providers/dropbox.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { connectThrough, expectAbsentFromEveryTable, outcomeOf, startFlowHub, storedConnections, type FlowHub } from '../../test/connect-flow.js';

interface Expected {
  accountId: string;
  email: string | null;
  label: string;
  scopes: string[];
  metadata: Record<string, string>;
  tokenType: string;
  refresh: boolean;
  tokenSecret: boolean;
  expires: boolean;
}

const SHOP = 'acme-store.myshopify.com';

/** What each provider's connect must store for `login` (the simulator derives identities from it). */
const CASES: Array<{ provider: ProviderId; vars?: { shop?: string }; dataCenter?: string; expected: (login: string, sim: string) => Expected }> = [
  {
    provider: 'google',
    expected: (login) => ({
      accountId: numericId('google', login, 21),
      email: login,
      label: login, // no `profile` scope, so no name: the e-mail is the label
      scopes: ['openid', 'email', 'https://www.googleapis.com/auth/drive.file'],
      metadata: {},
      tokenType: 'bearer',
      refresh: true,
      tokenSecret: false,
      expires: true,
    }),
  },
  {
    provider: 'asana',
    expected: (login) => ({
      accountId: numericId('asana', login, 15),
      email: login,
      label: displayName(login),
      scopes: ['tasks:read', 'projects:read', 'users:read'],
      metadata: {},
      tokenType: 'bearer',
      refresh: true,
      tokenSecret: false,
      expires: true,
    }),
  },
  {
    provider: 'dropbox',
    expected: (login) => ({
      accountId: dropboxAccount(login).account_id,
      email: login,
      label: displayName(login),
      scopes: ['account_info.read', 'files.metadata.read', 'files.content.read'],
      metadata: { account_id: dropboxAccount(login).account_id },
      tokenType: 'bearer',
      refresh: true,
      tokenSecret: false,
      expires: true,
    }),
  },
  {
    provider: 'box',
    expected: (login) => ({
      accountId: numericId('box', login, 11),
      email: login,
      label: displayName(login),
      scopes: ['root_readonly'],
      metadata: {},
      tokenType: 'bearer',
      refresh: true,
      tokenSecret: false,
      expires: true,
    }),
  },
  {
    provider: 'trello',
    expected: (login) => ({
      accountId: hexId('trello', login, 24),
      email: null, // the minimal scope set has no `account`
      label: displayName(login),
      scopes: ['read'],
      metadata: {},
      tokenType: 'oauth1',
      refresh: false,
      tokenSecret: true,
      expires: false,
    }),
  },
  {
    provider: 'shopify',
    vars: { shop: SHOP },
    expected: (login) => ({
      accountId: SHOP,
      email: login,
      label: SHOP,
      scopes: ['read_products'],
      metadata: { shop: SHOP },
      tokenType: 'bearer',
      refresh: true,
      tokenSecret: false,
      expires: true,
    }),
  },
  {
    provider: 'zoho',
    dataCenter: 'eu',
    expected: (login, sim) => ({
      accountId: numericId('zoho', login, 9),
      email: login,
      label: displayName(login),
      scopes: ['ZohoCRM.modules.READ', 'AaaServer.profile.READ'],
      metadata: { accounts_server: `${sim}/zoho/eu`, api_domain: zohoApiDomain('eu') },
      tokenType: 'bearer',
      refresh: true,
      tokenSecret: false,
      expires: true,
    }),
  },
];

describe.each(TEST_DATABASE_KINDS)('connect flows against the provider simulator on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub(kind, sim);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  beforeEach(() => sim.sim.reset());

  it.each(CASES)('S15 S14 S32 $provider: connect → consent → callback stores the sealed tokens, identity, scopes, metadata and audit event', async ({ provider, vars, dataCenter, expected }) => {
    const client = t.client();
    const user = await client.signUp();
    const login = `jane.doe+${provider}@example.com`;
    const { response, authorizationUrl, callbackUrl } = await connectThrough(client, provider, { login, ...(dataCenter ? { dataCenter } : {}) }, vars);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('location')).toBe(`${t.url}/integrations?status=success&provider=${provider}`);

    const want = expected(login, sim.url);
    const [stored, ...others] = await storedConnections(t, user.id);
    expect(others).toEqual([]);
    const { connection: c, secrets } = stored!;
    expect({
      provider: c.provider,
      accountId: c.providerAccountId,
      email: c.accountEmail,
      label: c.accountLabel,
      status: c.status,
      scopes: c.scopes,
      metadata: c.metadata,
      tokenType: c.tokenType,
    }).toEqual({ provider, accountId: want.accountId, email: want.email, label: want.label, status: 'ACTIVE', scopes: want.scopes, metadata: want.metadata, tokenType: want.tokenType });
    expect(c.expiresAt !== null && c.expiresAt !== undefined).toBe(want.expires);
    // The stored tokens are the simulator's live ones, and exist in the database only as ciphertext.
    expect(sim.sim.isAccessTokenValid(provider, secrets.accessToken)).toBe(true);
    expect(secrets.refreshToken !== null).toBe(want.refresh);
    if (secrets.refreshToken) expect(sim.sim.isRefreshTokenValid(provider, secrets.refreshToken)).toBe(true);
    expect(secrets.tokenSecret !== null).toBe(want.tokenSecret);
    const [row] = await t.sql<{ access_token_enc: string; refresh_token_enc: string | null; token_secret_enc: string | null }>(
      'select access_token_enc, refresh_token_enc, token_secret_enc from connections where id = ?',
      [c.id],
    );
    for (const sealed of [row!.access_token_enc, row!.refresh_token_enc, row!.token_secret_enc].filter((v) => v !== null)) expect(sealed).toMatch(/^v1\./);
    const tokens = [secrets.accessToken, secrets.refreshToken, secrets.tokenSecret].filter((s): s is string => s !== null);
    await expectAbsentFromEveryTable(t, tokens);
    // S14: no token, code, verifier or client secret in the logs or in a URL built for the browser.
    const callback = new URL(callbackUrl).searchParams;
    const code = callback.get('code') ?? callback.get('oauth_verifier')!;
    const clientSecret = t.hub.services.providers.get(provider)!.credentials!.clientSecret;
    for (const secret of [...tokens, code, clientSecret]) {
      expect(t.logs()).not.toContain(secret);
      expect(authorizationUrl).not.toContain(secret);
      expect(response.headers.get('location')).not.toContain(secret);
    }

    const events = await t.sql<{ action: string; outcome: string; reason: string | null; provider: string; target_id: string | null }>(
      `select action, outcome, reason, provider, target_id from audit_events where user_id = ? and action like 'oauth.%' order by created_at`,
      [user.id],
    );
    expect(events).toEqual([
      { action: 'oauth.connect_start', outcome: 'success', reason: null, provider, target_id: null },
      { action: 'oauth.callback', outcome: 'success', reason: 'connected', provider, target_id: c.id },
    ]);
  });

  it.each(CASES)('$provider: reconnecting the same account updates its row; another account adds a row', async ({ provider, vars, dataCenter }) => {
    const client = t.client();
    const user = await client.signUp();
    const consent = (login: string) => ({ login, ...(dataCenter ? { dataCenter } : {}) });
    // Shopify's account is the shop: another account is another shop.
    const second = provider === 'shopify' ? { shop: 'second-store.myshopify.com' } : vars;
    expect(outcomeOf((await connectThrough(client, provider, consent('first@example.com'), vars)).response).status).toBe('success');
    const [first] = await storedConnections(t, user.id);

    expect(outcomeOf((await connectThrough(client, provider, consent('first@example.com'), vars)).response).status).toBe('success');
    const again = await storedConnections(t, user.id);
    expect(again).toHaveLength(1);
    expect(again[0]!.connection.id).toBe(first!.connection.id);
    expect(again[0]!.secrets.accessToken).not.toBe(first!.secrets.accessToken);
    expect(sim.sim.isAccessTokenValid(provider, again[0]!.secrets.accessToken)).toBe(true);

    expect(outcomeOf((await connectThrough(client, provider, consent('second@example.com'), second)).response).status).toBe('success');
    const both = await storedConnections(t, user.id);
    expect(both.map((s) => s.connection.id)).toContain(first!.connection.id);
    expect(new Set(both.map((s) => s.connection.providerAccountId)).size).toBe(2);
    const reasons = await t.sql<{ reason: string }>(`select reason from audit_events where user_id = ? and action = 'oauth.callback' order by created_at`, [user.id]);
    expect(reasons.map((r) => r.reason)).toEqual(['connected', 'reconnected', 'connected']);
  });

  it('integrations lists every catalog provider with only the caller’s connections', async () => {
    const a = t.client();
    await a.signUp();
    const b = t.client();
    await b.signUp();
    await connectThrough(a, 'google', { login: 'a@example.com' });
    await connectThrough(a, 'google', { login: 'a2@example.com' });
    await connectThrough(b, 'box', { login: 'b@example.com' });
    const query = `{ integrations { provider displayName description authMode configured sandbox requiresShop connected
      connections { id provider accountId accountEmail accountLabel status scopes connectedAt lastRefreshedAt expiresAt lastError } } }`;
    const r = await a.gql<{ integrations: Array<Record<string, any>> }>(query);
    expect(r.errors).toBeUndefined();
    const list = r.data!.integrations;
    expect(list.map((i) => i.provider)).toEqual(['google', 'asana', 'dropbox', 'box', 'trello', 'shopify', 'zoho']);
    expect(list.find((i) => i.provider === 'trello')).toMatchObject({ authMode: 'oauth1a', configured: true, sandbox: false, requiresShop: false, connected: false, connections: [] });
    expect(list.find((i) => i.provider === 'shopify')?.requiresShop).toBe(true);
    const google = list.find((i) => i.provider === 'google')!;
    expect(google).toMatchObject({ displayName: 'Google Drive', authMode: 'oauth2', connected: true });
    expect(google.connections.map((c: any) => c.accountEmail)).toEqual(['a@example.com', 'a2@example.com']);
    expect(google.connections[0]).toMatchObject({ provider: 'google', status: 'ACTIVE', lastRefreshedAt: null, lastError: null, accountId: numericId('google', 'a@example.com', 21) });
    expect(list.find((i) => i.provider === 'box')!.connections).toEqual([]);
  });
});
