import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { startTestHub, type TestClient, type TestHub } from '../../test/test-hub.js';

const TOKEN = `svc-${randomBytes(24).toString('hex')}`;
const CREATE = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { id lastUsedAt } }';
const LIST = '{ apiKeys { id lastUsedAt } }';
const EVENTS = '{ auditEvents { edges { node { action actorType outcome reason provider targetType targetId } } } }';
const ROUTE = '/api/credentials/api-key';

const plaintexts: string[] = [];
const newKey = () => {
  const k = `key-${randomBytes(20).toString('base64url')}`;
  plaintexts.push(k);
  return k;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(TEST_DATABASE_KINDS)('credentials route on %s', (kind) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(kind, { HUB_SERVICE_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    fetch(`${t.url}${ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const create = async (c: TestClient, service: string, name: string, key: string) => {
    const r = await c.gql<{ createApiKey: { id: string } }>(CREATE, { input: { service, name, key } });
    if (!r.data?.createApiKey) throw new Error(r.raw);
    return r.data.createApiKey.id;
  };

  it('answers 200 { key } with the named key or the newest for the service, marks it used and audits the read', async () => {
    const c = t.client();
    const user = await c.signUp();
    const older = newKey();
    const olderId = await create(c, 'openai', 'older', older);
    await sleep(5); // created_at has millisecond precision
    const newer = newKey();
    const newerId = await create(c, 'openai', 'newer', newer);
    await create(c, 'github', 'gh', newKey());

    const res = await post({ userId: user.id, service: 'openai' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ key: newer });
    const named = await post({ userId: user.id.toUpperCase(), service: 'openai', name: 'older' });
    expect(await named.json()).toEqual({ key: older });

    const keys = (await c.gql<{ apiKeys: Array<{ id: string; lastUsedAt: string | null }> }>(LIST)).data!.apiKeys;
    const used = Object.fromEntries(keys.map((k) => [k.id, k.lastUsedAt]));
    expect(Date.parse(used[newerId]!)).toBeGreaterThan(Date.now() - 60_000);
    expect(Date.parse(used[olderId]!)).toBeGreaterThan(Date.now() - 60_000);
    expect(Object.values(used).filter((v) => v === null)).toHaveLength(1); // the github key was never read

    const events = (await c.gql<{ auditEvents: { edges: Array<{ node: Record<string, unknown> }> } }>(EVENTS)).data!.auditEvents.edges.map((e) => e.node);
    expect(events.slice(0, 2)).toEqual([
      { action: 'api_key.read', actorType: 'SERVICE', outcome: 'SUCCESS', reason: null, provider: 'openai', targetType: 'api_key', targetId: olderId },
      { action: 'api_key.read', actorType: 'SERVICE', outcome: 'SUCCESS', reason: null, provider: 'openai', targetType: 'api_key', targetId: newerId },
    ]);
  });

  it('answers 404 NOT_FOUND when there is no such key (including another user’s), and audits the miss', async () => {
    const a = t.client();
    const userA = await a.signUp();
    await create(a, 'openai', 'mine', newKey());
    const b = t.client();
    const userB = await b.signUp();
    for (const body of [
      { userId: userB.id, service: 'openai' },
      { userId: userA.id, service: 'anthropic' },
      { userId: userA.id, service: 'openai', name: 'other' },
      { userId: '00000000-0000-4000-8000-000000000000', service: 'openai' },
    ]) {
      const res = await post(body);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'API key not found' } });
    }
    const misses = await t.sql<{ outcome: string; reason: string }>(
      "select outcome, reason from audit_events where user_id = ? and action = 'api_key.read'",
      [userB.id],
    );
    expect(misses).toEqual([{ outcome: 'failure', reason: 'not_found' }]);
  });

  it('S30 answers 401 UNAUTHENTICATED for a missing or wrong token, and a browser session is not a token', async () => {
    const c = t.client();
    const user = await c.signUp();
    await create(c, 'openai', 'k', newKey());
    const body = { userId: user.id, service: 'openai' };
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: TOKEN },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
      { authorization: 'Bearer ' },
    ];
    for (const headers of attempts) {
      const res = await post(body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'A valid service token is required' } });
    }
    // The user's own session cookie does not open the route either.
    const withCookie = await c.request(ROUTE, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(withCookie.status).toBe(401);
    expect((await post(body, { authorization: `bearer ${TOKEN}` })).status).toBe(200);
  });

  it('answers 400 for a bad body and 413 for an oversized one', async () => {
    const cases: Array<[unknown, number, string]> = [
      ['{not json', 400, 'BAD_REQUEST'],
      [[], 400, 'BAD_USER_INPUT'],
      [{}, 400, 'BAD_USER_INPUT'],
      [{ userId: 'not-a-uuid', service: 'openai' }, 400, 'BAD_USER_INPUT'],
      [{ userId: '00000000-0000-4000-8000-000000000000' }, 400, 'BAD_USER_INPUT'],
      [{ userId: '00000000-0000-4000-8000-000000000000', service: 'Open AI' }, 400, 'BAD_USER_INPUT'],
      [{ userId: '00000000-0000-4000-8000-000000000000', service: 'openai', name: '' }, 400, 'BAD_USER_INPUT'],
      [{ userId: '00000000-0000-4000-8000-000000000000', service: 'openai', name: 7 }, 400, 'BAD_USER_INPUT'],
      [{ userId: '00000000-0000-4000-8000-000000000000', service: 'openai', pad: 'x'.repeat(10_000) }, 413, 'PAYLOAD_TOO_LARGE'],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    const textBody = await fetch(`${t.url}${ROUTE}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body: 'hello' });
    expect(textBody.status).toBe(400);
  });

  it('S14 no log line contains a key or the service token', () => {
    const logs = t.logs();
    expect(logs).toContain('api key read by a service');
    for (const secret of [...plaintexts, TOKEN]) expect(logs).not.toContain(secret);
  });
});

describe.each(TEST_DATABASE_KINDS)('credentials route without HUB_SERVICE_TOKEN on %s', (kind) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('does not exist: 404 NOT_FOUND whatever the token', async () => {
    for (const authorization of [undefined, 'Bearer anything-at-all-0123456789abcdef0123', 'Bearer ']) {
      const res = await fetch(`${t.url}${ROUTE}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify({ userId: '00000000-0000-4000-8000-000000000000', service: 'openai' }),
      });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such route' } });
    }
  });
});
