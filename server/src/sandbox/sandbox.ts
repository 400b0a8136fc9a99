import type { Router } from 'express';
import type { Config } from '../config/env.js';
import type { SandboxOverrides } from '../providers/registry.js';
import type { ClientCredentials } from '../providers/types.js';
import { createSimulatorRouter, PROVIDER_IDS, simulatorEndpoints, type Simulator } from '../simulator/index.js';

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

/** The overrides that point each built-in provider at the simulator under `baseUrl`. */
export function sandboxOverrides(baseUrl: string): SandboxOverrides {
  const ep = simulatorEndpoints(baseUrl);
  const oauth2 = (id: 'google' | 'asana' | 'dropbox' | 'box') => ({
    ...sandboxClient(id),
    authorizationUrl: ep[id].authorizeUrl,
    tokenUrl: ep[id].tokenUrl,
    revocationUrl: ep[id].revokeUrl,
    // Asana identifies accounts from the token response: no userinfo URL to replace.
    ...(id === 'asana' ? {} : { userInfoUrl: ep[id].userinfoUrl }),
  });
  // The simulator's Shopify URLs carry {shop}; its Zoho URLs are per data centre, so the
  // catalog's {accounts_server} templates stay and only the allowlist changes.
  return {
    google: oauth2('google'),
    asana: oauth2('asana'),
    dropbox: oauth2('dropbox'),
    box: oauth2('box'),
    trello: {
      ...sandboxClient('trello'),
      requestTokenUrl: ep.trello.requestTokenUrl,
      authorizationUrl: ep.trello.authorizeUrl,
      tokenUrl: ep.trello.accessTokenUrl,
      userInfoUrl: ep.trello.userinfoUrl,
      revocationUrl: ep.trello.revokeUrlTemplate,
    },
    shopify: {
      ...sandboxClient('shopify'),
      authorizationUrl: ep.shopify.authorizeUrl,
      tokenUrl: ep.shopify.tokenUrl,
      userInfoUrl: ep.shopify.userinfoUrl,
      revocationUrl: ep.shopify.revokeUrl,
    },
    zoho: {
      ...sandboxClient('zoho'),
      authorizationUrl: ep.zoho.authorizeUrl,
      accountsServers: ep.zoho.accountsServerAllowlist,
    },
  };
}

export interface Sandbox {
  /** Where the hub mounts `router`. */
  mountPath: string;
  router: Router;
  sim: Simulator;
  overrides: SandboxOverrides;
}

export function createSandbox(config: Pick<Config, 'publicUrl'>): Sandbox {
  const clients = Object.fromEntries(PROVIDER_IDS.map((id) => [id, sandboxClient(id)]));
  const { router, sim } = createSimulatorRouter({ clients, publicBaseUrl: () => sandboxBaseUrl(config) });
  return { mountPath: SANDBOX_MOUNT, router, sim, overrides: sandboxOverrides(sandboxBaseUrl(config)) };
}
