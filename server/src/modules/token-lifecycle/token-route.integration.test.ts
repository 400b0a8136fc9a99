import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type ProviderId, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { startTestHub } from '../../test/test-hub.js';
import { startFlowHub, type FlowHub } from '../../test/connect-flow.js';
import { ALL_PROVIDERS, auditOf, past, readConnection, seedConnection, SERVICE_TOKEN, setConnection, ZOHO_DC } from '../../test/token-lifecycle.js';

const ROUTE = '/api/credentials/token';

describe.each(TEST_DATABASE_KINDS)('POST /api/credentials/token on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  let userId: string;
  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub(kind, sim, { env: { REFRESHER_ENABLED: '0', HUB_SERVICE_TOKEN: SERVICE_TOKEN } });
    userId = (await t.client().signUp()).id;
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  beforeEach(() => sim.sim.reset());

  const post = (body: unknown, authorization: string | null = `Bearer ${SERVICE_TOKEN}`) =>
    fetch(`${t.url}${ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const error = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  it.each(ALL_PROVIDERS)('200 %s: the token, its type, expiry, scopes and the metadata a caller needs', async (provider) => {
    const s = await seedConnection(t, sim, provider, { userId });
    const res = await post({ userId, provider, connectionId: s.id });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    const expected: Record<ProviderId, Record<string, string>> = {
      google: {},
      asana: {},
      dropbox: { account_id: expect.stringMatching(/^dbid:/) as unknown as string },
      box: {},
      // Trello's REST API takes key + token; the OAuth 1.0a token secret is never given out.
      trello: { apiKey: 'sandbox-trello-client', token: s.secrets.accessToken },
      shopify: { shop: s.shop },
      zoho: { api_domain: 'https://www.zohoapis.eu', accounts_server: `${sim.url}/zoho/${ZOHO_DC}` },
    };
    expect(body).toEqual({
      connectionId: s.id,
      accessToken: s.secrets.accessToken,
      tokenType: provider === 'trello' ? 'oauth1' : 'bearer',
      expiresAt: provider === 'trello' ? null : expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      scopes: provider === 'trello' ? ['read'] : ['scope-a'],
      metadata: expected[provider],
    });
    if (s.secrets.tokenSecret) expect(JSON.stringify(body)).not.toContain(s.secrets.tokenSecret);
    expect(sim.sim.counters()).toEqual({});
    expect((await auditOf(t, userId, 'oauth.token_read')).filter((e) => e.target_id === s.id)).toEqual([
      { action: 'oauth.token_read', actor_type: 'service', outcome: 'success', reason: null, provider, target_id: s.id },
    ]);
  });

  it('200 refreshes an expired token first and answers with the new one', async () => {
    const s = await seedConnection(t, sim, 'box', { userId, expiresAt: past() });
    const res = await post({ userId, provider: 'box', connectionId: s.id });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { accessToken: string; expiresAt: string };
    expect(body.accessToken).not.toBe(s.secrets.accessToken);
    expect(sim.sim.isAccessTokenValid('box', body.accessToken)).toBe(true);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now() + 300_000);
    expect(sim.sim.count('box', 'token_refresh')).toBe(1);
  });

  it('S24 a token read opens only the access token: a refresh token that no longer decrypts matters only once a refresh needs it (409 UNREADABLE)', async () => {
    const s = await seedConnection(t, sim, 'google', { userId });
    // Another row's sealed value: bound to that row, so it does not open here.
    const other = await seedConnection(t, sim, 'google', { userId });
    await setConnection(t, s.id, 'refresh_token_enc = (select refresh_token_enc from connections where id = ?)', [other.id]);
    const fresh = await post({ userId, provider: 'google', connectionId: s.id });
    expect(fresh.status).toBe(200);
    expect(((await fresh.json()) as { accessToken: string }).accessToken).toBe(s.secrets.accessToken);
    await setConnection(t, s.id, 'expires_at = ?', [past()]);
    const expired = await post({ userId, provider: 'google', connectionId: s.id });
    expect(expired.status).toBe(409);
    expect(await error(expired)).toBe('UNREADABLE');
    expect(sim.sim.count('google', 'token_refresh')).toBe(0);
  });

  it('without connectionId: the newest ACTIVE connection of the provider; NEEDS_REAUTH when only such remain', async () => {
    const user = (await t.client().signUp()).id;
    const older = await seedConnection(t, sim, 'google', { userId: user });
    await new Promise((r) => setTimeout(r, 5));
    const newer = await seedConnection(t, sim, 'google', { userId: user });
    const pick = async () => ((await (await post({ userId: user, provider: 'google' })).json()) as { connectionId: string }).connectionId;
    expect(await pick()).toBe(newer.id);
    await setConnection(t, newer.id, `status = 'NEEDS_REAUTH'`);
    expect(await pick()).toBe(older.id);
    await setConnection(t, older.id, `status = 'NEEDS_REAUTH'`);
    const res = await post({ userId: user, provider: 'google' });
    expect([res.status, await error(res)]).toEqual([409, 'NEEDS_REAUTH']);
  });

  it('401 without or with a wrong service token; nothing is read or audited', async () => {
    const s = await seedConnection(t, sim, 'google', { userId });
    for (const auth of [null, 'Bearer wrong-token', `Basic ${SERVICE_TOKEN}`, `Bearer ${SERVICE_TOKEN}x`]) {
      const res = await post({ userId, provider: 'google', connectionId: s.id }, auth);
      expect([res.status, await error(res)]).toEqual([401, 'UNAUTHENTICATED']);
    }
    expect(await auditOf(t, userId, 'oauth.token_read')).not.toContainEqual(expect.objectContaining({ target_id: s.id }));
  });

  it('400 on a malformed body', async () => {
    for (const body of ['not json', [], { provider: 'google' }, { userId: 'x', provider: 'google' }, { userId, provider: 'Google!' }, { userId, provider: 'google', connectionId: 'nope' }]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('404 NOT_FOUND: no connection, another user’s, or one of another provider — audited as not_found', async () => {
    const userId = (await t.client().signUp()).id;
    const s = await seedConnection(t, sim, 'box', { userId });
    const other = (await t.client().signUp()).id;
    for (const body of [
      { userId, provider: 'dropbox' },
      { userId: other, provider: 'box', connectionId: s.id },
      { userId, provider: 'google', connectionId: s.id },
      { userId, provider: 'box', connectionId: randomUUID() },
      { userId, provider: 'unknown-provider' },
    ]) {
      const res = await post(body);
      expect([res.status, await error(res)], JSON.stringify(body)).toEqual([404, 'NOT_FOUND']);
    }
    const misses = (await auditOf(t, userId, 'oauth.token_read')).filter((e) => e.reason === 'not_found');
    expect(misses).toHaveLength(4); // the fifth names another user
    expect(sim.sim.counters()).toEqual({});
  });

  it('409 NEEDS_REAUTH for a connection the provider refused; no request to the provider', async () => {
    const s = await seedConnection(t, sim, 'google', { userId, expiresAt: past() });
    await setConnection(t, s.id, `status = 'NEEDS_REAUTH', last_error = 'invalid_grant'`);
    const res = await post({ userId, provider: 'google', connectionId: s.id });
    expect([res.status, await error(res)]).toEqual([409, 'NEEDS_REAUTH']);
    expect(sim.sim.counters()).toEqual({});
    expect((await auditOf(t, userId, 'oauth.token_read')).filter((e) => e.target_id === s.id).map((e) => [e.outcome, e.reason])).toEqual([['failure', 'needs_reauth']]);
  });

  it('409 NEEDS_REAUTH when the refresh answers invalid_grant (S18)', async () => {
    const s = await seedConnection(t, sim, 'zoho', { userId, expiresAt: past() });
    sim.sim.setFault('zoho', 'token_refresh', { kind: 'invalid_grant', times: 1 });
    const res = await post({ userId, provider: 'zoho', connectionId: s.id });
    expect([res.status, await error(res)]).toEqual([409, 'NEEDS_REAUTH']);
    expect((await readConnection(t, s.id))!.connection.status).toBe('NEEDS_REAUTH');
  });

  it('502 PROVIDER_UNAVAILABLE when the provider fails the refresh of an expired token (F01)', async () => {
    const s = await seedConnection(t, sim, 'shopify', { userId, expiresAt: past() });
    sim.sim.setFault('shopify', 'token_refresh', { kind: 'http500' });
    const res = await post({ userId, provider: 'shopify', connectionId: s.id });
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: { code: 'PROVIDER_UNAVAILABLE', message: 'The provider is not answering properly; the hub retries with backoff' } });
    expect((await auditOf(t, userId, 'oauth.token_read')).filter((e) => e.target_id === s.id).map((e) => [e.outcome, e.reason])).toEqual([['failure', 'provider_unavailable']]);
  });

  it('502 REFRESH_FAILED when the provider refuses the hub’s refresh request itself (invalid_client): tokens kept, no NEEDS_REAUTH', async () => {
    const s = await seedConnection(t, sim, 'box', { userId, expiresAt: past() });
    const credentials = t.hub.services.providers.get('box')!.credentials!;
    const secret = credentials.clientSecret;
    credentials.clientSecret = 'a-rotated-client-secret';
    try {
      const res = await post({ userId, provider: 'box', connectionId: s.id });
      expect(res.status).toBe(502);
      expect(await error(res)).toBe('REFRESH_FAILED');
    } finally {
      credentials.clientSecret = secret;
    }
    expect(sim.sim.requests('box').map((r) => [r.endpoint, r.status])).toEqual([['token_refresh', 401]]);
    const stored = (await readConnection(t, s.id))!;
    expect({ status: stored.connection.status, lastError: stored.connection.lastError, secrets: stored.secrets }).toEqual({
      status: 'ACTIVE',
      lastError: 'refresh_rejected',
      secrets: s.secrets,
    });
  });
});

describe('POST /api/credentials/token without HUB_SERVICE_TOKEN', () => {
  it('does not exist (404), whatever is sent', async () => {
    const t = await startTestHub('pglite', { REFRESHER_ENABLED: '0' });
    try {
      const res = await fetch(`${t.url}${ROUTE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}` },
        body: JSON.stringify({ userId: randomUUID(), provider: 'google' }),
      });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such route' } });
    } finally {
      await t.close();
    }
  });
});
