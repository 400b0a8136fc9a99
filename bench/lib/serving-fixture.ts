import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HubProcess } from '../../server/src/test/hub-process.js';
import { startBaseline, startBenchHub, type BaselineProcess } from './processes.js';
import { fakeToken, seedConnections, seedUsers, type ConnectionSeed, type SeededConnection, type SeededUser } from './seed.js';
import { startStack, type BenchStack } from './stack.js';

/**
 * B1, B2 (and B7 during both): one database with USERS users × 3 connections, the built hub and
 * the baseline server on it. Built once per `npm run bench` and shared by those benchmarks.
 */
export const USERS = 10_000;
export const CONNECTIONS_PER_USER = 3;
const PROVIDERS = ['google', 'asana', 'dropbox', 'box', 'trello', 'shopify', 'zoho'] as const;

export interface ServingFixture {
  stack: BenchStack;
  users: SeededUser[];
  connections: SeededConnection[];
  hub: HubProcess;
  baseline: BaselineProcess;
  /** bench/baseline/stack-floor.ts: the hub's frameworks with every answer in memory (B1, B2). */
  floor: BaselineProcess;
  seedMs: number;
}

function connectionFor(userId: string, email: string, provider: (typeof PROVIDERS)[number], i: number): ConnectionSeed {
  const in30Days = new Date(Date.now() + 30 * 86_400_000);
  const base = {
    userId,
    provider,
    accountId: `${provider}-acct-${i}`,
    email,
    label: email,
    scopes: ['scope-a', 'scope-b'],
    tokenType: 'bearer',
    accessToken: fakeToken(`${provider}-at-`),
    refreshToken: fakeToken(`${provider}-rt-`),
    expiresAt: in30Days,
    metadata: {} as Record<string, string>,
  };
  switch (provider) {
    case 'trello':
      return { ...base, tokenType: 'oauth1', refreshToken: null, tokenSecret: fakeToken('ts-'), expiresAt: null, scopes: ['read'] };
    case 'shopify':
      return { ...base, accountId: `shop-${i}.myshopify.com`, label: `shop-${i}.myshopify.com`, metadata: { shop: `shop-${i}.myshopify.com` } };
    case 'zoho':
      return { ...base, metadata: { accounts_server: 'https://accounts.zoho.eu', api_domain: 'https://www.zohoapis.eu' } };
    case 'dropbox':
      return { ...base, metadata: { account_id: `dbid:bench${i}` } };
    default:
      return base;
  }
}

let cached: Promise<ServingFixture> | undefined;
let catalogDir: string | undefined;

export function servingFixture(): Promise<ServingFixture> {
  cached ??= (async () => {
    const stack = await startStack();
    let hub: HubProcess | undefined;
    let baseline: BaselineProcess | undefined;
    try {
      // The hub migrates the empty database; seeding follows.
      hub = await startBenchHub(stack.hubEnv, process.env.BENCH_CPU_PROF ? { cpuProfileDir: process.env.BENCH_CPU_PROF } : {});
      const started = performance.now();
      const users = await seedUsers(stack.db.pool, USERS);
      const seeds = users.flatMap((u, i) =>
        Array.from({ length: CONNECTIONS_PER_USER }, (_, k) => connectionFor(u.id, u.email, PROVIDERS[(i + k) % PROVIDERS.length]!, i)),
      );
      const connections = await seedConnections(stack.db.pool, stack.vault, seeds);
      const seedMs = performance.now() - started;
      catalogDir = await mkdtemp(path.join(tmpdir(), 'hub-bench-'));
      const catalogFile = await stack.writeCatalog(catalogDir);
      baseline = await startBaseline({
        DATABASE_URL: stack.db.url,
        ENCRYPTION_KEY: stack.key,
        HUB_SERVICE_TOKEN: stack.serviceToken,
        CATALOG_FILE: catalogFile,
      });
      const floor = await startBaseline(
        { DATABASE_URL: stack.db.url, CATALOG_FILE: catalogFile, ENCRYPTION_KEY: stack.key, HUB_SERVICE_TOKEN: stack.serviceToken },
        'stack-floor.ts',
      );
      return { stack, users, connections, hub, baseline, floor, seedMs };
    } catch (err) {
      await baseline?.stop().catch(() => undefined);
      await hub?.stop().catch(() => undefined);
      await stack.close().catch(() => undefined);
      throw err;
    }
  })();
  return cached;
}

export async function closeServingFixture(): Promise<void> {
  if (!cached) return;
  const f = await cached.catch(() => undefined);
  cached = undefined;
  if (!f) return;
  await f.baseline.stop().catch(() => undefined);
  await f.floor.stop().catch(() => undefined);
  await f.hub.stop().catch(() => undefined);
  await f.stack.close();
  if (catalogDir) await rm(catalogDir, { recursive: true, force: true });
}
