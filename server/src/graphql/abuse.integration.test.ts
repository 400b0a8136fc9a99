import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KINDS } from '../test/databases.js';
import { startTestHub, type GraphQLResult, type TestHub } from '../test/test-hub.js';
import { MAX_DIRECTIVES, MAX_QUERY_FIELDS, MAX_QUERY_TOKENS } from './limits.js';

/**
 * Abuse resistance of /graphql (S34, S35), as an anonymous attacker sends it: one request must
 * never buy unbounded work, and must never run more than one expensive mutation.
 */

/** `{ ...F0 }` where F<i> spreads F<i+1> twice: 2^n copies of the leaf once expanded (827 bytes at n = 20). */
function fragmentChain(n: number, leaf = '__typename'): string {
  const lines = ['query Chain { ...F0 }'];
  for (let i = 0; i < n; i++) lines.push(`fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  lines.push(`fragment F${n} on Query { ${leaf} }`);
  return lines.join('\n');
}

/** CPU (user + system) of this process — the hub runs in it — while `fn` runs, in ms. */
async function cpuMs<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const before = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, value };
}

function expectRefused(r: GraphQLResult, code: string, message?: string | RegExp) {
  expect(r.status, r.raw.slice(0, 300)).toBe(400);
  expect(r.data ?? null).toBeNull();
  expect(r.errors?.map((e) => e.extensions?.code), r.raw.slice(0, 300)).toEqual([code]);
  if (message !== undefined) expect(r.errors?.[0]?.message).toMatch(message);
  expect(r.raw).not.toContain('stacktrace');
}

const PASSWORD = 'correct horse battery staple';
const signUpField = (alias: string, email: string) => `${alias}: signUp(input: { email: "${email}", password: "${PASSWORD}" }) { id email }`;
const signInField = (alias: string, email: string) => `${alias}: signIn(input: { email: "${email}", password: "${PASSWORD}" }) { id email }`;

describe.each(TEST_DATABASE_KINDS)('GraphQL abuse resistance on %s', (kind) => {
  let t: TestHub;
  const users = async () => (await t.sql<{ n: number }>('select count(*)::int as n from users'))[0]!.n;

  beforeAll(async () => {
    t = await startTestHub(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('S34 abuse: fragment fan-out — a chain of 30 fragments, each spreading the next twice, is refused in under 50 ms of CPU', async () => {
    const c = t.client();
    // Warm up the refusal path (JIT, first formatting) so the measure is what each such request costs.
    for (let i = 0; i < 3; i++) await c.gql(fragmentChain(12));
    for (const leaf of ['__typename', 'me { id }']) {
      const doc = fragmentChain(30, leaf);
      expect(doc.length).toBeLessThan(1_500);
      const { ms, value: r } = await cpuMs(() => c.gql(doc));
      expectRefused(r, 'QUERY_TOO_COMPLEX', `Query selects too many fields: the limit is ${MAX_QUERY_FIELDS}`);
      expect(ms, leaf).toBeLessThan(50);
    }
  });

  it('S34 abuse: 3,000 aliased __typename fields are refused, and 501 too', async () => {
    const typenames = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    // 3,000 aliases are over the token cap already (3 tokens each).
    expectRefused(await t.client().gql(typenames(3_000)), 'QUERY_TOO_COMPLEX', /^Query is too long|^Query selects too many fields/);
    // Within the token cap, the field count refuses them.
    expectRefused(await t.client().gql(typenames(MAX_QUERY_FIELDS + 1)), 'QUERY_TOO_COMPLEX', `Query selects too many fields: the limit is ${MAX_QUERY_FIELDS}`);
    const ok = await t.client().gql<Record<string, string>>(typenames(MAX_QUERY_FIELDS));
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.data ?? {})).toHaveLength(MAX_QUERY_FIELDS);
  });

  it('S34 abuse: __schema twice, __type twice and aliases inside introspection are refused', async () => {
    expectRefused(
      await t.client().gql('{ __schema { queryType { name } } again: __schema { queryType { name } } }'),
      'QUERY_TOO_COMPLEX',
      'Query selects __schema more than once: the limit is one per operation',
    );
    expectRefused(
      await t.client().gql('{ a: __type(name: "User") { name } b: __type(name: "Query") { name } }'),
      'QUERY_TOO_COMPLEX',
      'Query selects __type more than once: the limit is one per operation',
    );
    expectRefused(await t.client().gql('{ __schema { a: types { name } b: types { name } } }'), 'QUERY_TOO_COMPLEX', 'Aliases are not allowed inside __schema and __type');
  });

  it('S34 the introspection query GraphiQL sends still works, anonymously', async () => {
    const r = await t.client().gql<{ __schema: { types: Array<{ name: string }> } }>(getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true }));
    expect(r.status, r.raw.slice(0, 300)).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data?.__schema.types.map((x) => x.name)).toContain('Integration');
  });

  it(`S34 abuse: more than ${MAX_DIRECTIVES} directives on one field are refused`, async () => {
    const directives = Array.from({ length: MAX_DIRECTIVES + 1 }, (_, i) => (i % 2 ? '@skip(if: false)' : '@include(if: true)')).join(' ');
    expectRefused(await t.client().gql(`{ me ${directives} { id } }`), 'QUERY_TOO_COMPLEX', `Query has too many directives in one place: the limit is ${MAX_DIRECTIVES}`);
  });

  it(`S34 abuse: a document over ${MAX_QUERY_TOKENS} tokens is refused with QUERY_TOO_COMPLEX, not a parse failure or a 500`, async () => {
    const r = await t.client().gql(`{ me { id } } # ${'x'.repeat(100)}\n query Other { ${'__typename '.repeat(MAX_QUERY_TOKENS)} }`);
    expectRefused(r, 'QUERY_TOO_COMPLEX', `Query is too long: the limit is ${MAX_QUERY_TOKENS} tokens`);
    // An ordinary syntax error is still one; an operation type the schema lacks is a validation error, not a 500.
    const subscription = await t.client().gql('subscription { __typename }');
    expect(subscription.status).toBe(400);
    expect(subscription.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([['GRAPHQL_VALIDATION_FAILED', 'The subscription operation is not supported by the schema.']]);
    const bad = await t.client().gql('{ me { id }');
    expect(bad.status).toBe(400);
    expect(bad.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('S35 abuse: one request with 40 aliased signUps is refused whole and creates no account', async () => {
    const before = await users();
    const stamp = Date.now().toString(36);
    const doc = `mutation { ${Array.from({ length: 40 }, (_, i) => signUpField(`u${i}`, `s35-${stamp}-${i}@example.com`)).join(' ')} }`;
    const c = t.client();
    expectRefused(await c.gql(doc), 'TOO_MANY_OPERATIONS', /at most 1 of signUp, signIn, connectProvider/);
    expect(await users()).toBe(before);
    expect(c.cookie).toBeUndefined();
    // Two through a fragment and an alias: refused too.
    const viaFragment = `mutation { ...M ${signUpField('b', `s35-${stamp}-b@example.com`)} } fragment M on Mutation { ${signUpField('a', `s35-${stamp}-a@example.com`)} }`;
    expectRefused(await t.client().gql(viaFragment), 'TOO_MANY_OPERATIONS');
    expect(await users()).toBe(before);
  });

  it('S35 abuse: two signIns in one request are refused, one is allowed', async () => {
    const email = `s35-signin-${Date.now().toString(36)}@example.com`;
    const one = await t.client().gql<{ a: { email: string } }>(`mutation { ${signUpField('a', email)} }`);
    expect(one.data?.a.email).toBe(email);
    const c = t.client();
    expectRefused(await c.gql(`mutation { ${signInField('a', email)} ${signInField('b', email)} }`), 'TOO_MANY_OPERATIONS');
    expect(c.cookie).toBeUndefined();
    const r = await c.gql<{ a: { email: string } }>(`mutation { ${signInField('a', email)} }`);
    expect(r.errors).toBeUndefined();
    expect(r.data?.a.email).toBe(email);
    expect(c.cookie).toBeDefined();
  });
});
