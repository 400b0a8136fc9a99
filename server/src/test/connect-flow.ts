/**
 * Helpers for the connect-flow tests (and the benchmarks' stack): a hub whose built-in providers
 * point at a provider simulator running on 127.0.0.1 (through OAUTH_PROVIDERS_FILE, as an operator would), and a browser-like
 * walk through connect → consent → callback.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '../modules/connections/connection.entity.js';
import { ConnectionTokens } from '../modules/connections/connection-tokens.js';
import { sandboxOverrides } from '../sandbox/sandbox.js';
import { simulateConsent, type RunningSimulator, type SimulateConsentOptions } from '../simulator/index.js';
import type { TestDatabaseKind } from './databases.js';
import { freePort } from './hub-process.js';
import { startTestHub, type TestClient, type TestHub } from './test-hub.js';

export const CONNECT = 'mutation($provider: String!, $shop: String, $returnTo: String) { connectProvider(provider: $provider, shop: $shop, returnTo: $returnTo) { authorizationUrl } }';

/** Writes a providers file; returns its path and a cleanup. */
export async function writeProvidersFile(providers: Record<string, unknown>): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hub-providers-'));
  const file = path.join(dir, 'providers.json');
  await writeFile(file, JSON.stringify({ providers }, null, 2));
  return { path: file, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface FlowHub extends TestHub {
  sim: RunningSimulator;
}

/**
 * A test hub on a known port (PUBLIC_URL = its own URL, so redirect URIs and result URLs are
 * reachable) whose seven built-in providers talk to `sim`, plus `extraProviders` in the same file.
 */
export async function startFlowHub(
  kind: TestDatabaseKind,
  sim: RunningSimulator,
  options: { extraProviders?: Record<string, unknown>; env?: Record<string, string> } = {},
): Promise<FlowHub> {
  const file = await writeProvidersFile({ ...sandboxOverrides(sim.url), ...options.extraProviders });
  const port = await freePort();
  const t = await startTestHub(kind, { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, OAUTH_PROVIDERS_FILE: file.path, ...options.env });
  return {
    ...t,
    sim,
    async close() {
      await t.close();
      await file.remove();
    },
  };
}

export async function connectProvider(
  client: TestClient,
  provider: string,
  vars: { shop?: string; returnTo?: string } = {},
): Promise<string> {
  const r = await client.gql<{ connectProvider: { authorizationUrl: string } }>(CONNECT, { provider, ...vars });
  if (!r.data?.connectProvider) throw new Error(`connectProvider(${provider}) failed: ${r.raw}`);
  return r.data.connectProvider.authorizationUrl;
}

/** GET a URL of the hub (e.g. the callback the provider redirected to) with the client's cookie. */
export function follow(client: TestClient, url: string): Promise<Response> {
  const u = new URL(url);
  return client.request(`${u.pathname}${u.search}`);
}

export interface ConnectResult {
  authorizationUrl: string;
  callbackUrl: string;
  response: Response;
}

/** connectProvider → consent at the simulator → callback at the hub. */
export async function connectThrough(
  client: TestClient,
  provider: string,
  consent: SimulateConsentOptions,
  vars: { shop?: string; returnTo?: string } = {},
): Promise<ConnectResult> {
  const authorizationUrl = await connectProvider(client, provider, vars);
  const callbackUrl = await simulateConsent(authorizationUrl, consent);
  const response = await follow(client, callbackUrl);
  return { authorizationUrl, callbackUrl, response };
}

/** The outcome parameters of a result redirect. */
export function outcomeOf(response: Response): Record<string, string> {
  if (response.status !== 302) throw new Error(`expected a redirect, got ${response.status}`);
  return Object.fromEntries(new URL(response.headers.get('location')!).searchParams);
}

/** Every stored connection of a user, decrypted through ConnectionTokens (the one way to read them). */
export async function storedConnections(t: TestHub, userId: string) {
  const em = t.hub.services.db.orm.em.fork();
  const tokens = new ConnectionTokens(t.hub.services.vault);
  const rows = await em.find(Connection, { user: userId }, { orderBy: { connectedAt: 'asc' }, populate: ['accessTokenEnc', 'refreshTokenEnc', 'tokenSecretEnc'] });
  return Promise.all(rows.map(async (connection) => ({ connection, secrets: await tokens.read(em, connection) })));
}

/** Fails when any value of any table contains one of `needles` (S15). */
export async function expectAbsentFromEveryTable(t: TestHub, needles: string[]): Promise<void> {
  const tables = await t.sql<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  if (!tables.some((x) => x.table_name === 'connections')) throw new Error('the scan sees no connections table');
  for (const { table_name } of tables) {
    const rows = await t.sql<{ r: string }>(`select row_to_json(x)::text as r from "${table_name}" x`);
    for (const { r } of rows) if (needles.some((needle) => r.includes(needle))) throw new Error(`${table_name} holds a plaintext secret`);
  }
}
