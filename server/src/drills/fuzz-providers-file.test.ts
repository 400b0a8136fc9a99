import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, PROVIDER_IDS } from '../config/env.js';
import { parseProvidersFile, readProvidersFile } from '../providers/overrides.js';
import { buildProviderRegistry } from '../providers/registry.js';

/**
 * Fuzz drill for OAUTH_PROVIDERS_FILE (fast-check, bounded runs, fixed seeds): arbitrary JSON,
 * near-valid files (real keys with wrong, hostile or huge values; real and made-up provider ids;
 * `__proto__` and `constructor` keys) and arbitrary file bytes. The parser either accepts the
 * file — and then the registry builds from it or refuses with a ConfigError — or refuses it with
 * a ConfigError whose every line names the variable and never contains a secret value from the file.
 * Nothing else may escape (TypeError, RangeError, a prototype change …).
 */
const noCredentials = Object.fromEntries(PROVIDER_IDS.map((id) => [id, {}])) as ReturnType<typeof parseConfig>['providerCredentials'];
/** Planted as every clientSecret: it must never appear in an error message. */
const SECRET = 'SECRET-7f3a9c1e-do-not-print';

const KEYS = [
  'displayName',
  'description',
  'authorizationUrl',
  'tokenUrl',
  'requestTokenUrl',
  'userInfoUrl',
  'revocationUrl',
  'issuer',
  'scopes',
  'pkce',
  'tokenEndpointAuthMethod',
  'authorizationParams',
  'accountsServers',
  'clientId',
  'clientSecret',
  '__proto__',
  'constructor',
  'toString',
];

const hostileString = fc.oneof(
  fc.string({ maxLength: 30, unit: 'binary' }),
  fc.constantFrom(
    'https://auth.example/authorize',
    'https://token.example/{shop}/token',
    'https://{accounts_server}/oauth/v2/token',
    'http://127.0.0.1:1/token',
    'http://evil.example/token',
    'https://[::1]/x',
    'javascript:alert(1)',
    'https://user:pass@host.example/',
    'https://host.example/{unknown}',
    'https://host.example/{',
    'https://%zz/',
    '',
    ' ',
    '\u0000',
    'client_secret_basic',
    'client_secret_post',
    'none',
  ),
  fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(null)) },
  { weight: 2, arbitrary: fc.array(hostileString, { maxLength: 60 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.oneof(fc.constantFrom('state', 'prompt', 'hd', 'client_id', 'redirect_uri', '__proto__'), fc.string({ maxLength: 8 })), fc.oneof(hostileString, fc.integer()), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

const entry = fc
  .dictionary(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), value, { maxKeys: 10 })
  .map((e) => ('clientSecret' in e ? { ...e, clientSecret: SECRET } : e));

const providerId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PROVIDER_IDS) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_-]{1,12}$/) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 45 }), fc.constantFrom('__proto__', 'constructor', 'GOOGLE', '', 'a'.repeat(41))) },
);

const file = fc.oneof(
  { weight: 5, arbitrary: fc.dictionary(providerId, fc.oneof({ weight: 6, arbitrary: entry }, { weight: 1, arbitrary: value }), { maxKeys: 5 }).map((providers) => ({ providers })) },
  { weight: 1, arbitrary: fc.record({ providers: value }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

/** As the file reader would see it: JSON text parsed (so `__proto__` is an own key, as from a file). */
const asFromFile = (v: unknown): unknown => JSON.parse(JSON.stringify(v) ?? 'null');

function expectConfigError(err: unknown): void {
  expect(err).toBeInstanceOf(ConfigError);
  for (const problem of (err as ConfigError).problems) {
    expect(problem.startsWith('OAUTH_PROVIDERS_FILE') || problem.startsWith('provider catalog:')).toBe(true);
    expect(problem).not.toContain(SECRET);
  }
  expect((err as ConfigError).message).not.toContain(SECRET);
}

describe('fuzz: OAUTH_PROVIDERS_FILE', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'hub-fuzz-providers-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('arbitrary and near-valid JSON: accepted and built, or a ConfigError naming the variable without the secret; nothing else escapes', () => {
    const outcomes = { accepted: 0, refused: 0, refusedByRegistry: 0 };
    fc.assert(
      fc.property(file, (raw) => {
        const json = asFromFile(raw);
        let parsed: ReturnType<typeof parseProvidersFile>;
        try {
          parsed = parseProvidersFile(json);
        } catch (err) {
          expectConfigError(err);
          outcomes.refused++;
          return;
        }
        try {
          const registry = buildProviderRegistry({ providerCredentials: noCredentials, file: parsed });
          for (const p of registry.list()) {
            expect(typeof p.definition.endpoints.tokenUrl).toBe('string');
            expect(p.definition.id).toMatch(/^[a-z][a-z0-9_-]{1,39}$/);
          }
          outcomes.accepted++;
        } catch (err) {
          expectConfigError(err);
          outcomes.refusedByRegistry++;
        }
        // Nothing leaked onto shared prototypes.
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 3_000, seed: 2_201 },
    );
    console.log(`providers file fuzz: ${JSON.stringify(outcomes)}`);
    // A fuzz that never gets a file through proves little about the accepting path.
    expect(outcomes.accepted).toBeGreaterThan(50);
  }, 60_000);

  it('arbitrary file contents (bytes, truncated JSON): readProvidersFile refuses with a ConfigError, never anything else', async () => {
    const contents = fc.oneof(
      fc.string({ maxLength: 200, unit: 'binary' }),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.jsonValue({ maxDepth: 3 }).map((v) => {
        const text = JSON.stringify(v) ?? '';
        return text.slice(0, Math.max(0, text.length - 1)); // truncated
      }),
      file.map((v) => JSON.stringify(v)),
    );
    const target = path.join(dir, 'providers.json');
    await fc.assert(
      fc.asyncProperty(contents, async (c) => {
        await writeFile(target, c);
        try {
          await readProvidersFile(target);
        } catch (err) {
          expectConfigError(err);
        }
      }),
      { numRuns: 400, seed: 2_202 },
    );
  }, 60_000);
});
