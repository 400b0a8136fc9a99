import { describe, expect, it } from 'vitest';
import { parseConfig, PROVIDER_IDS } from '../config/env.js';
import { parseProvidersFile } from './overrides.js';
import { buildProviderRegistry, providersWithoutPkce } from './registry.js';

const noCredentials = Object.fromEntries(PROVIDER_IDS.map((id) => [id, {}])) as ReturnType<typeof parseConfig>['providerCredentials'];

const custom = {
  displayName: 'Acme',
  authorizationUrl: 'https://auth.acme.example/authorize',
  tokenUrl: 'https://auth.acme.example/token',
  scopes: ['openid'],
  clientId: 'acme-id',
  clientSecret: 'acme-secret-value',
};

describe('providers without PKCE (start-up warning)', () => {
  it('S05 lists each configured OAuth 2 provider without PKCE (Box, a custom one with pkce off); not PKCE ones, unconfigured ones or OAuth 1.0a', () => {
    const config = parseConfig({
      BOX_CLIENT_ID: 'box-id',
      BOX_CLIENT_SECRET: 'box-secret',
      GOOGLE_CLIENT_ID: 'g-id',
      GOOGLE_CLIENT_SECRET: 'g-secret',
      TRELLO_CLIENT_ID: 't-id',
      TRELLO_CLIENT_SECRET: 't-secret',
    });
    const file = parseProvidersFile({ providers: { acme: { ...custom, pkce: false }, beta: { ...custom, displayName: 'Beta' } } });
    const registry = buildProviderRegistry({ providerCredentials: config.providerCredentials, file });
    // Zoho and Shopify have no PKCE either, but without credentials they do not run.
    expect(providersWithoutPkce(registry)).toEqual(['box', 'acme']);
    expect(providersWithoutPkce(buildProviderRegistry({ providerCredentials: noCredentials }))).toEqual([]);
  });
});
