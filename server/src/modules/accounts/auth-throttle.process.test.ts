import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxOverrides } from '../../sandbox/sandbox.js';
import { startSimulator, type RunningSimulator } from '../../simulator/index.js';
import { gqlFrom, SIGN_IN, SIGN_UP, tally } from '../../test/auth-throttle.js';
import { CONNECT, writeProvidersFile } from '../../test/connect-flow.js';
import { createPostgresDatabase } from '../../test/databases.js';
import { startHubProcess, type HubProcess } from '../../test/hub-process.js';
import { THROTTLE } from './auth-throttle.service.js';

const PASSWORD = 'the right password 123';
const SLOW = 180_000;

/**
 * Built hubs as processes (`npm run build:server` first), both on one PostgreSQL database with
 * their default limits: the throttles and the pending-state bound are taken in the database, so
 * requests split over two instances get no more through than requests to one (S36, S37).
 */
describe('S36 two hub processes on one PostgreSQL database share every limit', () => {
  let sim: RunningSimulator;
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let file: Awaited<ReturnType<typeof writeProvidersFile>>;
  let a: HubProcess;
  let b: HubProcess;
  beforeAll(async () => {
    sim = await startSimulator();
    db = await createPostgresDatabase();
    file = await writeProvidersFile(sandboxOverrides(sim.url));
    const env = { DATABASE_URL: db.url, ENCRYPTION_KEY: 'c'.repeat(64), TRUST_PROXY: '1', OAUTH_PROVIDERS_FILE: file.path, REFRESHER_ENABLED: '0' };
    a = await startHubProcess({ env });
    b = await startHubProcess({ env });
  }, SLOW);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await sim?.close();
    await file?.remove();
    await db?.drop();
  });
  const either = (i: number) => (i % 2 === 0 ? a : b).url;

  it('S36 abuse: 40 parallel sign-ins for one email split over two processes get 5 INVALID_CREDENTIALS, the rest RATE_LIMITED', async () => {
    expect((await gqlFrom(a.url, '203.0.113.1', SIGN_UP, { input: { email: 'two@example.com', password: PASSWORD } })).errors).toBeUndefined();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => gqlFrom(either(i), '203.0.113.2', SIGN_IN, { input: { email: 'two@example.com', password: `wrong password ${i}` } })),
    );
    expect(tally(results)).toEqual({ INVALID_CREDENTIALS: THROTTLE.maxFailuresPerIpAndEmail, RATE_LIMITED: 40 - THROTTLE.maxFailuresPerIpAndEmail });
    // The owner, from an address that has not failed, signs in on either instance.
    expect((await gqlFrom(b.url, '203.0.113.3', SIGN_IN, { input: { email: 'two@example.com', password: PASSWORD } })).errors).toBeUndefined();
  }, SLOW);

  it('S36 abuse: 40 parallel sign-ups from one address split over two processes create 10 accounts', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => gqlFrom(either(i), '203.0.113.4', SIGN_UP, { input: { email: `two-flood-${i}@example.com`, password: PASSWORD } })),
    );
    expect(tally(results)).toEqual({ ok: 10, RATE_LIMITED: 30 });
  }, SLOW);

  it('S37 abuse: 40 parallel Trello connects for one user split over two processes make at most 10 request-token calls', async () => {
    const signedUp = await fetch(`${a.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.5' },
      body: JSON.stringify({ query: SIGN_UP, variables: { input: { email: 'two-connect@example.com', password: PASSWORD } } }),
    });
    const cookie = signedUp.headers.getSetCookie().find((c) => c.includes('hub_session='))!.split(';')[0]!;
    sim.sim.reset();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => gqlFrom(either(i), '203.0.113.5', CONNECT, { provider: 'trello' }, cookie)));
    expect(tally(results)).toEqual({ ok: 10, RATE_LIMITED: 30 });
    expect(sim.sim.count('trello', 'request_token')).toBe(10);
  }, SLOW);
});
