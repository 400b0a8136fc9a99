import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { startSimulator, type ProviderId, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { startFlowHub, type FlowHub } from '../../test/connect-flow.js';
import { BackgroundRefresher } from './background-refresher.js';
import { ALL_PROVIDERS, auditOf, past, readConnection, REFRESHABLE, seedConnection, setConnection, ZOHO_DC } from '../../test/token-lifecycle.js';
import { getAccessToken } from './token-access.service.js';

/** Where each provider's refresh must go (S19): Shopify to the connection's shop, Zoho to its accounts server. */
const TOKEN_PATH: Record<ProviderId, (shop: string) => string> = {
  google: () => '/google/token',
  asana: () => '/asana/-/oauth_token',
  dropbox: () => '/dropbox/oauth2/token',
  box: () => '/box/oauth2/token',
  trello: () => '',
  shopify: (shop) => `/shopify/${shop}/admin/oauth/access_token`,
  zoho: () => `/zoho/${ZOHO_DC}/oauth/v2/token`,
};
const ROTATES: ReadonlySet<ProviderId> = new Set(['box', 'shopify']);
const BASIC_AUTH: ReadonlySet<ProviderId> = new Set(['google', 'dropbox']);

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe.each(TEST_DATABASE_KINDS)('token refresh against the provider simulator on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  let userId: string;
  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub(kind, sim, { env: { REFRESHER_ENABLED: '0' } });
    userId = (await t.client().signUp()).id;
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

  it.each(REFRESHABLE)('S16 S19 %s: an expired token is refreshed once at the connection’s token URL and the new tokens are stored', async (provider) => {
    const seeded = await seedConnection(t, sim, provider, { userId, expiresAt: past() });
    const got = await token(seeded.id, provider);
    expect(got.accessToken).not.toBe(seeded.secrets.accessToken);
    expect(sim.sim.isAccessTokenValid(provider, got.accessToken)).toBe(true);
    expect(got.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3000 * 1000);

    const requests = sim.sim.requests(provider).filter((r) => r.endpoint === 'token_refresh');
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req!.method).toBe('POST');
    expect(req!.path).toBe(TOKEN_PATH[provider](seeded.shop));
    expect(req!.status).toBe(200);
    const body = req!.body as Record<string, string>;
    expect(body.grant_type).toBe('refresh_token');
    expect(body.refresh_token).toBe(seeded.secrets.refreshToken);
    if (BASIC_AUTH.has(provider)) {
      expect(req!.headers.authorization).toMatch(/^Basic /);
      expect(body.client_secret).toBeUndefined();
    } else {
      // Shopify (and Box, Asana, Zoho) take client_id and client_secret in the body.
      expect(body.client_id).toBe(`sandbox-${provider}-client`);
      expect(body.client_secret).toBe(`sandbox-${provider}-secret`);
      expect(req!.headers.authorization).toBeUndefined();
    }

    const stored = await readConnection(t, seeded.id);
    expect(stored!.secrets.accessToken).toBe(got.accessToken);
    if (ROTATES.has(provider)) {
      // S16: the rotated refresh token is stored; the old one is dead at the provider.
      expect(stored!.secrets.refreshToken).not.toBe(seeded.secrets.refreshToken);
      expect(sim.sim.isRefreshTokenValid(provider, stored!.secrets.refreshToken!)).toBe(true);
      expect(sim.sim.isRefreshTokenValid(provider, seeded.secrets.refreshToken!)).toBe(false);
    } else {
      // S16: no refresh token in the answer: the stored one is kept (and still works).
      expect(stored!.secrets.refreshToken).toBe(seeded.secrets.refreshToken);
      expect(sim.sim.isRefreshTokenValid(provider, seeded.secrets.refreshToken!)).toBe(true);
    }
    const c = stored!.connection;
    expect({ status: c.status, lastError: c.lastError, refreshFailures: c.refreshFailures, nextRefreshAt: c.nextRefreshAt }).toEqual({
      status: 'ACTIVE',
      lastError: null,
      refreshFailures: 0,
      nextRefreshAt: null,
    });
    expect(c.lastRefreshedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    if (provider === 'zoho') expect(c.metadata).toMatchObject({ accounts_server: `${sim.url}/zoho/${ZOHO_DC}`, api_domain: 'https://www.zohoapis.eu' });

    // Fresh now: the next read sends nothing.
    expect((await token(seeded.id, provider)).accessToken).toBe(got.accessToken);
    expect(sim.sim.count(provider, 'token_refresh')).toBe(1);
  });

  it.each([
    ['zoho', { accounts_server: 'https://accounts.zoho.evil.example' }],
    ['shopify', { shop: 'evil.example' }],
  ] as const)('S19 %s: a refresh token is never sent to a host outside the catalog’s (stored metadata tampered with)', async (provider, metadata) => {
    const seeded = await seedConnection(t, sim, provider, { userId, expiresAt: past() });
    await setConnection(t, seeded.id, 'metadata = metadata || ?::jsonb', [JSON.stringify(metadata)]);
    expect(await rejection(token(seeded.id, provider))).toMatchObject({ code: 'NEEDS_REAUTH' });
    expect(sim.sim.counters()).toEqual({});
    expect((await readConnection(t, seeded.id))!.connection).toMatchObject({ status: 'NEEDS_REAUTH', lastError: 'invalid_metadata' });
  });

  it('a token inside the margin is refreshed; one outside it is handed out as it is', async () => {
    const inside = await seedConnection(t, sim, 'google', { userId, expiresAt: new Date(Date.now() + 200_000) });
    const outside = await seedConnection(t, sim, 'google', { userId, expiresAt: new Date(Date.now() + 400_000) });
    expect((await token(outside.id, 'google')).accessToken).toBe(outside.secrets.accessToken);
    expect(sim.sim.count('google', 'token_refresh')).toBe(0);
    expect((await token(inside.id, 'google')).accessToken).not.toBe(inside.secrets.accessToken);
    expect(sim.sim.count('google', 'token_refresh')).toBe(1);
  });

  it('Trello and Shopify non-expiring tokens never refresh', async () => {
    const trello = await seedConnection(t, sim, 'trello', { userId });
    const shopify = await seedConnection(t, sim, 'shopify', { userId, expiresAt: null });
    expect((await token(trello.id, 'trello')).accessToken).toBe(trello.secrets.accessToken);
    expect((await token(shopify.id, 'shopify')).accessToken).toBe(shopify.secrets.accessToken);
    expect(sim.sim.counters()).toEqual({});
  });

  it.each(REFRESHABLE)('S18 %s: invalid_grant marks the connection NEEDS_REAUTH, audited, with no further refresh request', async (provider) => {
    const seeded = await seedConnection(t, sim, provider, { userId, expiresAt: past() });
    sim.sim.setFault(provider, 'token_refresh', { kind: 'invalid_grant' });
    expect(await rejection(token(seeded.id, provider))).toMatchObject({ code: 'NEEDS_REAUTH', status: 409 });
    const stored = await readConnection(t, seeded.id);
    expect({ status: stored!.connection.status, lastError: stored!.connection.lastError }).toEqual({ status: 'NEEDS_REAUTH', lastError: 'invalid_grant' });
    for (let i = 0; i < 3; i++) expect(await rejection(token(seeded.id, provider))).toMatchObject({ code: 'NEEDS_REAUTH' });
    // The background refresher does not pick it up either.
    expect(await new BackgroundRefresher(t.hub.services, { intervalMs: 60_000, batchSize: 10 }).runOnce()).toMatchObject({ refreshed: 0 });
    expect(sim.sim.count(provider, 'token_refresh')).toBe(1);
    const events = (await auditOf(t, userId, 'oauth.refresh')).filter((e) => e.target_id === seeded.id);
    expect(events).toEqual([{ action: 'oauth.refresh', actor_type: 'system', outcome: 'failure', reason: 'invalid_grant', provider, target_id: seeded.id }]);
  });

  const FAULTS = [
    { fault: { kind: 'http500' as const }, lastError: 'provider_unavailable' },
    { fault: { kind: 'slow' as const, delayMs: 3_000 }, lastError: 'timeout' },
    { fault: { kind: 'malformed' as const }, lastError: 'malformed_response' },
  ];
  const FAULT_CASES = REFRESHABLE.flatMap((provider) => FAULTS.map((f) => ({ provider, ...f })));

  it.each(FAULT_CASES)('F01 $provider $fault.kind: tokens kept, last_error $lastError, backoff, then a retry recovers', async ({ provider, fault, lastError }) => {
    t.hub.services.oauthHttp.timeoutMs = 400;
    const seeded = await seedConnection(t, sim, provider, { userId, expiresAt: past() });
    sim.sim.setFault(provider, 'token_refresh', { ...fault, times: 1 });
    const started = Date.now();
    expect(await rejection(token(seeded.id, provider))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', status: 502, extensions: { reason: lastError } });
    const failed = await readConnection(t, seeded.id);
    expect(failed!.secrets).toEqual(seeded.secrets);
    const c = failed!.connection;
    expect({ status: c.status, lastError: c.lastError, refreshFailures: c.refreshFailures }).toEqual({ status: 'ACTIVE', lastError, refreshFailures: 1 });
    expect(c.nextRefreshAt!.getTime()).toBeGreaterThanOrEqual(started + 15_000);
    expect(c.nextRefreshAt!.getTime()).toBeLessThanOrEqual(Date.now() + 30_000);
    // During the backoff nothing is sent.
    expect(await rejection(token(seeded.id, provider))).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', extensions: { reason: lastError } });
    expect(sim.sim.count(provider, 'token_refresh')).toBe(1);
    expect((await auditOf(t, userId, 'oauth.refresh')).filter((e) => e.target_id === seeded.id)).toEqual([
      { action: 'oauth.refresh', actor_type: 'system', outcome: 'failure', reason: lastError, provider, target_id: seeded.id },
    ]);

    // Backoff over: the retry works and clears the failure.
    await setConnection(t, seeded.id, `next_refresh_at = now() - interval '1 second'`);
    t.hub.services.oauthHttp.timeoutMs = 10_000;
    const got = await token(seeded.id, provider);
    expect(sim.sim.isAccessTokenValid(provider, got.accessToken)).toBe(true);
    const recovered = (await readConnection(t, seeded.id))!.connection;
    expect({ lastError: recovered.lastError, refreshFailures: recovered.refreshFailures, nextRefreshAt: recovered.nextRefreshAt }).toEqual({
      lastError: null,
      refreshFailures: 0,
      nextRefreshAt: null,
    });
    const events = (await auditOf(t, userId, 'oauth.refresh')).filter((e) => e.target_id === seeded.id);
    expect(events.map((e) => [e.outcome, e.reason])).toEqual([
      ['failure', lastError],
      ['success', 'recovered'],
    ]);
  });

  it('F01 while the provider fails, a token that has not expired yet is still handed out', async () => {
    const seeded = await seedConnection(t, sim, 'box', { userId, expiresAt: new Date(Date.now() + 60_000) });
    sim.sim.setFault('box', 'token_refresh', { kind: 'http500' });
    const got = await token(seeded.id, 'box');
    expect(got.accessToken).toBe(seeded.secrets.accessToken);
    expect((await readConnection(t, seeded.id))!.connection.lastError).toBe('provider_unavailable');
    // And again during the backoff, without a request.
    expect((await token(seeded.id, 'box')).accessToken).toBe(seeded.secrets.accessToken);
    expect(sim.sim.count('box', 'token_refresh')).toBe(1);
  });

  it('S17 200 concurrent requests for one expired Box token in one process: one refresh, one token for all', async () => {
    const seeded = await seedConnection(t, sim, 'box', { userId, expiresAt: past() });
    const settled = await Promise.allSettled(Array.from({ length: 200 }, () => token(seeded.id, 'box')));
    const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    const results = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(failures).toEqual([]);
    expect(sim.sim.count('box', 'token_refresh')).toBe(1);
    const tokens = new Set(results.map((r) => r.accessToken));
    expect(tokens.size).toBe(1);
    const [only] = tokens;
    expect(sim.sim.isAccessTokenValid('box', only!)).toBe(true);
    expect((await readConnection(t, seeded.id))!.secrets.accessToken).toBe(only);
    expect(t.hub.services.tokenRefresh.inFlight).toBe(0);
  });

  it('S17 a refresh that another caller finished meanwhile is not repeated (read again under the lock)', async () => {
    const seeded = await seedConnection(t, sim, 'box', { userId, expiresAt: past() });
    const first = await t.hub.services.tokenRefresh.refresh(seeded.id, { trigger: 'on_demand' });
    const second = await t.hub.services.tokenRefresh.refresh(seeded.id, { trigger: 'on_demand' });
    expect(first.kind).toBe('refreshed');
    expect(second).toMatchObject({ kind: 'skipped', reason: 'fresh' });
    expect(sim.sim.count('box', 'token_refresh')).toBe(1);
  });

  it('the background refresher refreshes what expires within the margin, skips the rest, and never touches NEEDS_REAUTH', async () => {
    await t.sql(`update connections set status = 'NEEDS_REAUTH'`);
    const due = await Promise.all(REFRESHABLE.map((p) => seedConnection(t, sim, p, { userId, expiresAt: new Date(Date.now() + 100_000) })));
    const fresh = await seedConnection(t, sim, 'google', { userId });
    const trello = await seedConnection(t, sim, 'trello', { userId });
    const dead = await seedConnection(t, sim, 'box', { userId, expiresAt: past() });
    await setConnection(t, dead.id, `status = 'NEEDS_REAUTH'`);
    const refresher = new BackgroundRefresher(t.hub.services, { intervalMs: 60_000, batchSize: 4 });
    const pass = await refresher.runOnce();
    expect(pass).toEqual({ claimed: REFRESHABLE.length, refreshed: REFRESHABLE.length, skipped: 0, failed: 0 });
    for (const p of REFRESHABLE) expect(sim.sim.count(p, 'token_refresh')).toBe(1);
    for (const s of due) expect((await readConnection(t, s.id))!.secrets.accessToken).not.toBe(s.secrets.accessToken);
    for (const s of [fresh, trello, dead]) expect((await readConnection(t, s.id))!.secrets.accessToken).toBe(s.secrets.accessToken);
    expect(await refresher.runOnce()).toEqual({ claimed: 0, refreshed: 0, skipped: 0, failed: 0 });
  });

  it('the background refresher stops cleanly: the refresh in progress completes, the rest of the batch is released', async () => {
    await t.sql(`update connections set status = 'NEEDS_REAUTH'`);
    const due = [];
    for (let i = 0; i < 3; i++) due.push(await seedConnection(t, sim, 'google', { userId, expiresAt: new Date(Date.now() + 60_000 + i * 1000) }));
    sim.sim.setFault('google', 'token_refresh', { kind: 'slow', delayMs: 500, times: 1 });
    const refresher = new BackgroundRefresher(t.hub.services, { intervalMs: 10, batchSize: 10, concurrency: 1 });
    refresher.start();
    while (sim.sim.count('google', 'token_refresh') === 0) await new Promise((r) => setTimeout(r, 10));
    await refresher.stop();
    expect(sim.sim.count('google', 'token_refresh')).toBe(1);
    // The soonest expiry went first.
    const [first, ...rest] = await Promise.all(due.map((d) => readConnection(t, d.id)));
    expect(first!.secrets.accessToken).not.toBe(due[0]!.secrets.accessToken);
    expect(first!.connection.nextRefreshAt).toBeNull();
    for (const [i, r] of rest.entries()) {
      expect(r!.secrets.accessToken).toBe(due[i + 1]!.secrets.accessToken);
      // Released: the next pass (of any instance) takes them at once.
      expect(r!.connection.nextRefreshAt).toBeNull();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.sim.count('google', 'token_refresh')).toBe(1);
  });

  it('every provider of the catalog is covered', () => {
    expect([...REFRESHABLE, 'trello'].sort()).toEqual([...ALL_PROVIDERS].sort());
  });
});
