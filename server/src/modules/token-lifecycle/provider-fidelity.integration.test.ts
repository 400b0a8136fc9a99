import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { simulatorEndpoints, startSimulator, type ProviderId, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { connectThrough, outcomeOf, startFlowHub, storedConnections, type FlowHub } from '../../test/connect-flow.js';
import type { TestClient } from '../../test/test-hub.js';
import { past, readConnection, seedConnection, setConnection, uniqueLogin, ZOHO_DC } from '../../test/token-lifecycle.js';
import { BackgroundRefresher } from './background-refresher.js';
import { getAccessToken } from './token-access.service.js';

/**
 * Issue 17, provider fidelity: what the real providers do (docs/providers.md), reproduced by the
 * simulator and met end to end through the hub — connect, token reads, the background refresher,
 * test connection and disconnect.
 */

const DISCONNECT = 'mutation($id: ID!) { disconnect(connectionId: $id) { revoked revocationError } }';
const TEST = 'mutation($id: ID!) { testConnection(connectionId: $id) { ok accountId message } }';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe.each(TEST_DATABASE_KINDS)('provider fidelity through the hub on %s', (kind) => {
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
  const token = (connectionId: string, provider: ProviderId) => getAccessToken(t.hub.services, { userId, provider, connectionId });
  /** Kills a grant at the simulator, as the user revoking the app at the provider would. */
  const revokeAtProvider = (provider: ProviderId, accessToken: string) => {
    const store = sim.sim.store(provider);
    const found = store.lookupAccess(accessToken);
    if (found.status === 'unknown') throw new Error('no such grant');
    store.revokeGrant(found.grant);
  };
  const zohoRefreshAtSimulator = (refreshToken: string) =>
    fetch(simulatorEndpoints(sim.url).zoho.forDataCenter(ZOHO_DC).tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'sandbox-zoho-client', client_secret: 'sandbox-zoho-secret' }),
    });

  it('S11 Zoho UK: a user of accounts.zoho.uk connects through the hub, and the token is refreshed at the UK accounts server', async () => {
    const login = uniqueLogin('zoho-uk');
    const { response } = await connectThrough(client, 'zoho', { login, dataCenter: 'uk' });
    expect(outcomeOf(response)).toMatchObject({ status: 'success', provider: 'zoho' });
    const stored = (await storedConnections(t, userId)).find((c) => c.connection.provider === 'zoho' && c.connection.metadata.accounts_server?.endsWith('/zoho/uk'))!;
    expect(stored).toBeDefined();
    expect(stored.connection.metadata).toEqual({ accounts_server: `${sim.url}/zoho/uk`, api_domain: 'https://www.zohoapis.uk' });

    await setConnection(t, stored.connection.id, 'expires_at = ?', [past()]);
    const got = await token(stored.connection.id, 'zoho');
    expect(got.accessToken).not.toBe(stored.secrets.accessToken);
    expect(sim.sim.isAccessTokenValid('zoho', got.accessToken)).toBe(true);
    const refreshes = sim.sim.requests('zoho').filter((r) => r.endpoint === 'token_refresh');
    expect(refreshes.map((r) => [r.path, r.status])).toEqual([['/zoho/uk/oauth/v2/token', 200]]);
    expect(got.metadata).toMatchObject({ accounts_server: `${sim.url}/zoho/uk`, api_domain: 'https://www.zohoapis.uk' });
  });

  it('S18 Zoho: a dead refresh token (HTTP 200 invalid_code) marks the connection NEEDS_REAUTH on a token read, never retried', async () => {
    const seeded = await seedConnection(t, sim, 'zoho', { userId, expiresAt: past() });
    revokeAtProvider('zoho', seeded.secrets.accessToken);
    expect(await rejection(token(seeded.id, 'zoho'))).toMatchObject({ code: 'NEEDS_REAUTH', status: 409 });
    const [refresh] = sim.sim.requests('zoho').filter((r) => r.endpoint === 'token_refresh');
    expect(refresh!.status).toBe(200);
    expect((await readConnection(t, seeded.id))!.connection).toMatchObject({ status: 'NEEDS_REAUTH', lastError: 'invalid_grant' });
    expect(await rejection(token(seeded.id, 'zoho'))).toMatchObject({ code: 'NEEDS_REAUTH' });
    expect(await new BackgroundRefresher(t.hub.services, { intervalMs: 60_000, batchSize: 10 }).runOnce()).toMatchObject({ refreshed: 0, failed: 0 });
    expect(sim.sim.count('zoho', 'token_refresh')).toBe(1);
  });

  it('S18 Zoho: the background refresher and test connection meet invalid_code as a dead grant too', async () => {
    const background = await seedConnection(t, sim, 'zoho', { userId, expiresAt: new Date(Date.now() + 60_000) });
    revokeAtProvider('zoho', background.secrets.accessToken);
    const pass = await new BackgroundRefresher(t.hub.services, { intervalMs: 60_000, batchSize: 100 }).runOnce();
    expect(pass.failed).toBeGreaterThanOrEqual(1);
    expect((await readConnection(t, background.id))!.connection).toMatchObject({ status: 'NEEDS_REAUTH', lastError: 'invalid_grant' });

    const tested = await seedConnection(t, sim, 'zoho', { userId, expiresAt: past() });
    revokeAtProvider('zoho', tested.secrets.accessToken);
    const r = await client.gql<{ testConnection: { ok: boolean; message: string } }>(TEST, { id: tested.id });
    expect(r.data?.testConnection).toMatchObject({ ok: false, message: expect.stringMatching(/connect the account again/) });
    expect((await readConnection(t, tested.id))!.connection).toMatchObject({ status: 'NEEDS_REAUTH', lastError: 'invalid_grant' });
  });

  it('F01 Zoho: throttling (HTTP 200 "Access Denied") is transient: tokens kept, backoff, and the refresh works once the window passed', async () => {
    const seeded = await seedConnection(t, sim, 'zoho', { userId, expiresAt: past() });
    // Ten access tokens from this refresh token within ten minutes: Zoho's limit.
    for (let i = 0; i < 10; i++) expect((await zohoRefreshAtSimulator(seeded.secrets.refreshToken!)).status).toBe(200);
    const started = Date.now();
    expect(await rejection(token(seeded.id, 'zoho'))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', extensions: { reason: 'provider_unavailable' } });
    const refreshes = sim.sim.requests('zoho').filter((r) => r.endpoint === 'token_refresh');
    expect(refreshes).toHaveLength(11);
    // The hub's refresh was the eleventh: Zoho refused it with HTTP 200.
    expect(refreshes[10]!.status).toBe(200);
    const failed = (await readConnection(t, seeded.id))!;
    expect(failed.secrets).toEqual(seeded.secrets);
    expect(failed.connection).toMatchObject({ status: 'ACTIVE', lastError: 'provider_unavailable', refreshFailures: 1 });
    expect(failed.connection.nextRefreshAt!.getTime()).toBeGreaterThanOrEqual(started + 15_000);

    sim.sim.advanceClock(601);
    await setConnection(t, seeded.id, `next_refresh_at = now() - interval '1 second'`);
    const got = await token(seeded.id, 'zoho');
    expect(sim.sim.isAccessTokenValid('zoho', got.accessToken)).toBe(true);
    expect((await readConnection(t, seeded.id))!.connection).toMatchObject({ status: 'ACTIVE', lastError: null, refreshFailures: 0 });
  });

  it.each(['google', 'dropbox', 'trello', 'zoho'] as const)(
    'S21 S22 %s: a disconnect of a connection already revoked at the provider counts as revoked (its "already invalid" answer)',
    async (provider) => {
      const seeded = await seedConnection(t, sim, provider, { userId });
      revokeAtProvider(provider, seeded.secrets.accessToken);
      const r = await client.gql<{ disconnect: { revoked: boolean; revocationError: string | null } }>(DISCONNECT, { id: seeded.id });
      expect(r.data?.disconnect).toEqual({ revoked: true, revocationError: null });
      const [revoke] = sim.sim.requests(provider).filter((q) => q.endpoint === 'revoke');
      const expected: Record<typeof provider, number> = { google: 400, dropbox: 401, trello: 401, zoho: 400 };
      expect(revoke!.status).toBe(expected[provider]);
      expect(await readConnection(t, seeded.id)).toBeNull();
    },
  );

  it('S21 Dropbox: an expired_access_token 401 is not "already invalid" (the grant may still live)', async () => {
    // Expired at Dropbox, not yet by the hub's clock: the hub presents it, Dropbox says expired_access_token.
    const seeded = await seedConnection(t, sim, 'dropbox', { userId, expiresInSeconds: 1, expiresAt: new Date(Date.now() + 3_600_000) });
    sim.sim.advanceClock(5);
    const r = await client.gql<{ disconnect: { revoked: boolean; revocationError: string | null } }>(DISCONNECT, { id: seeded.id });
    expect(r.data?.disconnect).toEqual({ revoked: false, revocationError: 'revocation_rejected' });
  });

  it('F01 429 with Retry-After (seconds): the next refresh is not tried before it, on demand or in the background', async () => {
    const seeded = await seedConnection(t, sim, 'google', { userId, expiresAt: past() });
    sim.sim.setFault('google', 'token_refresh', { kind: 'http429', times: 1, retryAfter: '1200' });
    const started = Date.now();
    expect(await rejection(token(seeded.id, 'google'))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', extensions: { reason: 'provider_unavailable' } });
    const c = (await readConnection(t, seeded.id))!.connection;
    expect(c).toMatchObject({ status: 'ACTIVE', lastError: 'provider_unavailable', refreshFailures: 1 });
    // The first backoff alone would be 15–30 s; Retry-After says 20 minutes.
    expect(c.nextRefreshAt!.getTime()).toBeGreaterThanOrEqual(started + 1_200_000);
    expect(c.nextRefreshAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1_200_000 + 1000);
    expect(await rejection(token(seeded.id, 'google'))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    await new BackgroundRefresher(t.hub.services, { intervalMs: 60_000, batchSize: 100 }).runOnce();
    expect(sim.sim.count('google', 'token_refresh')).toBe(1);
  });

  it('F01 429 with Retry-After (an HTTP date), capped at an hour', async () => {
    const seeded = await seedConnection(t, sim, 'box', { userId, expiresAt: past() });
    const inTenMinutes = new Date(Date.now() + 600_000).toUTCString();
    sim.sim.setFault('box', 'token_refresh', { kind: 'http429', times: 1, retryAfter: inTenMinutes });
    await rejection(token(seeded.id, 'box'));
    const first = (await readConnection(t, seeded.id))!.connection.nextRefreshAt!.getTime();
    expect(first).toBeGreaterThanOrEqual(Date.parse(inTenMinutes) - 1000);

    await setConnection(t, seeded.id, `next_refresh_at = now() - interval '1 second'`);
    sim.sim.setFault('box', 'token_refresh', { kind: 'http429', times: 1, retryAfter: '86400' });
    await rejection(token(seeded.id, 'box'));
    const capped = (await readConnection(t, seeded.id))!.connection.nextRefreshAt!.getTime();
    expect(capped).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1000);
    expect(capped).toBeGreaterThanOrEqual(Date.now() + 3_600_000 - 60_000);
  });

  it('F01 429 from revocation and identity endpoints: provider_unavailable, the disconnect still deletes', async () => {
    const tested = await seedConnection(t, sim, 'box', { userId });
    sim.sim.setFault('box', 'userinfo', { kind: 'http429', times: 1, retryAfter: '30' });
    const r = await client.gql<{ testConnection: { ok: boolean; message: string } }>(TEST, { id: tested.id });
    expect(r.data?.testConnection).toMatchObject({ ok: false, message: expect.stringMatching(/HTTP 429/) });

    sim.sim.setFault('box', 'revoke', { kind: 'http429', times: 1, retryAfter: '30' });
    const d = await client.gql<{ disconnect: { revoked: boolean; revocationError: string | null } }>(DISCONNECT, { id: tested.id });
    expect(d.data?.disconnect).toEqual({ revoked: false, revocationError: 'provider_unavailable' });
    expect(await readConnection(t, tested.id)).toBeNull();
  });

  it('S06 Google: the simulator sends iss like Google; the hub accepts the catalog’s issuer and refuses another', async () => {
    const good = await connectThrough(client, 'google', { login: uniqueLogin('iss') });
    expect(new URL(good.callbackUrl).searchParams.get('iss')).toBe('https://accounts.google.com');
    expect(outcomeOf(good.response).status).toBe('success');
  });
});
