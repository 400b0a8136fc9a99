import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { startTestHub, type TestHub } from '../../test/test-hub.js';
import { hashSessionToken } from './session.service.js';
import { THROTTLE } from './auth-throttle.service.js';

const ME = '{ me { id email } }';
const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { id email } }';
const SIGN_UP = 'mutation($input: SignUpInput!) { signUp(input: $input) { id email } }';

describe.each(TEST_DATABASE_KINDS)('accounts on %s', (kind) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('signs up, reads me, signs out and back in', async () => {
    const c = t.client();
    expect((await c.gql(ME)).data).toEqual({ me: null });
    const user = await c.signUp('Alice@Example.com');
    expect(user.email).toBe('alice@example.com');
    expect((await c.gql(ME)).data).toEqual({ me: { id: user.id, email: 'alice@example.com' } });

    const out = await c.gql('mutation { signOut }');
    expect(out.data).toEqual({ signOut: true });
    expect(c.cookie).toBeUndefined();
    expect((await c.gql(ME)).data).toEqual({ me: null });

    const back = await c.gql(SIGN_IN, { input: { email: 'alice@example.com', password: user.password } });
    expect(back.data).toEqual({ signIn: { id: user.id, email: 'alice@example.com' } });
    expect((await c.gql(ME)).data).toEqual({ me: { id: user.id, email: 'alice@example.com' } });
  });

  it('S28 sets an HttpOnly, SameSite=Lax session cookie, stores only its hash, and sign-out deletes it', async () => {
    const c = t.client();
    const res = await c.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SIGN_UP, variables: { input: { email: 'cookie@example.com', password: 'long enough password' } } }),
    });
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/^hub_session=[A-Za-z0-9_-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/);
    const token = c.cookie!.split('=')[1]!;
    const rows = await t.sql<{ token_hash: string }>('select token_hash from sessions');
    const hashes = rows.map((r) => r.token_hash);
    expect(hashes).toContain(hashSessionToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    await c.gql('mutation { signOut }');
    const after = await t.sql<{ n: number }>('select count(*)::int as n from sessions where token_hash = ?', [hashSessionToken(token)]);
    expect(after).toEqual([{ n: 0 }]);
    // The old cookie no longer works even if a client kept it.
    const replay = t.client();
    replay.cookie = `hub_session=${token}`;
    expect((await replay.gql(ME)).data).toEqual({ me: null });
  });

  it('S31 stores passwords with scrypt and gives one generic error for unknown email and wrong password', async () => {
    const c = t.client();
    await c.signUp('bob@example.com', 'bob password 12345');
    const rows = await t.sql<{ password_hash: string }>("select password_hash from users where email = 'bob@example.com'");
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);

    const wrong = await t.client().gql(SIGN_IN, { input: { email: 'bob@example.com', password: 'not the password' } });
    const unknown = await t.client().gql(SIGN_IN, { input: { email: 'nobody@example.com', password: 'not the password' } });
    expect(wrong.errors?.[0]).toMatchObject({ message: 'Email or password is incorrect', extensions: { code: 'INVALID_CREDENTIALS' } });
    expect(unknown.errors?.[0]).toEqual(wrong.errors?.[0]);
  });

  it('S31 rate-limits repeated sign-in failures for an email, across clients', async () => {
    await t.client().signUp('carol@example.com', 'carol password 123');
    for (let i = 0; i < THROTTLE.maxFailuresPerIpAndEmail; i++) {
      const r = await t.client().gql(SIGN_IN, { input: { email: 'carol@example.com', password: `wrong ${i} password` } });
      expect(r.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    }
    // Even the right password is refused while the limit holds.
    const limited = await t.client().gql(SIGN_IN, { input: { email: 'carol@example.com', password: 'carol password 123' } });
    expect(limited.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.message).toMatch(/^Too many failed sign-ins; try again in \d+ minute\(s\)$/);
  });

  it('S14 LOG_LEVEL=debug shows each step of a request and never the password or session token', async () => {
    const c = t.client();
    const user = await c.signUp('logs@example.com', 'a password in logs?');
    await c.gql(ME);
    const token = c.cookie!.split('=')[1]!;
    const logs = t.logs();
    expect(logs).toContain('"msg":"request started"');
    expect(logs).toContain('"msg":"session resolved"');
    expect(logs).toMatch(/"path":"\/graphql","status":200,"ms":[\d.]+,"msg":"request finished"/);
    expect(logs).not.toContain(user.password);
    expect(logs).not.toContain(token);
  });

  it('rejects bad sign-up input with field errors and a duplicate email with CONFLICT', async () => {
    const c = t.client();
    const shortPw = await c.gql(SIGN_UP, { input: { email: 'dan@example.com', password: 'short' } });
    expect(shortPw.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'password' } });
    const badEmail = await c.gql(SIGN_UP, { input: { email: 'not-an-email', password: 'long enough password' } });
    expect(badEmail.errors?.[0]).toMatchObject({ message: 'Enter a valid email address', extensions: { code: 'BAD_USER_INPUT', field: 'email' } });
    await c.signUp('erin@example.com');
    const dup = await t.client().gql(SIGN_UP, { input: { email: 'ERIN@example.com', password: 'long enough password' } });
    expect(dup.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT', field: 'email' } });
    const count = await t.sql<{ n: number }>("select count(*)::int as n from users where email = 'erin@example.com'");
    expect(count).toEqual([{ n: 1 }]);
  });
});
