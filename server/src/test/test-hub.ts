import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfig, type Config } from '../config/env.js';
import { startHub, type Hub, type HubOptions } from '../hub.js';
import { captureLogger } from './log-capture.js';
import { createTestDatabase, type TestDatabase, type TestDatabaseKind } from './databases.js';

export const TEST_ENCRYPTION_KEY = 'a'.repeat(64);

export interface TestHub {
  hub: Hub;
  url: string;
  db: TestDatabase;
  config: Config;
  /** Every log line the hub wrote (debug level), for secret scans. */
  logs(): string;
  /** Raw SQL against the hub's database (to check what is really stored). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** A new signed-out client with its own cookie jar. */
  client(): TestClient;
  close(): Promise<void>;
}

/**
 * A hub running in this process on a random port, on a fresh database of the given kind.
 * `env` entries override the defaults (variables as the hub reads them).
 */
export async function startTestHub(
  kind: TestDatabaseKind,
  env: Record<string, string | undefined> = {},
  options: { db?: TestDatabase; extraProviders?: HubOptions['extraProviders'] } = {},
): Promise<TestHub> {
  const db = options.db ?? (await createTestDatabase(kind));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'hub-test-'));
  const config = parseConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    // Every test client signs up from 127.0.0.1 and some tests start many connects for one user:
    // the production limits would throttle unrelated tests. The tests of those limits (S36, S37)
    // pass their own values (or undefined, for the defaults).
    SIGNUP_MAX_PER_IP_PER_HOUR: '100000',
    MAX_PENDING_AUTHORIZATIONS: '1000',
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    ...env,
  });
  const capture = captureLogger('debug');
  const hub = await startHub(config, {
    logger: capture.logger,
    ...(db.pglite ? { pglite: db.pglite } : {}),
    ...(options.extraProviders ? { extraProviders: options.extraProviders } : {}),
  });
  return {
    hub,
    url: hub.url,
    db,
    config,
    logs: capture.text,
    client: () => new TestClient(hub.url),
    sql: async <T,>(query: string, params: unknown[] = []) =>
      (await hub.services.db.orm.em.fork().getConnection().execute(query, params)) as T[],
    async close() {
      await hub.close();
      if (!options.db) await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> & { code?: string } }>;
  headers: Headers;
  raw: string;
}

/** A browser-like API client: keeps the session cookie, sends what Apollo Client sends. */
export class TestClient {
  cookie: string | undefined;

  constructor(readonly baseUrl: string) {}

  async gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
    const res = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    this.keepCookie(res.headers);
    const raw = await res.text();
    const body = JSON.parse(raw) as { data?: T | null; errors?: GraphQLResult['errors'] };
    return { status: res.status, headers: res.headers, raw, ...body };
  }

  /** GET/POST a REST path with this client's cookie. */
  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const res = await fetch(`${this.baseUrl}${pathname}`, { redirect: 'manual', ...init, headers });
    this.keepCookie(res.headers);
    return res;
  }

  async signUp(email = `user-${Math.random().toString(36).slice(2)}@example.com`, password = 'correct horse battery staple') {
    const r = await this.gql<{ signUp: { id: string; email: string } }>(
      'mutation($input: SignUpInput!) { signUp(input: $input) { id email } }',
      { input: { email, password } },
    );
    if (!r.data?.signUp) throw new Error(`signUp failed: ${r.raw}`);
    return { ...r.data.signUp, password };
  }

  private keepCookie(headers: Headers) {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      if (!pair) continue;
      const [name, value] = pair.split('=');
      if (!name?.includes('hub_session')) continue;
      this.cookie = value ? `${name}=${value}` : undefined;
    }
  }
}
