import type { ProviderRegistry } from '../../providers/registry.js';

/**
 * The catalog part of every `Integration` (GraphQL): what the hub's configuration says of each
 * provider, the same for every user. Also written out by the benchmarks for their baselines, so
 * both sides describe the providers from one place.
 */
export interface CatalogEntry {
  provider: string;
  displayName: string;
  description: string;
  /** `oauth2` or `oauth1a`. */
  authMode: string;
  configured: boolean;
  sandbox: boolean;
  requiresShop: boolean;
}

export function catalogOf(providers: ProviderRegistry): CatalogEntry[] {
  return providers.list().map((p) => ({
    provider: p.definition.id,
    displayName: p.definition.displayName,
    description: p.definition.description,
    authMode: p.definition.authMode,
    configured: p.credentials !== undefined,
    sandbox: p.sandbox,
    requiresShop: providers.hookOf(p)?.requiresShop === true,
  }));
}
