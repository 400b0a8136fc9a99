import { ConfigError } from '../shared/config-error.js';
import { BUILT_IN_PROVIDERS } from './catalog.js';
import { HOOKS, hookOf, type ProviderHook } from './hooks/index.js';
import { credentialVariablesOf, type BuiltInProviderId } from './ids.js';
import { applyOverride, customDefinition, readProvidersFile, type ProviderOverride, type ProvidersFile } from './overrides.js';
import { catalogProblems } from './schema.js';
import type { ClientCredentials, ProviderDefinition, ResolvedProvider } from './types.js';

/** Sandbox mode: per built-in id, the simulator's endpoints and client. */
export type SandboxOverrides = Readonly<Record<string, ProviderOverride & ClientCredentials>>;

/** The providers this hub runs, in the order of the Integrations page: built-ins, then custom ones. */
export class ProviderRegistry {
  private readonly byId: ReadonlyMap<string, ResolvedProvider>;

  constructor(private readonly providers: readonly ResolvedProvider[]) {
    this.byId = new Map(providers.map((p) => [p.definition.id, p]));
  }

  list(): readonly ResolvedProvider[] {
    return this.providers;
  }

  get(id: string): ResolvedProvider | undefined {
    return this.byId.get(id);
  }

  hookOf(provider: ResolvedProvider): ProviderHook | undefined {
    return hookOf(provider.definition);
  }
}

export interface RegistryInput {
  providerCredentials: Readonly<Record<BuiltInProviderId, { clientId?: string; clientSecret?: string }>>;
  /** The catalog to resolve: the built-in providers by default; a test may add entries (one per new provider). */
  catalog?: readonly ProviderDefinition[];
  file?: ProvidersFile;
  sandbox?: SandboxOverrides;
}

/**
 * Resolves every provider: catalog → operator override → credentials (file, then environment)
 * → sandbox for a built-in still without credentials. Validates the result against the catalog
 * schema; a problem there is a ConfigError (start-up stops).
 */
export function buildProviderRegistry(input: RegistryInput): ProviderRegistry {
  const providers: ResolvedProvider[] = [];
  for (const builtIn of input.catalog ?? BUILT_IN_PROVIDERS) {
    const override = input.file?.overrides.get(builtIn.id) ?? {};
    let definition = applyOverride(builtIn, override);
    const env: { clientId?: string; clientSecret?: string } = (input.providerCredentials as Record<string, { clientId?: string; clientSecret?: string } | undefined>)[builtIn.id] ?? {};
    const clientId = override.clientId ?? env.clientId;
    const clientSecret = override.clientSecret ?? env.clientSecret;
    const variables = credentialVariablesOf(builtIn.id);
    const missing = [...(clientId ? [] : [variables.clientId]), ...(clientSecret ? [] : [variables.clientSecret])];
    const sandbox = input.sandbox?.[builtIn.id];
    if (clientId && clientSecret) {
      providers.push({ definition, credentials: { clientId, clientSecret }, sandbox: false, builtIn: true, credentialVariables: [] });
    } else if (sandbox) {
      const { clientId: sandboxId, clientSecret: sandboxSecret, ...endpoints } = sandbox;
      definition = applyOverride(definition, endpoints);
      // The catalog's issuer stays: the simulator names it in `iss` as the real provider does
      // (Google), so the issuer check runs in sandbox mode too.
      providers.push({ definition, credentials: { clientId: sandboxId, clientSecret: sandboxSecret }, sandbox: true, builtIn: true, credentialVariables: missing });
    } else {
      providers.push({ definition, sandbox: false, builtIn: true, credentialVariables: missing });
    }
  }
  for (const entry of input.file?.custom ?? []) {
    providers.push({
      definition: customDefinition(entry),
      credentials: { clientId: entry.clientId, clientSecret: entry.clientSecret },
      sandbox: false,
      builtIn: false,
      credentialVariables: [],
    });
  }
  const problems = catalogProblems(
    providers.map((p) => p.definition),
    HOOKS,
  );
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `provider catalog: ${p}`));
  return new ProviderRegistry(providers);
}

/**
 * The configured OAuth 2 providers that run without PKCE (Box, Shopify, Zoho, a custom provider
 * with `pkce: false`). Without PKCE nothing binds an authorization code to the browser that
 * started the flow: a leaked code of user A delivered through user B's own valid callback binds
 * A's account to B (docs/security.md, S05). OAuth 1.0a (Trello) has no code and is not listed.
 */
export function providersWithoutPkce(registry: ProviderRegistry): string[] {
  return registry
    .list()
    .filter((p) => p.credentials !== undefined && p.definition.authMode !== 'oauth1a' && !p.definition.pkce)
    .map((p) => p.definition.id);
}

/** At start-up: reads OAUTH_PROVIDERS_FILE (when set) and resolves the catalog (the built-in one unless `catalog` is given). */
/**
 * The part of the configuration the registry reads (config/ names its variables from the
 * catalog, so the registry takes this shape instead of importing config/).
 */
export interface RegistryConfig {
  providersFile?: string;
  providerCredentials: RegistryInput['providerCredentials'];
}

export async function loadProviderRegistry(config: RegistryConfig, sandbox?: SandboxOverrides, catalog?: readonly ProviderDefinition[]): Promise<ProviderRegistry> {
  const file = config.providersFile ? await readProvidersFile(config.providersFile) : undefined;
  return buildProviderRegistry({
    providerCredentials: config.providerCredentials,
    ...(file ? { file } : {}),
    ...(sandbox ? { sandbox } : {}),
    ...(catalog ? { catalog } : {}),
  });
}
