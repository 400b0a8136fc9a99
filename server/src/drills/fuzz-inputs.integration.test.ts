import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProvider, follow, startFlowHub, type FlowHub } from '../test/connect-flow.js';
import { BUILT_IN_PROVIDERS } from '../providers/catalog.js';
import { simulateConsent, startSimulator, type RunningSimulator } from '../simulator/index.js';
import type { GraphQLResult, TestClient } from '../test/test-hub.js';

/**
 * Fuzz drills (fast-check, bounded runs, fixed seeds so a failure reproduces) against an
 * in-process hub on PostgreSQL whose providers point at the simulator:
 * - GraphQL inputs: signUp, createApiKey, updateApiKey, connectProvider with arbitrary strings —
 *   random code points, NUL and other controls, lone surrogates, bidi and zero-width
 *   characters, huge values (past every column and the 64 KB body limit).
 * - OAuth callback query strings: arbitrary parameters, raw and malformed query strings,
 *   with and without a session, for real and made-up provider ids, and after a real consent.
 * Never a 5xx, never INTERNAL_SERVER_ERROR, never a half-written row: an accepted input writes
 * exactly the one row it should, a rejected one writes none (rows are counted before and after).
 */

/** Characters that break naive code: NUL and other C0/C1 controls, separators, BOM, lone surrogates. */
const nastyOne = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u0008',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u200b',
  '\u2028',
  '\u202e',
  '\ufeff',
  '\ufffd',
  '\ud800',
  '\udfff',
  '😀',
  'é',
  'e\u0301',
  '%00',
  '%',
  '%zz',
  '\\',
  '"',
  "'",
  '<script>',
  '../',
  '&',
  '=',
  '#',
  '?',
  '+',
);
/** NUL more often than the rest: PostgreSQL text cannot hold it, so it finds unchecked paths to the database. */
const nasty = fc.oneof({ weight: 1, arbitrary: fc.constant('\u0000') }, { weight: 3, arbitrary: nastyOne });

/** Long strings (past every column and body limit) without generating them char by char. */
const huge = fc
  .tuple(fc.oneof(fc.string({ minLength: 1, maxLength: 3, unit: 'binary' }), nasty), fc.integer({ min: 256, max: 80_000 }))
  .map(([piece, n]) => piece.repeat(Math.ceil(n / piece.length)).slice(0, n));

const anyText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40, unit: 'binary' }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20, unit: 'grapheme' }) },
  { weight: 3, arbitrary: fc.array(fc.oneof(fc.string({ maxLength: 6 }), nasty), { maxLength: 8 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: huge },
);

/** Mostly well-formed, or well-formed with one nasty character inside, so inputs reach deeper code. */
function nearly(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    valid,
    fc.tuple(valid, fc.array(fc.tuple(nasty, fc.nat(64)), { minLength: 1, maxLength: 3 })).map(([v, inserts]) =>
      inserts.reduce((text, [bad, at]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + bad + text.slice(i);
      }, v),
    ),
    anyText,
  );
}

const slug = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,20}$/);
const email = fc.emailAddress();
const providerIds = BUILT_IN_PROVIDERS.map((p) => p.id);

/** No 5xx and no internal error, whatever the input. */
function expectHandled(r: GraphQLResult): void {
  expect(r.status, r.raw.slice(0, 300)).toBeLessThan(500);
  const codes = (r.errors ?? []).map((e) => e.extensions?.code);
  expect(codes, r.raw.slice(0, 300)).not.toContain('INTERNAL_SERVER_ERROR');
  for (const e of r.errors ?? []) expect(e.extensions?.code, r.raw.slice(0, 300)).toBeTypeOf('string');
}

/** How many inputs of each operation were accepted: a fuzz that never gets an input through proves little. */
const tally = new Map<string, { accepted: number; rejected: number }>();
function accepted(r: GraphQLResult, field: string): boolean {
  const ok = !r.errors?.length && r.data !== null && r.data !== undefined && (r.data as Record<string, unknown>)[field] != null;
  const t = tally.get(field) ?? { accepted: 0, rejected: 0 };
  t[ok ? 'accepted' : 'rejected']++;
  tally.set(field, t);
  return ok;
}

describe('fuzz: GraphQL inputs and OAuth callbacks never 500 and never half-write (PostgreSQL)', () => {
  let sim: RunningSimulator;
  let t: FlowHub;
  let client: TestClient;
  let userId: string;
  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    (await t.sql<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`, params))[0]!.n;

  beforeAll(async () => {
    sim = await startSimulator();
    t = await startFlowHub('postgresql', sim);
    client = t.client();
    userId = (await client.signUp()).id;
  });
  afterAll(async () => {
    console.log(`fuzz inputs accepted/rejected: ${[...tally].map(([op, n]) => `${op} ${n.accepted}/${n.rejected}`).join(', ')}`);
    await t?.close();
    await sim?.close();
  });

  it('signUp with arbitrary email and password: an accepted one creates exactly one user, a rejected one none', async () => {
    await fc.assert(
      fc.asyncProperty(nearly(email), fc.oneof(fc.string({ minLength: 8, maxLength: 30 }), anyText), async (e, password) => {
        const before = await count('users');
        const r = await t.client().gql<{ signUp: { id: string } }>('mutation($input: SignUpInput!) { signUp(input: $input) { id email } }', {
          input: { email: e, password },
        });
        expectHandled(r);
        expect((await count('users')) - before).toBe(accepted(r, 'signUp') ? 1 : 0);
      }),
      // Every accepted sign-up costs a scrypt hash: few runs, but many shapes.
      { numRuns: 80, seed: 1_301 },
    );
  }, 120_000);

  it('signIn with arbitrary email and password: never a 5xx, never a row but the throttle’s', async () => {
    await fc.assert(
      fc.asyncProperty(nearly(email), fc.oneof(fc.string({ minLength: 8, maxLength: 30 }), anyText), async (e, password) => {
        const before = await count('users');
        const r = await t.client().gql('mutation($input: SignInInput!) { signIn(input: $input) { id } }', { input: { email: e, password } });
        expectHandled(r);
        expect(accepted(r, 'signIn')).toBe(false);
        expect(await count('users')).toBe(before);
      }),
      // A failed sign-in verifies against a dummy scrypt hash (same time as a real one).
      { numRuns: 60, seed: 1_307 },
    );
  }, 120_000);

  it('createApiKey with arbitrary service, name and key: accepted → exactly one row, rejected → none', async () => {
    await fc.assert(
      fc.asyncProperty(nearly(slug), nearly(fc.string({ minLength: 1, maxLength: 30 })), nearly(fc.string({ minLength: 1, maxLength: 60 })), async (service, name, key) => {
        const before = await count('user_api_keys', 'user_id = ?', [userId]);
        const r = await client.gql<{ createApiKey: { id: string } }>(
          'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { id service name hint status } }',
          { input: { service, name, key } },
        );
        expectHandled(r);
        expect((await count('user_api_keys', 'user_id = ?', [userId])) - before).toBe(accepted(r, 'createApiKey') ? 1 : 0);
      }),
      { numRuns: 150, seed: 1_302 },
    );
  }, 120_000);

  it('updateApiKey with arbitrary id, name and key: the row changes only when accepted, and no row appears or disappears', async () => {
    const created = await client.gql<{ createApiKey: { id: string } }>('mutation { createApiKey(input: { service: "fuzz", name: "target", key: "sk-fuzz-0000" }) { id } }');
    const id = created.data!.createApiKey.id;
    const row = async () => (await t.sql<{ name: string; encrypted_key: string; hint: string }>('select name, encrypted_key, hint from user_api_keys where id = ?', [id]))[0];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 4, arbitrary: fc.constant(id) }, { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: anyText }),
        fc.option(nearly(fc.string({ minLength: 1, maxLength: 30 }))),
        fc.option(nearly(fc.string({ minLength: 1, maxLength: 60 }))),
        async (target, name, key) => {
          const rowsBefore = await count('user_api_keys');
          const before = await row();
          const r = await client.gql<{ updateApiKey: { id: string } }>(
            'mutation($id: ID!, $input: UpdateApiKeyInput!) { updateApiKey(id: $id, input: $input) { id name hint } }',
            { id: target, input: { name, key } },
          );
          expectHandled(r);
          expect(await count('user_api_keys')).toBe(rowsBefore);
          const after = await row();
          if (!accepted(r, 'updateApiKey')) expect(after).toEqual(before);
          else if (name !== null) expect(after!.name).toBe(name.trim());
        },
      ),
      { numRuns: 150, seed: 1_303 },
    );
  }, 120_000);

  it('connectProvider with arbitrary provider, shop and returnTo: accepted → exactly one pending authorization, rejected → none', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...providerIds) }, { weight: 1, arbitrary: anyText }),
        fc.option(nearly(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}\.myshopify\.com$/))),
        fc.option(nearly(fc.constantFrom('/integrations', '/api-keys?x=1', '//evil.example', 'https://evil.example', '/\\evil.example'))),
        async (provider, shop, returnTo) => {
          const before = await count('oauth_pending_authorizations', 'user_id = ?', [userId]);
          const r = await client.gql<{ connectProvider: { authorizationUrl: string } }>(
            'mutation($provider: String!, $shop: String, $returnTo: String) { connectProvider(provider: $provider, shop: $shop, returnTo: $returnTo) { authorizationUrl } }',
            { provider, shop, returnTo },
          );
          expectHandled(r);
          expect((await count('oauth_pending_authorizations', 'user_id = ?', [userId])) - before).toBe(accepted(r, 'connectProvider') ? 1 : 0);
        },
      ),
      { numRuns: 120, seed: 1_304 },
    );
  }, 120_000);

  const PARAM_NAMES = ['state', 'code', 'error', 'error_description', 'iss', 'shop', 'hmac', 'timestamp', 'host', 'oauth_token', 'oauth_verifier', 'accounts-server', 'location', 'scope'];
  const params = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PARAM_NAMES), anyText), anyText), { maxLength: 8 });
  /** A query string as a browser or an attacker could send it: well-encoded, or raw with bad escapes. */
  const query = fc.oneof(
    params.map((pairs) => new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, v.slice(0, 2_000)])).toString()),
    fc.array(fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.~=&%+-]{0,12}$/), fc.constantFrom('%', '%z', '%E0%A4%A', '%C0%80', '&&', '==', '[]', '[a]=1', '%00')), { maxLength: 10 }).map((p) =>
      p.join(''),
    ),
  );

  it('callback with arbitrary query strings, with and without a session: never a 5xx, nothing stored', async () => {
    const anonymous = t.client();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...providerIds) }, { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9_%.-]{1,20}$/) }),
        query,
        fc.boolean(),
        async (provider, q, signedIn) => {
          const connections = await count('connections');
          const res = await (signedIn ? client : anonymous).request(`/api/oauth/${provider}/callback?${q}`);
          await res.arrayBuffer();
          expect(res.status, `${provider}?${q.slice(0, 200)}`).toBeLessThan(500);
          expect(await count('connections')).toBe(connections);
        },
      ),
      { numRuns: 250, seed: 1_305 },
    );
  }, 120_000);

  it('callback after a real consent with the other parameters replaced by arbitrary ones: never a 5xx, no connection stored', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('google', 'box', 'dropbox', 'asana'), params, async (provider, pairs) => {
        const authorizationUrl = await connectProvider(client, provider);
        const callbackUrl = new URL(await simulateConsent(authorizationUrl, { login: 'fuzz@example.com' }));
        // Keep the real state (so the request reaches the code exchange); replace or add the rest.
        for (const [k, v] of pairs) if (k !== 'state') callbackUrl.searchParams.set(k, v.slice(0, 2_000));
        const connections = await count('connections', 'user_id = ?', [userId]);
        const res = await follow(client, callbackUrl.toString());
        await res.arrayBuffer();
        expect(res.status).toBeLessThan(500);
        const succeeded = res.status === 302 && (res.headers.get('location') ?? '').includes('status=success');
        // Only a callback whose code was left alone can succeed; it stores one connection, a failure none.
        if (succeeded) expect(pairs.some(([k]) => k === 'code')).toBe(false);
        expect((await count('connections', 'user_id = ?', [userId])) - connections).toBe(succeeded ? 1 : 0);
        // Keep the fuzz independent: drop what a successful run stored.
        await t.sql('delete from connections where user_id = ?', [userId]);
      }),
      { numRuns: 40, seed: 1_306 },
    );
  }, 120_000);
});
