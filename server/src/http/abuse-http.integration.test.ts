import { fileURLToPath } from 'node:url';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KINDS } from '../test/databases.js';
import { startTestHub, type TestClient, type TestHub } from '../test/test-hub.js';

/** The checkout's own absolute path: no answer may reveal where the hub's files live. */
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

/**
 * Abuse resistance at the HTTP edge, through real HTTP to an in-process hub:
 * S38 the client address comes from trusted proxy hops only; S39 no stack traces or file paths
 * without NODE_ENV=development, and server timeouts; S40 HSTS over https; S08 initiate only
 * from the hub's own origin.
 */

const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { id } }';
/** What a client puts in X-Forwarded-For to pose as someone else. */
const FORGED = '6.6.6.6';
/** What the one trusted proxy appended: the address the client really connected from. */
const REAL = '203.0.113.7';

/** No stack frame, file path or module location anywhere in an answer. */
function expectNoInternals(raw: string) {
  expect(raw).not.toContain('stacktrace');
  expect(raw).not.toContain(REPO_ROOT);
  expect(raw).not.toContain('node_modules');
  expect(raw).not.toMatch(/\.(ts|js):\d/);
  expect(raw).not.toMatch(/\bat [\w.<>]+ \(/);
}

async function postGraphQL(t: TestHub, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, headers: res.headers, raw: await res.text() };
}

async function auditIps(t: TestHub, userId: string, action: string): Promise<Array<string | null>> {
  const rows = await t.sql<{ ip: string | null }>('select ip from audit_events where user_id = ? and action = ? order by created_at', [userId, action]);
  return rows.map((r) => r.ip);
}

/** Signs up through `client` with the given X-Forwarded-For, then fails one sign-in with it. */
async function signUpAndFailOnce(t: TestHub, client: TestClient, xff: string) {
  const email = `xff-${Math.random().toString(36).slice(2)}@example.com`;
  const signUp = await client.request('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': xff },
    body: JSON.stringify({
      query: 'mutation($input: SignUpInput!) { signUp(input: $input) { id } }',
      variables: { input: { email, password: 'correct horse battery staple' } },
    }),
  });
  const userId = ((await signUp.json()) as { data: { signUp: { id: string } } }).data.signUp.id;
  const failed = await postGraphQL(t, JSON.stringify({ query: SIGN_IN, variables: { input: { email, password: 'wrong password!!' } } }), {
    'x-forwarded-for': xff,
  });
  expect(failed.raw).toContain('INVALID_CREDENTIALS');
  return userId;
}

describe.each(TEST_DATABASE_KINDS)('HTTP edge with the defaults (NODE_ENV and TRUST_PROXY unset, https PUBLIC_URL) on %s', (kind) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(kind, { NODE_ENV: undefined, PUBLIC_URL: 'https://hub.example.test' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('S39 abuse: without NODE_ENV a GraphQL error and a JSON-parse error carry no stack trace or file path', async () => {
    expect(t.config.nodeEnv).toBeUndefined();
    const invalid = await postGraphQL(t, JSON.stringify({ query: '{ noSuchField }' }));
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.raw)).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    expectNoInternals(invalid.raw);
    const syntax = await postGraphQL(t, JSON.stringify({ query: '{ me { ' }));
    expect(JSON.parse(syntax.raw)).toMatchObject({ errors: [{ extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
    expectNoInternals(syntax.raw);
    const broken = await postGraphQL(t, '{"query": "{ me { id } }"');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.raw)).toEqual({ errors: [{ message: 'Request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
    expectNoInternals(broken.raw);
    const rest = await fetch(`${t.url}/api/credentials/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expectNoInternals(await rest.text());
  });

  it('S38 abuse: without TRUST_PROXY, X-Forwarded-For is ignored for sessions, audit events and throttling', async () => {
    const userId = await signUpAndFailOnce(t, t.client(), `${FORGED}, ${REAL}`);
    expect(await auditIps(t, userId, 'auth.sign_up')).toEqual(['127.0.0.1']);
    expect(await auditIps(t, userId, 'auth.sign_in_failed')).toEqual(['127.0.0.1']);
    expect(await t.sql('select ip from sessions where user_id = ?', [userId])).toEqual([{ ip: '127.0.0.1' }]);
    const keys = (await t.sql<{ key: string }>('select key from auth_throttle')).map((r) => r.key).join(' ');
    expect(keys).not.toContain(FORGED);
    expect(keys).not.toContain(REAL);
  });

  it('S40 headers: Strict-Transport-Security on every answer when PUBLIC_URL is https', async () => {
    for (const path of ['/healthz', '/graphql?query=%7B__typename%7D', '/api/nope']) {
      const res = await fetch(`${t.url}${path}`, { headers: { 'apollo-require-preflight': '1' } });
      expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000; includeSubDomains');
    }
  });

  it('S39 abuse: the server times out slow request heads (slowloris) and slow bodies, with the documented defaults', async () => {
    const { server } = t.hub;
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout, server.maxHeadersCount]).toEqual([20_000, 60_000, 5_000, 100]);
    // Shortened on the live server so the test takes a second, not 20: node reads them at each check.
    server.headersTimeout = 600;
    server.requestTimeout = 1_200;
    try {
      const port = Number(new URL(t.url).port);
      /** Sends `first`, then `drip` every 100 ms; resolves when the server closes the socket. */
      const slow = (first: string, drip: string) =>
        new Promise<{ ms: number; answer: string }>((resolve, reject) => {
          const started = Date.now();
          const socket = connect(port, '127.0.0.1');
          let answer = '';
          let timer: NodeJS.Timeout | undefined;
          socket.on('connect', () => {
            socket.write(first);
            timer = setInterval(() => socket.write(drip), 100);
          });
          socket.on('data', (d: Buffer) => (answer += d.toString()));
          socket.on('error', () => undefined);
          socket.on('close', () => {
            clearInterval(timer);
            resolve({ ms: Date.now() - started, answer });
          });
          setTimeout(() => {
            socket.destroy();
            reject(new Error('the server kept the slow socket open for 10 s'));
          }, 10_000).unref();
        });
      // Headers that never end: one more header line every 100 ms.
      const head = await slow('GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n');
      expect(head.answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(head.ms).toBeLessThan(3_500);
      // A body that never ends: one byte every 100 ms of a 64 KB declared length.
      const body = await slow(
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 65000\r\n\r\n{',
        ' ',
      );
      expect(body.answer === '' || /^HTTP\/1\.1 408 /.test(body.answer)).toBe(true);
      expect(body.ms).toBeLessThan(4_500);
    } finally {
      server.headersTimeout = 20_000;
      server.requestTimeout = 60_000;
    }
  });
});

describe.each(TEST_DATABASE_KINDS)('HTTP edge with TRUST_PROXY=1 and NODE_ENV=development on %s', (kind) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(kind, { NODE_ENV: 'development', TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('S38 abuse: forged X-Forwarded-For values before the trusted hop do not change the address of sessions, audit events and throttling', async () => {
    expect(t.config.trustProxy).toBe(1);
    const client = t.client();
    const userId = await signUpAndFailOnce(t, client, `${FORGED}, 10.0.0.1, ${REAL}`);
    expect(await auditIps(t, userId, 'auth.sign_up')).toEqual([REAL]);
    expect(await auditIps(t, userId, 'auth.sign_in_failed')).toEqual([REAL]);
    expect(await t.sql('select ip from sessions where user_id = ?', [userId])).toEqual([{ ip: REAL }]);
    // The throttle counts the real address, never one the client chose.
    const keys = (await t.sql<{ key: string }>('select key from auth_throttle')).map((r) => r.key).join(' ');
    expect(keys).not.toContain(FORGED);
    expect(keys).not.toContain('10.0.0.1');
    // The same forged values as two header lines: the proxy's line is still the right-most.
    const res = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: [
        ['content-type', 'application/json'],
        ['x-forwarded-for', FORGED],
        ['x-forwarded-for', REAL],
      ],
      body: JSON.stringify({ query: SIGN_IN, variables: { input: { email: 'nobody@example.com', password: 'wrong password!!' } } }),
    });
    expect(await res.text()).toContain('INVALID_CREDENTIALS');
    const failed = await t.sql<{ ip: string }>(`select ip from audit_events where action = 'auth.sign_in_failed' and user_id is null`);
    expect(failed.map((r) => r.ip)).not.toContain(FORGED);
  });

  it('S39 abuse: with NODE_ENV=development set explicitly, errors do carry the stack trace', async () => {
    const invalid = await postGraphQL(t, JSON.stringify({ query: '{ noSuchField }' }));
    const body = JSON.parse(invalid.raw) as { errors: Array<{ extensions: { stacktrace?: string[] } }> };
    expect(body.errors[0]!.extensions.stacktrace?.join('\n')).toMatch(/\.js:\d+/);
    const broken = await postGraphQL(t, '{"query": ');
    expect(broken.status).toBe(400);
    expect(broken.raw).toContain('stacktrace');
    expect(broken.raw).toMatch(/\.js:\d+/);
  });

  it('S40 headers: no Strict-Transport-Security over plain http', async () => {
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('S08 abuse: initiate is refused for Sec-Fetch-Site same-site (a sibling port or subdomain) and cross-site, allowed for same-origin, none and no header', async () => {
    const c = t.client();
    await c.signUp();
    for (const site of ['same-site', 'cross-site', 'SAME-SITE', 'bogus']) {
      const res = await c.request('/api/oauth/google/initiate', { headers: { 'sec-fetch-site': site } });
      expect(res.status, site).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'Start a connection from the dashboard' } });
    }
    // Google has no credentials in this hub: past the origin check the answer is 409 PROVIDER_NOT_CONFIGURED.
    for (const headers of [{ 'sec-fetch-site': 'same-origin' }, { 'sec-fetch-site': 'none' }, {}] as Array<Record<string, string>>) {
      const res = await c.request('/api/oauth/google/initiate', { headers });
      expect(res.status, JSON.stringify(headers)).toBe(409);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('PROVIDER_NOT_CONFIGURED');
    }
    expect(await t.sql('select id from oauth_pending_authorizations')).toEqual([]);
  });
});
