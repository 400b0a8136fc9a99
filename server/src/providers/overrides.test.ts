import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, PROVIDER_IDS } from '../config/env.js';
import { parseProvidersFile, readProvidersFile } from './overrides.js';
import { buildProviderRegistry } from './registry.js';

const noCredentials = Object.fromEntries(PROVIDER_IDS.map((id) => [id, {}])) as ReturnType<typeof parseConfig>['providerCredentials'];

function problemsOf(json: unknown): string[] {
  try {
    parseProvidersFile(json);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const acme = {
  displayName: 'Acme',
  authorizationUrl: 'https://auth.acme.example/authorize',
  tokenUrl: 'https://auth.acme.example/token',
  scopes: ['openid', 'email'],
  clientId: 'acme-id',
  clientSecret: 'acme-secret-value',
};

describe('OAUTH_PROVIDERS_FILE', () => {
  it('an entry for a built-in changes only the keys it names; file credentials beat the environment', () => {
    const file = parseProvidersFile({ providers: { google: { tokenUrl: 'https://proxy.example/token', clientSecret: 'from-file', authorizationParams: { hd: 'example.com' } } } });
    const config = parseConfig({ GOOGLE_CLIENT_ID: 'env-id', GOOGLE_CLIENT_SECRET: 'env-secret' });
    const google = buildProviderRegistry({ providerCredentials: config.providerCredentials, file }).get('google')!;
    expect(google.credentials).toEqual({ clientId: 'env-id', clientSecret: 'from-file' });
    expect(google.definition.endpoints).toEqual({ authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth', tokenUrl: 'https://proxy.example/token' });
    expect(google.definition.authorizationParams).toEqual({ access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true', hd: 'example.com' });
    expect(google.definition.scopes).toEqual(['openid', 'email', 'https://www.googleapis.com/auth/drive.file']);
  });

  it('a new id defines a generic OAuth 2 provider with defaults (PKCE on, client_secret_basic), listed after the built-ins', () => {
    const file = parseProvidersFile({ providers: { acme: { ...acme, userInfoUrl: 'https://api.acme.example/me', revocationUrl: 'https://auth.acme.example/revoke' } } });
    const registry = buildProviderRegistry({ providerCredentials: noCredentials, file });
    expect(registry.list().map((p) => p.definition.id)).toEqual([...PROVIDER_IDS, 'acme']);
    const p = registry.get('acme')!;
    expect(p).toMatchObject({ builtIn: false, sandbox: false, credentials: { clientId: 'acme-id', clientSecret: 'acme-secret-value' } });
    expect(p.definition).toMatchObject({
      authMode: 'oauth2',
      pkce: true,
      clientAuth: 'client_secret_basic',
      scopes: ['openid', 'email'],
      identity: { source: 'userinfo', url: 'https://api.acme.example/me', method: 'GET' },
      revocation: { kind: 'request', url: 'https://auth.acme.example/revoke', clientAuth: 'client_secret_basic' },
    });
    const bare = buildProviderRegistry({ providerCredentials: noCredentials, file: parseProvidersFile({ providers: { acme: { ...acme, pkce: false, tokenEndpointAuthMethod: 'client_secret_post' } } }) });
    expect(bare.get('acme')!.definition).toMatchObject({ pkce: false, clientAuth: 'client_secret_post', identity: { source: 'none' }, revocation: { kind: 'none' } });
  });

  it('allows http only on loopback hosts', () => {
    expect(() => parseProvidersFile({ providers: { acme: { ...acme, tokenUrl: 'http://127.0.0.1:4000/token', authorizationUrl: 'http://localhost:4000/auth' } } })).not.toThrow();
    expect(problemsOf({ providers: { acme: { ...acme, tokenUrl: 'http://auth.acme.example/token' } } })).toEqual([
      'OAUTH_PROVIDERS_FILE: providers.acme.tokenUrl: must be an https URL',
    ]);
  });

  it('names the entry and the key of every problem, never the value', () => {
    const problems = problemsOf({
      providers: {
        acme: { ...acme, tokenUrl: 'ftp://x', clientSecret: undefined, tokenURL: 'https://x.example', scopes: 'openid', authorizationParams: { state: 'x' } },
        'Bad Id': acme,
        google: { scopes: ['a b'], pkce: 'yes', requestTokenUrl: 'https://x.example' },
        zoho: { accountsServers: ['http://accounts.evil.example'] },
        asana: { userInfoUrl: 'https://app.asana.com/api/1.0/users/me' },
      },
    });
    expect(problems.sort()).toEqual(
      [
        'OAUTH_PROVIDERS_FILE: providers.acme.tokenURL: unknown key',
        'OAUTH_PROVIDERS_FILE: providers.acme.tokenUrl: must be an https URL',
        'OAUTH_PROVIDERS_FILE: providers.acme.scopes: must be an array of scope strings',
        'OAUTH_PROVIDERS_FILE: providers.acme.clientSecret: required',
        'OAUTH_PROVIDERS_FILE: providers.acme.authorizationParams.state: is set by the hub and cannot be configured',
        'OAUTH_PROVIDERS_FILE: providers.Bad Id: the id must match ^[a-z][a-z0-9_-]{1,39}$ (lower-case letters, digits, _ and -)',
        'OAUTH_PROVIDERS_FILE: providers.google.requestTokenUrl: unknown key',
        'OAUTH_PROVIDERS_FILE: providers.google.scopes.0: a scope must not contain spaces or commas',
        'OAUTH_PROVIDERS_FILE: providers.google.pkce: must be true or false',
        'OAUTH_PROVIDERS_FILE: providers.zoho.accountsServers.0: must be an https URL',
        'OAUTH_PROVIDERS_FILE: providers.asana.userInfoUrl: asana identifies accounts without a userinfo request',
      ].sort(),
    );
    for (const p of problems) expect(p).not.toContain('acme-secret-value');
  });

  it('shopify apiVersion: the identity request moves to that Admin API version; only a quarterly version, only for shopify', () => {
    const registry = (json: unknown) => buildProviderRegistry({ providerCredentials: noCredentials, file: parseProvidersFile(json) });
    const byDefault = registry({ providers: {} }).get('shopify')!.definition;
    expect(byDefault.apiVersion).toBe('2026-10');
    expect(byDefault.identity).toMatchObject({ url: 'https://{shop}/admin/api/2026-10/shop.json' });
    const moved = registry({ providers: { shopify: { apiVersion: '2027-01' } } }).get('shopify')!.definition;
    expect(moved.apiVersion).toBe('2027-01');
    expect(moved.identity).toMatchObject({ url: 'https://{shop}/admin/api/2027-01/shop.json' });
    expect(problemsOf({ providers: { shopify: { apiVersion: '2026-11' }, google: { apiVersion: '2026-10' } } }).sort()).toEqual([
      'OAUTH_PROVIDERS_FILE: providers.google.apiVersion: unknown key',
      'OAUTH_PROVIDERS_FILE: providers.shopify.apiVersion: must be a quarterly version such as 2026-10',
    ]);
  });

  it('refuses a file that is not the expected shape', () => {
    expect(problemsOf([])).toEqual(['OAUTH_PROVIDERS_FILE: the file must hold a JSON object { "providers": { … } }']);
    expect(problemsOf({ provider: {} })).toEqual(['OAUTH_PROVIDERS_FILE: provider: unknown key', 'OAUTH_PROVIDERS_FILE: providers: required']);
    expect(problemsOf({ providers: { acme: 'x' } })[0]).toMatch(/^OAUTH_PROVIDERS_FILE: providers\.acme: /);
  });

  it('reports an unreadable file or invalid JSON naming the variable', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'providers-'));
    try {
      await expect(readProvidersFile(path.join(dir, 'missing.json'))).rejects.toThrow(/OAUTH_PROVIDERS_FILE: cannot read .*missing\.json \(ENOENT\)/);
      const bad = path.join(dir, 'bad.json');
      await writeFile(bad, '{ "providers": ');
      await expect(readProvidersFile(bad)).rejects.toThrow(/OAUTH_PROVIDERS_FILE: .*bad\.json is not valid JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the variables to set for a built-in without credentials', () => {
    const registry = buildProviderRegistry({ providerCredentials: { ...noCredentials, box: { clientId: 'box-id' } } });
    expect(registry.get('google')).toMatchObject({ credentialVariables: ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET'], sandbox: false });
    expect(registry.get('google')!.credentials).toBeUndefined();
    expect(registry.get('box')!.credentialVariables).toEqual(['BOX_CLIENT_SECRET']);
  });
});
