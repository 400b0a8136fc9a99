import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/env.js';
import { simulateConsent, startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import type { TestClient } from '../../test/test-hub.js';
import { CONNECT, connectProvider, follow, outcomeOf, startFlowHub, type FlowHub } from '../../test/connect-flow.js';

const MAX = 10;
const SLOW = 120_000;

describe.each(TEST_DATABASE_KINDS)('S37 bounded pending state, S05 state ownership, on %s', (kind) => {
  let sim: RunningSimulator;
  let t: FlowHub;
  let client: TestClient;
  let userId: string;
  beforeAll(async () => {
    sim = await startSimulator();
    // The production bound (the test hub raises it for other tests).
    t = await startFlowHub(kind, sim, { env: { MAX_PENDING_AUTHORIZATIONS: String(MAX) } });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  beforeEach(async () => {
    sim.sim.reset();
    client = t.client();
    userId = (await client.signUp()).id;
  });

  const live = async (id = userId) =>
    (await t.sql<{ n: number }>('select count(*)::int as n from oauth_pending_authorizations where user_id = ? and consumed_at is null and expires_at > now()', [id]))[0]!.n;
  /** 40 connects at once, each its own HTTP request (one expensive mutation per request). */
  const parallelConnects = (provider: string) => Promise.all(Array.from({ length: 40 }, () => client.gql<{ connectProvider: { authorizationUrl: string } }>(CONNECT, { provider })));
  const codes = (results: Awaited<ReturnType<typeof parallelConnects>>) => {
    const out: Record<string, number> = {};
    for (const r of results) {
      const code = r.errors?.length ? String(r.errors[0]!.extensions?.code) : 'ok';
      out[code] = (out[code] ?? 0) + 1;
    }
    return out;
  };

  it('S37 abuse: 40 parallel connectProvider calls for one user leave at most 10 live pending authorizations, the rest RATE_LIMITED', async () => {
    const results = await parallelConnects('google');
    expect(codes(results)).toEqual({ ok: MAX, RATE_LIMITED: 40 - MAX });
    expect(await live()).toBe(MAX);
    const refused = results.find((r) => r.errors?.length)!;
    expect(refused.errors![0]!.message).toMatch(/^10 connects are already in progress; finish one or try again in \d+ minute\(s\)$/);
    expect(refused.errors![0]!.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // The refusals are audited; another user is not affected by this one's bound.
    const audited = await t.sql<{ n: number }>("select count(*)::int as n from audit_events where user_id = ? and reason = 'too_many_pending'", [userId]);
    expect(audited).toEqual([{ n: 40 - MAX }]);
    const other = t.client();
    await other.signUp();
    await expect(connectProvider(other, 'google')).resolves.toMatch(/^http/);
  }, SLOW);

  it('S37 abuse: 40 parallel Trello connects make at most 10 request-token calls to the provider', async () => {
    const results = await parallelConnects('trello');
    expect(codes(results)).toEqual({ ok: MAX, RATE_LIMITED: 40 - MAX });
    expect(sim.sim.count('trello', 'request_token')).toBe(MAX);
    expect(await live()).toBe(MAX);
    const stored = await t.sql<{ n: number }>('select count(*)::int as n from oauth_pending_authorizations where user_id = ? and request_token is not null', [userId]);
    expect(stored).toEqual([{ n: MAX }]);
  }, SLOW);

  it('S37 a used or expired pending authorization frees its slot; a failed request-token call gives its slot back', async () => {
    const urls: string[] = [];
    for (let i = 0; i < MAX; i++) urls.push(await connectProvider(client, 'google'));
    expect((await client.gql(CONNECT, { provider: 'google' })).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // Finishing one connect frees a slot.
    const callbackUrl = await simulateConsent(urls[0]!, { login: 'bounded@example.com' });
    expect(outcomeOf(await follow(client, callbackUrl)).status).toBe('success');
    await connectProvider(client, 'google');
    expect((await client.gql(CONNECT, { provider: 'google' })).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // So does one expiring.
    await t.sql(
      `update oauth_pending_authorizations set expires_at = now() - interval '1 second'
        where id = (select id from oauth_pending_authorizations where user_id = ? and consumed_at is null order by created_at limit 1)`,
      [userId],
    );
    await connectProvider(client, 'google');
    expect(await live()).toBe(MAX);

    // A request-token call that fails leaves no pending row behind.
    const fresh = t.client();
    const freshId = (await fresh.signUp()).id;
    sim.sim.setFault('trello', 'request_token', { kind: 'http500', times: 1 });
    expect((await fresh.gql(CONNECT, { provider: 'trello' })).errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    expect(await live(freshId)).toBe(0);
    await connectProvider(fresh, 'trello');
    expect(await live(freshId)).toBe(1);
  }, SLOW);

  it("S05 abuse: a state presented in another user's session is refused without burning it; its owner then completes", async () => {
    const authorizationUrl = await connectProvider(client, 'google');
    const callbackUrl = await simulateConsent(authorizationUrl, { login: 'owner@example.com' });
    const intruder = t.client();
    const intruderId = (await intruder.signUp()).id;
    const refused = await follow(intruder, callbackUrl);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('reason=invalid_state');
    expect(sim.sim.count('google', 'token_code')).toBe(0);
    const intruderRows = await t.sql<{ n: number }>('select count(*)::int as n from connections where user_id = ?', [intruderId]);
    expect(intruderRows).toEqual([{ n: 0 }]);
    // The owner's state survived: the owner completes with it, once.
    expect(outcomeOf(await follow(client, callbackUrl)).status).toBe('success');
    const ownerRows = await t.sql<{ n: number }>('select count(*)::int as n from connections where user_id = ?', [userId]);
    expect(ownerRows).toEqual([{ n: 1 }]);
    expect((await follow(client, callbackUrl)).status).toBe(400);
  }, SLOW);

  it('S37 the bound is 10 live pending authorizations per user unless MAX_PENDING_AUTHORIZATIONS says otherwise', () => {
    expect(parseConfig({}).maxPendingAuthorizations).toBe(10);
    expect(parseConfig({ MAX_PENDING_AUTHORIZATIONS: '3' }).maxPendingAuthorizations).toBe(3);
    expect(() => parseConfig({ MAX_PENDING_AUTHORIZATIONS: '0' })).toThrow(/MAX_PENDING_AUTHORIZATIONS/);
  });
});
