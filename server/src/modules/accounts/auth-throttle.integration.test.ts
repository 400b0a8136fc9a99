import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/env.js';
import { TEST_DATABASE_KINDS } from '../../test/databases.js';
import { startTestHub, type TestHub } from '../../test/test-hub.js';
import { AuthThrottleService, THROTTLE } from './auth-throttle.service.js';
import { gqlFrom, SIGN_IN, SIGN_UP, tally } from '../../test/auth-throttle.js';

const PASSWORD = 'the right password 123';
/** Every accepted password check is a real scrypt: ~0.1 s, far more on a busy machine. */
const SLOW = 180_000;

describe.each(TEST_DATABASE_KINDS)('S36 throttles hold under concurrency on %s', (kind) => {
  let t: TestHub;
  let n = 0;
  /** A fresh documentation address per use, so the tests do not share counters. */
  const address = () => `198.51.100.${++n}`;
  const signUpFrom = async (ip: string, email: string) => {
    const r = await gqlFrom(t.url, ip, SIGN_UP, { input: { email, password: PASSWORD } });
    expect(r.errors).toBeUndefined();
  };
  beforeAll(async () => {
    // The production sign-up limit (the test hub raises it for other tests).
    t = await startTestHub(kind, { TRUST_PROXY: '1', SIGNUP_MAX_PER_IP_PER_HOUR: undefined });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('S36 abuse: 40 parallel sign-ins for one email with wrong passwords get 5 INVALID_CREDENTIALS, the rest RATE_LIMITED', async () => {
    await signUpFrom(address(), 'parallel@example.com');
    const attacker = address();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => gqlFrom(t.url, attacker, SIGN_IN, { input: { email: 'parallel@example.com', password: `wrong password ${i}` } })),
    );
    expect(tally(results)).toEqual({ INVALID_CREDENTIALS: THROTTLE.maxFailuresPerIpAndEmail, RATE_LIMITED: 40 - THROTTLE.maxFailuresPerIpAndEmail });
    const limited = results.find((r) => r.errors?.[0]?.extensions?.code === 'RATE_LIMITED')!;
    expect(limited.errors![0]!.message).toMatch(/^Too many failed sign-ins; try again in \d+ minute\(s\)$/);
    expect(limited.errors![0]!.extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // Even the right password is refused from that address while the limit holds.
    const right = await gqlFrom(t.url, attacker, SIGN_IN, { input: { email: 'parallel@example.com', password: PASSWORD } });
    expect(right.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  }, SLOW);

  it('S36 a locked-out email does not lock its owner out from an address that has not failed', async () => {
    await signUpFrom(address(), 'owner@example.com');
    const attacker = address();
    for (let i = 0; i < THROTTLE.maxFailuresPerIpAndEmail + 2; i++) {
      await gqlFrom(t.url, attacker, SIGN_IN, { input: { email: 'owner@example.com', password: `guess ${i} password` } });
    }
    expect((await gqlFrom(t.url, attacker, SIGN_IN, { input: { email: 'owner@example.com', password: PASSWORD } })).errors?.[0]?.extensions?.code).toBe(
      'RATE_LIMITED',
    );
    const owner = await gqlFrom(t.url, address(), SIGN_IN, { input: { email: 'owner@example.com', password: PASSWORD } });
    expect(owner.errors).toBeUndefined();
    expect(owner.data).toMatchObject({ signIn: { email: 'owner@example.com' } });
  }, SLOW);

  it('S36 failures spread over many addresses stop at the per-email ceiling', async () => {
    await signUpFrom(address(), 'spread@example.com');
    // 45 failures already spread over nine addresses (a scrypt check each would take minutes here).
    const perAddress = THROTTLE.maxFailuresPerIpAndEmail;
    await t.sql('insert into auth_throttle (key, failures, window_started_at) values (?, ?, now())', [
      AuthThrottleService.emailKey('spread@example.com'),
      THROTTLE.maxFailuresPerEmail - perAddress,
    ]);
    const two = [address(), address()];
    const results = await Promise.all(
      two.flatMap((ip) =>
        Array.from({ length: perAddress }, (_, i) => gqlFrom(t.url, ip, SIGN_IN, { input: { email: 'spread@example.com', password: `wrong ${i} password` } })),
      ),
    );
    // Each address is under its own limit; together they reach the email's ceiling.
    expect(tally(results)).toEqual({ INVALID_CREDENTIALS: perAddress, RATE_LIMITED: perAddress });
    const fresh = await gqlFrom(t.url, address(), SIGN_IN, { input: { email: 'spread@example.com', password: PASSWORD } });
    expect(fresh.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  }, SLOW);

  it('S36 a successful sign-in still works after its attempt is counted, and gives the attempt back', async () => {
    await signUpFrom(address(), 'regular@example.com');
    const home = address();
    // More successes than the failure limit, with a failure between each: never throttled.
    for (let i = 0; i < THROTTLE.maxFailuresPerIpAndEmail + 1; i++) {
      const wrong = await gqlFrom(t.url, home, SIGN_IN, { input: { email: 'regular@example.com', password: `typo ${i} password` } });
      expect(wrong.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
      const ok = await gqlFrom(t.url, home, SIGN_IN, { input: { email: 'regular@example.com', password: PASSWORD } });
      expect(ok.errors).toBeUndefined();
    }
    // The per-email and per-address counters hold no leftover reservation from the successes.
    const rows = await t.sql<{ key: string; failures: number }>('select key, failures from auth_throttle where key = ?', [`ip:${home}`]);
    expect(rows).toEqual([{ key: `ip:${home}`, failures: THROTTLE.maxFailuresPerIpAndEmail + 1 }]);
  }, SLOW);

  it('S36 abuse: 40 parallel sign-ups from one address create 10 accounts, the rest RATE_LIMITED; another address still signs up', async () => {
    const ip = address();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => gqlFrom(t.url, ip, SIGN_UP, { input: { email: `flood-${i}@example.com`, password: PASSWORD } })),
    );
    expect(tally(results)).toEqual({ ok: 10, RATE_LIMITED: 30 });
    const limited = results.find((r) => r.errors?.length)!;
    expect(limited.errors![0]!.message).toMatch(/^Too many sign-ups from this address; try again in \d+ minute\(s\)$/);
    const created = await t.sql<{ n: number }>("select count(*)::int as n from users where email like 'flood-%'");
    expect(created).toEqual([{ n: 10 }]);
    await signUpFrom(address(), 'flood-elsewhere@example.com');
  }, SLOW);

  it('S36 abuse: sign-up email probing — refused sign-ups (CONFLICT, bad input aside) count against the same allowance', async () => {
    await signUpFrom(address(), 'probed@example.com');
    const prober = address();
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await gqlFrom(t.url, prober, SIGN_UP, { input: { email: 'probed@example.com', password: PASSWORD } }));
    // A duplicate must say CONFLICT (no email verification): only 10 such answers per address and hour.
    expect(tally(answers)).toEqual({ CONFLICT: 10, RATE_LIMITED: 2 });
    // Input errors are answered before the count (they tell nothing about existing emails).
    const typo = await gqlFrom(t.url, prober, SIGN_UP, { input: { email: 'typo@example.com', password: 'short' } });
    expect(typo.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
  }, SLOW);

  it('S36 counter rows whose window ended a day ago are swept by later attempts; the migration matches the entity', async () => {
    await t.sql(
      `insert into auth_throttle (key, failures, window_started_at)
         select 'ip:stale-' || g, 3, now() - interval '2 days' from generate_series(1, 5) g`,
    );
    await t.sql("insert into auth_throttle (key, failures, window_started_at) values ('ip:recent', 3, now() - interval '2 hours')");
    await signUpFrom(address(), 'sweeper@example.com');
    expect(await t.sql("select key from auth_throttle where key like 'ip:stale-%'")).toEqual([]);
    expect(await t.sql("select key from auth_throttle where key = 'ip:recent'")).toEqual([{ key: 'ip:recent' }]);
    const sql = await t.hub.services.db.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(sql.split('\n').filter((line) => /auth_throttle/.test(line))).toEqual([]);
  }, SLOW);

  it('S36 the sign-up limit is 10 per address per hour unless SIGNUP_MAX_PER_IP_PER_HOUR says otherwise', () => {
    expect(parseConfig({}).signUpsPerIpPerHour).toBe(10);
    expect(parseConfig({ SIGNUP_MAX_PER_IP_PER_HOUR: '25' }).signUpsPerIpPerHour).toBe(25);
    expect(() => parseConfig({ SIGNUP_MAX_PER_IP_PER_HOUR: '0' })).toThrow(/SIGNUP_MAX_PER_IP_PER_HOUR/);
  });
});
