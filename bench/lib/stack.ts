import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseConfig } from '../../server/src/config/env.js';
import { loadProviderRegistry } from '../../server/src/providers/registry.js';
import { catalogOf } from '../../server/src/modules/connections/catalog-entry.js';
import { sandboxOverrides } from '../../server/src/sandbox/sandbox.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../server/src/simulator/index.js';
import { writeProvidersFile } from '../../server/src/test/connect-flow.js';
import { createBenchDatabase, type BenchDatabase } from './database.js';
import { benchVault } from './seed.js';
import type { Vault } from '../../server/src/vault/index.js';

/**
 * What every hub benchmark stands on: a fresh PostgreSQL database, the provider simulator in
 * this process (127.0.0.1), a providers file pointing the seven built-ins at it (as an operator
 * would with OAUTH_PROVIDERS_FILE), a random encryption key and service token, and the env a hub
 * process needs for all of that.
 */
export interface BenchStack {
  db: BenchDatabase;
  sim: RunningSimulator;
  key: string;
  vault: Vault;
  serviceToken: string;
  providersFile: string;
  /** DATABASE_URL, ENCRYPTION_KEY, OAUTH_PROVIDERS_FILE, HUB_SERVICE_TOKEN. */
  hubEnv: Record<string, string>;
  /** Writes the static catalog part of the Integrations answer, as this hub configuration resolves it, for the baseline. */
  writeCatalog(dir: string): Promise<string>;
  close(): Promise<void>;
}

export async function startStack(simOptions: SimulatorOptions = {}): Promise<BenchStack> {
  const db = await createBenchDatabase();
  const sim = await startSimulator(simOptions);
  const file = await writeProvidersFile(sandboxOverrides(sim.url));
  const key = randomBytes(32).toString('hex');
  const serviceToken = `bench-${randomBytes(24).toString('hex')}`;
  const hubEnv = { DATABASE_URL: db.url, ENCRYPTION_KEY: key, OAUTH_PROVIDERS_FILE: file.path, HUB_SERVICE_TOKEN: serviceToken };
  return {
    db,
    sim,
    key,
    vault: benchVault(key),
    serviceToken,
    providersFile: file.path,
    hubEnv,
    async writeCatalog(dir) {
      const config = parseConfig({ NODE_ENV: 'test', ...hubEnv });
      const registry = await loadProviderRegistry(config);
      const out = path.join(dir, 'catalog.json');
      await writeFile(out, JSON.stringify(catalogOf(registry)));
      return out;
    },
    async close() {
      await sim.close();
      await file.remove();
      await db.drop();
    },
  };
}
