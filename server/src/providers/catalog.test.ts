import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_ALIASES } from '../config/env.js';
import { REPO_ROOT } from '../test/hub-process.js';
import { PROVIDER_IDS } from '../config/env.js';
import { sandboxOverrides } from '../sandbox/sandbox.js';
import { SIMULATED_PROVIDERS } from '../simulator/index.js';
import { SHOPIFY_SUPPORTED_API_VERSIONS } from '../simulator/providers/shopify.js';
import { BUILT_IN_PROVIDERS } from './catalog.js';
import { HOOKS } from './hooks/index.js';
import { BUILT_IN_PROVIDER_IDS, credentialVariablesOf } from './ids.js';
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
    expect(BUILT_IN_PROVIDERS.map((d) => d.id)).toEqual([...BUILT_IN_PROVIDER_IDS]);
    expect(SIMULATED_PROVIDERS.map((p) => p.id)).toEqual([...BUILT_IN_PROVIDER_IDS]);
  });

  it(".env.example's provider block names exactly the catalog's credential variables (and the documented aliases)", async () => {
    const example = await readFile(path.join(REPO_ROOT, '.env.example'), 'utf8');
    // Every provider variable, set or commented out: `GOOGLE_CLIENT_ID=` or `# GOOGLE_CLIENT_ID=`.
    const named = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*_CLIENT_(?:ID|SECRET))=/gm)].map((m) => m[1]!));
    const expected = new Set(BUILT_IN_PROVIDER_IDS.flatMap((id) => Object.values(credentialVariablesOf(id))));
    expect([...named].sort()).toEqual([...expected].sort());
    // The aliases are mentioned (in prose), and each stands for a catalog variable.
    for (const [alias, name] of Object.entries(ENV_ALIASES)) {
      expect(example, alias).toMatch(new RegExp(`\\b${alias}\\b`));
      expect(expected.has(name), name).toBe(true);
    }
  });

  it('hook code is reached only through the hook interface (no module imports a hook file directly)', async () => {
    const root = path.join(REPO_ROOT, 'server/src');
    const offenders: string[] = [];
    for (const entry of await readdir(root, { recursive: true })) {
      const file = String(entry);
      if (!file.endsWith('.ts') || file.startsWith(path.join('providers', 'hooks'))) continue;
      const text = await readFile(path.join(root, file), 'utf8');
      if (/from '[^']*hooks\/(shopify|zoho|trello)(\.js)?'/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
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

  it('carries each refresh-token lifetime as data, with the documentation page it comes from (cited in docs/providers.md)', async () => {
    const lifetimes = Object.fromEntries(BUILT_IN_PROVIDERS.map((d) => [d.id, d.refreshTokenLifetime]));
    expect(Object.fromEntries(Object.entries(lifetimes).map(([id, l]) => [id, { absoluteDays: l?.absoluteDays, idleDays: l?.idleDays }]))).toEqual({
      google: { absoluteDays: undefined, idleDays: 180 },
      asana: { absoluteDays: undefined, idleDays: undefined },
      dropbox: { absoluteDays: undefined, idleDays: undefined },
      box: { absoluteDays: 60, idleDays: undefined },
      trello: { absoluteDays: undefined, idleDays: undefined },
      shopify: { absoluteDays: 90, idleDays: undefined },
      zoho: { absoluteDays: undefined, idleDays: undefined },
    });
    const doc = await readFile(path.join(REPO_ROOT, 'docs/providers.md'), 'utf8');
    for (const [id, l] of Object.entries(lifetimes)) {
      expect(l!.source, id).toMatch(/^https:\/\//);
      expect(doc, `${id}: ${l!.source}`).toContain(l!.source);
    }
  });

  it('Shopify identity uses an Admin API version the simulator supports, named as data (apiVersion)', () => {
    const shopify = BUILT_IN_PROVIDERS.find((d) => d.id === 'shopify')!;
    expect(SHOPIFY_SUPPORTED_API_VERSIONS).toContain(shopify.apiVersion);
    expect(catalogProblems([{ ...shopify, apiVersion: '2026-07' }], HOOKS)).toEqual(['shopify.apiVersion: the identity URL must contain /admin/api/<apiVersion>/']);
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
