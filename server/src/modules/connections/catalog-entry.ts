import type { ProviderRegistry } from '../../providers/registry.js';

/**
 * The catalog part of every `Integration` (GraphQL): what the hub's configuration says of each
 * provider, the same for every user. Also written out by the benchmarks for their baselines, so
 * both sides describe the providers from one place.
 */
export interface CatalogEntry {
  provider: string;
  displayName: string;
  /** simple-icons slug of the provider's mark, or `generic` (custom providers). */
  iconKey: string;
  description: string;
  /** `oauth2` or `oauth1a`. */
  authMode: string;
  configured: boolean;
  sandbox: boolean;
  requiresShop: boolean;
}

/** The icon key of a provider without a brand mark of its own. */
export const GENERIC_ICON_KEY = 'generic';

export function catalogOf(providers: ProviderRegistry): CatalogEntry[] {
  return providers.list().map((p) => ({
    provider: p.definition.id,
    displayName: p.definition.displayName,
    iconKey: p.definition.iconKey ?? GENERIC_ICON_KEY,
    description: p.definition.description,
    authMode: p.definition.authMode,
    configured: p.credentials !== undefined,
    sandbox: p.sandbox,
    requiresShop: providers.hookOf(p)?.requiresShop === true,
  }));
}
