import type { Router } from 'express';
import type { Config } from '../config/env.js';
import type { SandboxOverrides } from '../providers/registry.js';
import type { ClientCredentials } from '../providers/types.js';
import { createSimulatorRouter, SIMULATED_PROVIDERS, type SimulatedProvider, type Simulator } from '../simulator/index.js';

/**
 * Sandbox mode (SANDBOX=1, refused in production by the configuration): the provider simulator is
 * mounted at `/sandbox`, and every built-in provider without credentials of its own is pointed at
 * it with the simulator's client — so each connect flow can be tried without a single account.
 * The hub reaches the simulator through PUBLIC_URL, like a browser would: it must resolve from
 * the server too.
 */
export const SANDBOX_MOUNT = '/sandbox';

export const sandboxBaseUrl = (config: Pick<Config, 'publicUrl'>) => `${config.publicUrl}${SANDBOX_MOUNT}`;

export function sandboxClient(id: string): ClientCredentials {
  return { clientId: `sandbox-${id}-client`, clientSecret: `sandbox-${id}-secret` };
}

/**
 * The overrides that point each simulated provider's catalog entry at the simulator under
 * `baseUrl`: each simulator entry says how (simulator/providers/*.ts), so nothing here is per provider.
 */
export function sandboxOverrides(baseUrl: string, providers: readonly SimulatedProvider[] = SIMULATED_PROVIDERS): SandboxOverrides {
  return Object.fromEntries(providers.map((p) => [p.id, { ...sandboxClient(p.id), ...p.hubOverride(baseUrl) }]));
}

export interface Sandbox {
  /** Where the hub mounts `router`. */
  mountPath: string;
  router: Router;
  sim: Simulator;
  overrides: SandboxOverrides;
}

export interface SandboxOptions {
  /** Simulated providers beyond the built-in ones; each needs a catalog entry of the same id (see HubOptions.catalog). */
  providers?: readonly SimulatedProvider[];
}

export function createSandbox(config: Pick<Config, 'publicUrl'>, options: SandboxOptions = {}): Sandbox {
  const extra = options.providers ?? [];
  const all = [...SIMULATED_PROVIDERS, ...extra];
  const clients = Object.fromEntries(all.map((p) => [p.id, sandboxClient(p.id)]));
  const { router, sim } = createSimulatorRouter({ clients, providers: extra, publicBaseUrl: () => sandboxBaseUrl(config) });
  return { mountPath: SANDBOX_MOUNT, router, sim, overrides: sandboxOverrides(sandboxBaseUrl(config), all) };
}
