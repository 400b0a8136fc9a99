import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { startTestHub, type GraphQLResult, type TestClient, type TestHub } from '../../test/test-hub.js';
import { API_KEY_MAX, API_KEY_NAME_MAX } from './api-key.service.js';

const FIELDS = 'id service name hint createdAt updatedAt lastUsedAt status';
const LIST = `{ apiKeys { ${FIELDS} } }`;
const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateApiKeyInput!) { updateApiKey(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = 'mutation($id: ID!) { deleteApiKey(id: $id) }';
const EVENTS = '{ auditEvents(first: 100) { edges { node { id action actorType outcome reason provider targetType targetId ip createdAt } } } }';
const SERVICE_TOKEN = 'service-token-for-tests-0123456789abcdef';

interface ApiKeyView {
  id: string;
  service: string;
  name: string;
  hint: string;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
  status: 'OK' | 'UNREADABLE';
}
interface EventView {
  id: string;
  action: string;
  actorType: string;
  outcome: string;
  reason: string | null;
  provider: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
}

/** A fresh plaintext key; every one made here is scanned for in the database, logs and responses. */
const plaintexts: string[] = [];
function newKey(prefix = 'sk-test-'): string {
  const key = `${prefix}${randomBytes(18).toString('base64url')}`;
  plaintexts.push(key);
  return key;
}

describe.each(TEST_DATABASE_KINDS)('API keys on %s', (kind) => {
  let t: TestHub;
  /** Every GraphQL response body of this file, for the S27 check. */
  const responses: string[] = [];
  const gql = async <T,>(c: TestClient, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> => {
    const r = await c.gql<T>(query, variables);
    responses.push(r.raw);
    return r;
  };
  const create = async (c: TestClient, input: { service: string; name: string; key: string }) => {
    const r = await gql<{ createApiKey: ApiKeyView }>(c, CREATE, { input });
    if (!r.data?.createApiKey) throw new Error(`createApiKey failed: ${r.raw}`);
    return r.data.createApiKey;
  };
  const list = async (c: TestClient) => (await gql<{ apiKeys: ApiKeyView[] }>(c, LIST)).data?.apiKeys ?? [];
  const events = async (c: TestClient) =>
    ((await gql<{ auditEvents: { edges: Array<{ node: EventView }> } }>(c, EVENTS)).data?.auditEvents.edges ?? []).map((e) => e.node);
  const readKey = (body: Record<string, unknown>) =>
    fetch(`${t.url}/api/credentials/api-key`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SERVICE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    t = await startTestHub(kind, { HUB_SERVICE_TOKEN: SERVICE_TOKEN });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates, lists, renames, rotates and deletes a key with exact results, returning only a hint', async () => {
    const c = t.client();
    const user = await c.signUp();
    const key = newKey();
    const created = await create(c, { service: 'openai', name: 'Production', key });
    expect(created).toMatchObject({ service: 'openai', name: 'Production', hint: key.slice(-4), lastUsedAt: null, status: 'OK' });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(created.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await list(c)).toEqual([created]);

    const stored = await t.sql<{ user_id: string; encrypted_key: string; hint: string }>('select user_id, encrypted_key, hint from user_api_keys where id = ?', [created.id]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.user_id).toBe(user.id);
    expect(stored[0]!.hint).toBe(key.slice(-4));
    expect(stored[0]!.encrypted_key).toMatch(/^v1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);

    const renamed = await gql<{ updateApiKey: ApiKeyView }>(c, UPDATE, { id: created.id, input: { name: '  Staging  ' } });
    expect(renamed.data?.updateApiKey).toMatchObject({ id: created.id, name: 'Staging', hint: key.slice(-4), status: 'OK' });
    const afterRename = await t.sql<{ encrypted_key: string }>('select encrypted_key from user_api_keys where id = ?', [created.id]);
    expect(afterRename[0]!.encrypted_key).toBe(stored[0]!.encrypted_key); // a rename leaves the sealed key alone

    const next = newKey();
    const rotated = await gql<{ updateApiKey: ApiKeyView }>(c, UPDATE, { id: created.id, input: { key: next } });
    expect(rotated.data?.updateApiKey).toMatchObject({ id: created.id, name: 'Staging', hint: next.slice(-4), status: 'OK' });
    const afterRotate = await t.sql<{ encrypted_key: string }>('select encrypted_key from user_api_keys where id = ?', [created.id]);
    expect(afterRotate[0]!.encrypted_key).not.toBe(stored[0]!.encrypted_key);
    // The service reads the new key, not the old one.
    expect(await (await readKey({ userId: user.id, service: 'openai' })).json()).toEqual({ key: next });

    expect((await gql(c, DELETE, { id: created.id })).data).toEqual({ deleteApiKey: true });
    expect(await list(c)).toEqual([]);
    expect(await t.sql('select id from user_api_keys where id = ?', [created.id])).toEqual([]);
  });

  it('S27 trims surrounding whitespace from a pasted key, and a short key gets a shorter hint', async () => {
    const c = t.client();
    await c.signUp();
    const key = newKey();
    const padded = await create(c, { service: 'stripe', name: 'pasted', key: `  ${key}\n` });
    expect(padded.hint).toBe(key.slice(-4));
    const short = await create(c, { service: 'stripe', name: 'short', key: 'abcdefgh' }); // never reveal more than a quarter
    expect(short.hint).toBe('gh');
  });

  it('rejects bad input with BAD_USER_INPUT and the field, and stores nothing', async () => {
    const c = t.client();
    await c.signUp();
    const ok = { service: 'openai', name: 'n', key: newKey() };
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...ok, service: '' }, 'service'],
      [{ ...ok, service: 'OpenAI' }, 'service'],
      [{ ...ok, service: '-openai' }, 'service'],
      [{ ...ok, service: 'open ai' }, 'service'],
      [{ ...ok, service: 'a'.repeat(101) }, 'service'],
      [{ ...ok, name: '' }, 'name'],
      [{ ...ok, name: '   ' }, 'name'],
      [{ ...ok, name: 'x'.repeat(API_KEY_NAME_MAX + 1) }, 'name'],
      [{ ...ok, name: 'tab\there' }, 'name'],
      [{ ...ok, key: '' }, 'key'],
      [{ ...ok, key: ' \n ' }, 'key'],
      [{ ...ok, key: 'k'.repeat(API_KEY_MAX + 1) }, 'key'],
      [{ ...ok, key: 'has\u0000nul' }, 'key'],
    ];
    for (const [input, field] of cases) {
      const r = await gql(c, CREATE, { input });
      expect(r.errors?.[0]?.extensions, JSON.stringify(input).slice(0, 80)).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(r.data).toBeNull();
    }
    // The limits themselves are accepted.
    const longest = await create(c, { service: `a${'b'.repeat(99)}`, name: 'x'.repeat(API_KEY_NAME_MAX), key: 'k'.repeat(API_KEY_MAX) });
    expect(longest.status).toBe('OK');
    expect(await list(c)).toHaveLength(1);

    const upd = await gql(c, UPDATE, { id: longest.id, input: { name: '' } });
    expect(upd.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const updKey = await gql(c, UPDATE, { id: longest.id, input: { key: ' ' } });
    expect(updKey.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'key' });
    const nothing = await gql(c, UPDATE, { id: longest.id, input: {} });
    expect(nothing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });

  it('a duplicate (service, name) is CONFLICT on create and on rename; the same name under another service or user is fine', async () => {
    const c = t.client();
    await c.signUp();
    const first = await create(c, { service: 'openai', name: 'main', key: newKey() });
    const dup = await gql(c, CREATE, { input: { service: 'openai', name: 'main', key: newKey() } });
    expect(dup.errors?.[0]).toMatchObject({
      message: 'You already have an API key with this name for this service',
      extensions: { code: 'CONFLICT', field: 'name' },
    });
    await create(c, { service: 'anthropic', name: 'main', key: newKey() });
    const second = await create(c, { service: 'openai', name: 'backup', key: newKey() });
    const clash = await gql(c, UPDATE, { id: second.id, input: { name: 'main' } });
    expect(clash.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'name' });
    const other = t.client();
    await other.signUp();
    await create(other, { service: 'openai', name: 'main', key: newKey() });
    expect((await list(c)).map((k) => `${k.service}/${k.name}`)).toEqual(['anthropic/main', 'openai/backup', 'openai/main']);
    expect((await list(c)).find((k) => k.id === first.id)?.name).toBe('main');
  });

  it('S30 user B gets NOT_FOUND or nothing for every operation on user A keys, identical to a missing id', async () => {
    const a = t.client();
    const userA = await a.signUp();
    const keyA = newKey();
    const created = await create(a, { service: 'openai', name: 'A key', key: keyA });
    const b = t.client();
    await b.signUp();

    expect(await list(b)).toEqual([]);
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const id of [created.id, missing, 'not-a-uuid', created.id.toUpperCase()]) {
      const upd = await gql(b, UPDATE, { id, input: { name: 'stolen', key: newKey() } });
      const del = await gql(b, DELETE, { id });
      for (const r of [upd, del]) {
        expect(r.errors).toHaveLength(1);
        expect(r.errors?.[0]).toMatchObject({ message: 'API key not found', extensions: { code: 'NOT_FOUND' } });
        expect(r.data).toBeNull();
      }
    }
    // B's audit log holds only B's own events; A's key is untouched.
    const bEvents = await events(b);
    expect(bEvents.map((e) => e.action)).toEqual(['auth.sign_up']);
    expect(bEvents.some((e) => e.targetId === created.id)).toBe(false);
    expect(await list(a)).toEqual([created]);
    expect(await (await readKey({ userId: userA.id, service: 'openai' })).json()).toEqual({ key: keyA });
    const aEvents = await events(a);
    expect(aEvents.filter((e) => e.targetId === created.id).map((e) => e.action)).toEqual(['api_key.read', 'api_key.create']);
  });

  it('S32 each change writes exactly one audit event with action, service, outcome and no secret', async () => {
    const c = t.client();
    const user = await c.signUp();
    const k1 = newKey();
    const key = await create(c, { service: 'openai', name: 'audited', key: k1 });
    await gql(c, UPDATE, { id: key.id, input: { name: 'renamed' } });
    const k2 = newKey();
    await gql(c, UPDATE, { id: key.id, input: { key: k2 } });
    const k3 = newKey();
    await gql(c, UPDATE, { id: key.id, input: { name: 'both', key: k3 } });
    await gql(c, DELETE, { id: key.id });
    // Rejected changes write nothing.
    await gql(c, CREATE, { input: { service: 'Bad Service', name: 'x', key: newKey() } });
    await gql(c, DELETE, { id: key.id });

    const log = await events(c);
    expect(log.map((e) => e.action)).toEqual(['api_key.delete', 'api_key.rotate', 'api_key.rotate', 'api_key.update', 'api_key.create', 'auth.sign_up']);
    for (const e of log.slice(0, 5)) {
      expect(e).toMatchObject({ actorType: 'USER', outcome: 'SUCCESS', reason: null, provider: 'openai', targetType: 'api_key', targetId: key.id });
      expect(e.ip).toMatch(/127\.0\.0\.1/);
    }
    const rows = await t.sql<Record<string, unknown>>('select * from audit_events where user_id = ?', [user.id]);
    expect(rows).toHaveLength(6);
    const text = JSON.stringify(rows);
    for (const k of [k1, k2, k3]) expect(text).not.toContain(k);
  });

  it('S24 a sealed key copied into another row reads as UNREADABLE (never as the other key), and the credentials route refuses it', async () => {
    const a = t.client();
    const userA = await a.signUp();
    const one = await create(a, { service: 'openai', name: 'one', key: newKey() });
    const two = await create(a, { service: 'github', name: 'two', key: newKey() });
    const b = t.client();
    await b.signUp();
    const bKey = await create(b, { service: 'openai', name: 'b', key: newKey() });

    // Same user, other row.
    await t.sql('update user_api_keys set encrypted_key = (select encrypted_key from user_api_keys where id = ?) where id = ?', [one.id, two.id]);
    let mine = await list(a);
    expect(mine.find((k) => k.id === one.id)?.status).toBe('OK');
    expect(mine.find((k) => k.id === two.id)?.status).toBe('UNREADABLE');
    const res = await readKey({ userId: userA.id, service: 'github' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      error: { code: 'UNREADABLE', message: 'The stored API key cannot be decrypted; its owner must save it again' },
    });

    // Another user's row, and a value that is not a sealed string at all.
    await t.sql('update user_api_keys set encrypted_key = (select encrypted_key from user_api_keys where id = ?) where id = ?', [bKey.id, one.id]);
    await t.sql("update user_api_keys set encrypted_key = 'not-a-sealed-value' where id = ?", [bKey.id]);
    mine = await list(a);
    expect(mine.map((k) => k.status)).toEqual(['UNREADABLE', 'UNREADABLE']);
    expect((await list(b)).map((k) => k.status)).toEqual(['UNREADABLE']);
    expect((await readKey({ userId: userA.id, service: 'openai' })).status).toBe(409);

    // Saving a new key repairs it.
    const fixed = await gql<{ updateApiKey: ApiKeyView }>(a, UPDATE, { id: two.id, input: { key: newKey() } });
    expect(fixed.data?.updateApiKey.status).toBe('OK');
    const readEvents = (await events(a)).filter((e) => e.action === 'api_key.read');
    expect(readEvents.map((e) => [e.outcome, e.reason, e.actorType])).toEqual([
      ['FAILURE', 'unreadable', 'SERVICE'],
      ['FAILURE', 'unreadable', 'SERVICE'],
    ]);
  });

  it('deleting a user deletes their keys; their audit events stay', async () => {
    const c = t.client();
    const user = await c.signUp();
    await create(c, { service: 'openai', name: 'gone', key: newKey() });
    await t.sql('delete from users where id = ?', [user.id]);
    expect(await t.sql('select id from user_api_keys where user_id = ?', [user.id])).toEqual([]);
    const left = await t.sql<{ action: string }>('select action from audit_events where user_id = ? order by created_at', [user.id]);
    expect(left.map((r) => r.action)).toEqual(['auth.sign_up', 'api_key.create']);
  });

  it('S15 no table or column of the database holds any plaintext key', async () => {
    const columns = await t.sql<{ table_schema: string; table_name: string; column_name: string }>(
      `select table_schema, table_name, column_name from information_schema.columns
        where table_schema not in ('pg_catalog', 'information_schema') and table_schema not like 'pg_toast%'
        order by 1, 2, 3`,
    );
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toContain('user_api_keys.encrypted_key');
    const stored = await t.sql<{ n: number }>('select count(*)::int as n from user_api_keys');
    expect(stored[0]!.n).toBeGreaterThan(5);
    expect(plaintexts.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const col of columns) {
      const ident = `"${col.table_schema}"."${col.table_name}"`;
      const rows = await t.sql<{ v: string | null }>(`select "${col.column_name}"::text as v from ${ident}`);
      for (const { v } of rows) {
        if (v === null) continue;
        for (const key of plaintexts) if (v.includes(key)) found.push(`${col.table_name}.${col.column_name}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('S27 no GraphQL response of this file contained a plaintext key', () => {
    expect(responses.length).toBeGreaterThan(30);
    const all = responses.join('\n');
    // (Only the service route, not GraphQL, ever returns a key: see credentials.integration.test.ts.)
    for (const key of plaintexts) expect(all).not.toContain(key);
  });

  it('S14 no log line of this hub contains a plaintext key', () => {
    const logs = t.logs();
    expect(logs).toContain('request finished');
    for (const key of plaintexts) expect(logs).not.toContain(key);
    // Unreadable keys, conflicts and bad input were all answered without an unexpected error.
    expect(t.logs().split('\n').filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });
});
