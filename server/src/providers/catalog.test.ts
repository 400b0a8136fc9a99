import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../config/env.js';
import { sandboxOverrides } from '../sandbox/sandbox.js';
import { PROVIDER_IDS as SIMULATED_IDS } from '../simulator/index.js';
import { BUILT_IN_PROVIDERS } from './catalog.js';
import { HOOKS } from './hooks/index.js';
import { buildProviderRegistry } from './registry.js';
import { catalogProblems } from './schema.js';
import type { ProviderDefinition } from './types.js';

const noCredentials = Object.fromEntries(PROVIDER_IDS.map((id) => [id, {}])) as Parameters<typeof buildProviderRegistry>[0]['providerCredentials'];
const google = BUILT_IN_PROVIDERS.find((d) => d.id === 'google')!;
const variant = (change: (d: ProviderDefinition) => void): ProviderDefinition => {
  const d = structuredClone(google) as ProviderDefinition;
  change(d);
  return d;
};

describe('provider catalog', () => {
  it('holds the seven built-ins, in the order of the configuration and the simulator', () => {
    expect(BUILT_IN_PROVIDERS.map((d) => d.id)).toEqual([...PROVIDER_IDS]);
    expect(BUILT_IN_PROVIDERS.map((d) => d.id)).toEqual([...SIMULATED_IDS]);
  });

  it('is valid against its schema, and every hook it names exists', () => {
    expect(catalogProblems(BUILT_IN_PROVIDERS, HOOKS)).toEqual([]);
    for (const d of BUILT_IN_PROVIDERS) if (d.hook) expect(HOOKS[d.hook], d.id).toBeDefined();
  });

  it('stays valid with the sandbox endpoints applied', () => {
    const registry = buildProviderRegistry({ providerCredentials: noCredentials, sandbox: sandboxOverrides('http://localhost:3000/sandbox') });
    expect(registry.list().every((p) => p.sandbox && p.credentials)).toBe(true);
    expect(registry.get('zoho')!.definition.accountsServers![0]).toBe('http://localhost:3000/sandbox/zoho/com');
    expect(registry.get('shopify')!.definition.endpoints.tokenUrl).toBe('http://localhost:3000/sandbox/shopify/{shop}/admin/oauth/access_token');
  });

  it.each([
    ['a hook that does not exist', (d: ProviderDefinition) => Object.assign(d, { hook: 'nope' }), 'google.hook: '],
    ['a template variable no hook supplies', (d: ProviderDefinition) => (d.endpoints.tokenUrl = 'https://{shop}/token'), 'google.endpoints.tokenUrl: uses {shop}, which no hook of this provider supplies'],
    ['an unknown template variable', (d: ProviderDefinition) => (d.endpoints.tokenUrl = 'https://{tenant}/token'), 'google.endpoints.tokenUrl: unknown template variable {tenant}'],
    ['OAuth 1.0a without a flow hook', (d: ProviderDefinition) => (d.authMode = 'oauth1a'), 'google.hook: an OAuth 1.0a provider must name a hook with a flow'],
    ['a relative URL', (d: ProviderDefinition) => (d.endpoints.authorizationUrl = '/auth'), 'google.endpoints.authorizationUrl: must be an absolute URL'],
    ['a reserved authorization parameter', (d: ProviderDefinition) => (d.authorizationParams.state = 'x'), 'google.authorizationParams.state: is set by the hub and cannot be configured'],
    ['an unknown key', (d: ProviderDefinition) => Object.assign(d, { tokenURL: 'x' }), 'google: Unrecognized key: "tokenURL"'],
    ['a missing identity spec', (d: ProviderDefinition) => Object.assign(d, { identity: undefined }), 'google.identity: '],
  ])('refuses %s', (_name, change, problem) => {
    const problems = catalogProblems([variant(change as (d: ProviderDefinition) => void)], HOOKS);
    expect(problems.some((p) => p.startsWith(problem)), problems.join('\n')).toBe(true);
  });

  it('refuses two providers with one id', () => {
    expect(catalogProblems([google, google], HOOKS)).toEqual(['google.id: duplicate provider id']);
  });

  it('S20 asks for a minimal, explicit scope set per provider (never an "all access" default)', () => {
    for (const d of BUILT_IN_PROVIDERS) {
      expect(d.scopes.length, d.id).toBeGreaterThan(0);
      expect(d.scopes.some((s) => /write|full|all|\.ALL$|^default$|root_readwrite/i.test(s)), `${d.id}: ${d.scopes.join(' ')}`).toBe(false);
    }
  });
});
