import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type ProviderId, type RecordedRequest, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import type { TestClient } from '../../test/test-hub.js';
import { startFlowHub, type FlowHub } from '../../test/connect-flow.js';
import { ALL_PROVIDERS, auditOf, past, readConnection, seedConnection, simulatorAccountId, ZOHO_DC, type Seeded } from '../../test/token-lifecycle.js';

const DISCONNECT = 'mutation($id: ID!) { disconnect(connectionId: $id) { revoked revocationError } }';
const TEST = 'mutation($id: ID!) { testConnection(connectionId: $id) { ok accountId message } }';

/**
 * S22: each provider's revocation exactly as documented (docs/providers.md): method, path, where the
 * token goes and how the client authenticates.
 */
function expectDocumentedRevocation(provider: ProviderId, req: RecordedRequest, s: Seeded, refreshed?: string) {
  const body = req.body as Record<string, string> | undefined;
  switch (provider) {
    case 'google':
      expect([req.method, req.path, body, req.headers.authorization]).toEqual(['POST', '/google/revoke', { token: s.secrets.refreshToken }, undefined]);
      break;
    case 'asana':
      // The refresh token (an access token gets 400), with the client in the body.
      expect([req.method, req.path, body, req.headers.authorization]).toEqual([
        'POST',
        '/asana/-/oauth_revoke',
        { token: s.secrets.refreshToken, client_id: 'sandbox-asana-client', client_secret: 'sandbox-asana-secret' },
        undefined,
      ]);
      break;
    case 'dropbox':
      // Authenticated by a live access token, no body.
      expect([req.method, req.path, req.body, req.headers.authorization]).toEqual(['POST', '/dropbox/2/auth/token/revoke', undefined, `Bearer ${refreshed ?? s.secrets.accessToken}`]);
      break;
    case 'box':
      expect([req.method, req.path, body, req.headers.authorization]).toEqual([
        'POST',
        '/box/oauth2/revoke',
        { token: s.secrets.refreshToken, client_id: 'sandbox-box-client', client_secret: 'sandbox-box-secret' },
        undefined,
      ]);
      break;
    case 'trello':
      expect([req.method, req.path, req.query]).toEqual(['DELETE', `/trello/1/tokens/${s.secrets.accessToken}`, { key: 'sandbox-trello-client', token: s.secrets.accessToken }]);
      break;
    case 'shopify':
      // No revocation endpoint: uninstalling the app, authenticated by the shop's access token.
      expect([req.method, req.path, req.headers['x-shopify-access-token'], req.body]).toEqual([
        'DELETE',
        `/shopify/${s.shop}/admin/api_permissions/current.json`,
        refreshed ?? s.secrets.accessToken,
        undefined,
      ]);
      break;
    case 'zoho':
      // At the connection's own accounts server, the refresh token in the query.
      expect([req.method, req.path, req.query, req.body]).toEqual(['POST', `/zoho/${ZOHO_DC}/oauth/v2/token/revoke`, { token: s.secrets.refreshToken }, undefined]);
      break;
  }
}

describe.each(TEST_DATABASE_KINDS)('disconnect and test connection on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  let client: TestClient;
  let userId: string;
  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub(kind, sim, { env: { REFRESHER_ENABLED: '0' } });
    client = t.client();
    userId = (await client.signUp()).id;
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  beforeEach(() => {
    sim.sim.reset();
    t.hub.services.oauthHttp.timeoutMs = 10_000;
  });

  const disconnect = async (id: string, c: TestClient = client) => {
    const r = await c.gql<{ disconnect: { revoked: boolean; revocationError: string | null } }>(DISCONNECT, { id });
    return r;
  };
  const rows = async (id: string) => (await t.sql<{ n: number }>('select count(*)::int as n from connections where id = ?', [id]))[0]!.n;

  it.each(ALL_PROVIDERS)('S21 S22 %s: revoked at the provider in its documented form, the token is dead there, then the row is gone', async (provider) => {
    const s = await seedConnection(t, sim, provider, { userId });
    const r = await disconnect(s.id);
    expect(r.data).toEqual({ disconnect: { revoked: true, revocationError: null } });
    const revokes = sim.sim.requests(provider).filter((q) => q.endpoint === 'revoke');
    expect(revokes).toHaveLength(1);
    expectDocumentedRevocation(provider, revokes[0]!, s);
    expect(revokes[0]!.status).toBe(200);
    expect(sim.sim.isAccessTokenValid(provider, s.secrets.accessToken)).toBe(false);
    if (s.secrets.refreshToken) expect(sim.sim.isRefreshTokenValid(provider, s.secrets.refreshToken)).toBe(false);
    expect(await rows(s.id)).toBe(0);
    expect((await auditOf(t, userId, 'oauth.disconnect')).filter((e) => e.target_id === s.id)).toEqual([
      { action: 'oauth.disconnect', actor_type: 'user', outcome: 'success', reason: null, provider, target_id: s.id },
    ]);
  });

  it.each(ALL_PROVIDERS)('S21 %s: a 500 at revocation still deletes locally, reports revoked false and audits the failure', async (provider) => {
    const s = await seedConnection(t, sim, provider, { userId });
    sim.sim.setFault(provider, 'revoke', { kind: 'http500', times: 1 });
    const r = await disconnect(s.id);
    expect(r.data).toEqual({ disconnect: { revoked: false, revocationError: 'provider_unavailable' } });
    expect(sim.sim.count(provider, 'revoke')).toBe(1);
    expect(await rows(s.id)).toBe(0);
    expect((await auditOf(t, userId, 'oauth.disconnect')).filter((e) => e.target_id === s.id)).toEqual([
      { action: 'oauth.disconnect', actor_type: 'user', outcome: 'failure', reason: 'provider_unavailable', provider, target_id: s.id },
    ]);
  });

  it('S21 a revocation that times out still deletes locally with revocationError timeout', async () => {
    const s = await seedConnection(t, sim, 'box', { userId });
    t.hub.services.oauthHttp.timeoutMs = 300;
    sim.sim.setFault('box', 'revoke', { kind: 'slow', delayMs: 3_000, times: 1 });
    expect((await disconnect(s.id)).data).toEqual({ disconnect: { revoked: false, revocationError: 'timeout' } });
    expect(await rows(s.id)).toBe(0);
  });

  it('S21 "already invalid" counts as revoked (Google answers 400 for a token revoked elsewhere)', async () => {
    const s = await seedConnection(t, sim, 'google', { userId });
    const res = await fetch(`${sim.url}/google/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: s.secrets.refreshToken! }) });
    expect(res.status).toBe(200);
    expect((await disconnect(s.id)).data).toEqual({ disconnect: { revoked: true, revocationError: null } });
    expect(sim.sim.requests('google').filter((q) => q.endpoint === 'revoke').map((q) => q.status)).toEqual([200, 400]);
    expect(await rows(s.id)).toBe(0);
    expect((await auditOf(t, userId, 'oauth.disconnect')).filter((e) => e.target_id === s.id).map((e) => [e.outcome, e.reason])).toEqual([['success', 'already_invalid']]);
  });

  it.each(['dropbox', 'shopify'] as const)('S22 %s: an expired access token is refreshed first, and the live one authenticates the revocation', async (provider) => {
    const s = await seedConnection(t, sim, provider, { userId, expiresInSeconds: 1 });
    await new Promise((r) => setTimeout(r, 1_100));
    expect(sim.sim.isAccessTokenValid(provider, s.secrets.accessToken)).toBe(false);
    expect((await disconnect(s.id)).data).toEqual({ disconnect: { revoked: true, revocationError: null } });
    const [refresh, revoke] = sim.sim.requests(provider);
    expect(refresh!.endpoint).toBe('token_refresh');
    expect(revoke!.endpoint).toBe('revoke');
    const live = provider === 'dropbox' ? revoke!.headers.authorization!.replace('Bearer ', '') : revoke!.headers['x-shopify-access-token']!;
    expectDocumentedRevocation(provider, revoke!, s, live);
    expect(live).not.toBe(s.secrets.accessToken);
    expect(revoke!.status).toBe(200);
    expect(sim.sim.isAccessTokenValid(provider, live)).toBe(false);
    expect(await rows(s.id)).toBe(0);
  });

  it('S30 another user’s connection, a malformed id or no session: NOT_FOUND / UNAUTHENTICATED, nothing revoked or deleted', async () => {
    const s = await seedConnection(t, sim, 'box', { userId });
    const other = t.client();
    await other.signUp();
    for (const id of [s.id, 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      for (const op of [DISCONNECT, TEST]) {
        const r = await other.gql(op, { id });
        expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      }
    }
    for (const op of [DISCONNECT, TEST]) expect((await t.client().gql(op, { id: s.id })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(sim.sim.counters()).toEqual({});
    expect(await rows(s.id)).toBe(1);
  });

  it.each(ALL_PROVIDERS)('%s: testConnection calls the provider with the stored token and names the account', async (provider) => {
    const s = await seedConnection(t, sim, provider, { userId });
    const r = await client.gql<{ testConnection: { ok: boolean; accountId: string | null; message: string } }>(TEST, { id: s.id });
    expect(r.data?.testConnection).toMatchObject({ ok: true, accountId: simulatorAccountId(provider, s.login, s.shop) });
    if (provider === 'asana') {
      // Asana identifies the user in token responses only: a refresh is its live check.
      expect(sim.sim.count('asana', 'token_refresh')).toBe(1);
    } else {
      const [req] = sim.sim.requests(provider).filter((q) => q.endpoint === 'userinfo');
      expect(req!.status).toBe(200);
      if (provider === 'trello') expect(req!.headers.authorization).toMatch(/^OAuth .*oauth_signature="/);
      expect(sim.sim.count(provider, 'token_refresh')).toBe(0);
    }
    expect((await auditOf(t, userId, 'oauth.test')).filter((e) => e.target_id === s.id).map((e) => [e.outcome, e.reason])).toEqual([['success', null]]);
  });

  it('testConnection refreshes an expired token first, then reports a refused token and a failing provider without throwing', async () => {
    const s = await seedConnection(t, sim, 'box', { userId, expiresAt: past() });
    const ok = await client.gql<{ testConnection: { ok: boolean; message: string } }>(TEST, { id: s.id });
    expect(ok.data?.testConnection.ok).toBe(true);
    expect(sim.sim.requests('box').map((q) => q.endpoint)).toEqual(['token_refresh', 'userinfo']);

    const revoked = await seedConnection(t, sim, 'google', { userId });
    await fetch(`${sim.url}/google/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: revoked.secrets.accessToken }) });
    const refused = await client.gql<{ testConnection: { ok: boolean; accountId: string | null; message: string } }>(TEST, { id: revoked.id });
    expect(refused.data?.testConnection).toEqual({ ok: false, accountId: null, message: 'Google Drive refused the stored token (HTTP 401). Connect the account again if this persists.' });

    const down = await seedConnection(t, sim, 'zoho', { userId });
    sim.sim.setFault('zoho', 'userinfo', { kind: 'http500', times: 1 });
    const failing = await client.gql<{ testConnection: { ok: boolean; message: string } }>(TEST, { id: down.id });
    expect(failing.data?.testConnection).toMatchObject({ ok: false, message: 'Zoho CRM is having problems (HTTP 500); try again later.' });

    const reasons = (await auditOf(t, userId, 'oauth.test')).filter((e) => [s.id, revoked.id, down.id].includes(e.target_id!)).map((e) => [e.outcome, e.reason]);
    expect(reasons).toEqual([
      ['success', null],
      ['failure', 'token_rejected'],
      ['failure', 'provider_unavailable'],
    ]);
  });
});
