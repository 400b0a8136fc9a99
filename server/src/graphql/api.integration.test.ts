import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KINDS } from '../test/databases.js';
import { rootOperations } from '../test/operations.js';
import { startTestHub, type TestHub } from '../test/test-hub.js';
import { PUBLIC_OPERATIONS } from '../modules/accounts/auth-checker.js';
import { MAX_QUERY_DEPTH } from './limits.js';
import { buildHubSchema } from './schema.js';

describe.each(TEST_DATABASE_KINDS)('GraphQL API on %s', (kind) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every operation except me/signUp/signIn fails with UNAUTHENTICATED when signed out', async () => {
    const ops = rootOperations(await buildHubSchema());
    const closed = ops.filter((op) => !PUBLIC_OPERATIONS.has(`${op.kind === 'query' ? 'Query' : 'Mutation'}.${op.name}`));
    expect(closed.map((o) => o.name)).toContain('signOut');
    for (const op of closed) {
      const r = await t.client().gql(op.document);
      expect(r.errors?.[0]?.extensions?.code, `${op.name}: ${r.raw}`).toBe('UNAUTHENTICATED');
      expect(r.data?.[op.name] ?? null, op.name).toBeNull();
    }
  });

  it('S29 rejects a cross-site simple request (CSRF prevention)', async () => {
    const c = t.client();
    await c.signUp();
    const res = await c.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { signOut }' }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
    // The session survived: the forged sign-out did not run.
    expect((await c.gql('{ me { email } }')).data?.me).not.toBeNull();
  });

  it('S33 rejects an over-deep query, an over-wide query and an oversized body with clear errors', async () => {
    const deep = `{ ${'a { '.repeat(MAX_QUERY_DEPTH + 1)}b${' }'.repeat(MAX_QUERY_DEPTH + 1)} }`;
    // Depth is checked on valid documents; build one from aliases of `me` nested through fragments is not
    // possible with this schema's depth, so check the rule directly on an invalid-but-parseable document:
    const r1 = await t.client().gql(deep);
    expect(r1.status).toBe(400);
    expect(r1.errors?.map((e) => e.extensions?.code)).toContain('QUERY_TOO_COMPLEX');
    expect(r1.errors?.find((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX')?.message).toBe(
      `Query is nested too deeply: the limit is ${MAX_QUERY_DEPTH} levels`,
    );

    const wide = `{ ${Array.from({ length: 501 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const r2 = await t.client().gql(wide);
    expect(r2.errors?.[0]).toMatchObject({ message: 'Query selects too many fields: the limit is 500', extensions: { code: 'QUERY_TOO_COMPLEX' } });

    const big = await t.client().request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ me { id } } # ${'x'.repeat(70_000)}` }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ errors: [{ message: 'Request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('sends no stack traces outside development', async () => {
    const r = await t.client().gql('{ nope }');
    expect(r.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(r.raw).not.toContain('stacktrace');
  });

  it('answers /healthz and /readyz with JSON', async () => {
    const health = await fetch(`${t.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', databaseKind: kind, migrations: 'applied' });
  });

  it('answers unknown API routes with a JSON 404 and a request id', async () => {
    const res = await fetch(`${t.url}/api/nope`, { headers: { 'x-request-id': 'test-request-0001' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-request-id')).toBe('test-request-0001');
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'No such route' } });
  });
});
