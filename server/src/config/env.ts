import { z } from 'zod';

/**
 * The hub's whole configuration: one schema, parsed once at start-up. Every invalid
 * variable is reported in one message (never with its value: some of them are secrets).
 * `.env.example` documents each variable; keep the two in step.
 */

export const PROVIDER_IDS = ['google', 'asana', 'dropbox', 'box', 'trello', 'shopify', 'zoho'] as const;
export type BuiltInProviderId = (typeof PROVIDER_IDS)[number];

/** Older variable names accepted for compatibility with the original design. */
export const ENV_ALIASES: Readonly<Record<string, string>> = {
  ATOM_GDRIVE_CLIENT_ID: 'GOOGLE_CLIENT_ID',
  ATOM_GDRIVE_CLIENT_SECRET: 'GOOGLE_CLIENT_SECRET',
  DROPBOX_APP_KEY: 'DROPBOX_CLIENT_ID',
  DROPBOX_APP_SECRET: 'DROPBOX_CLIENT_SECRET',
};

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const booleanFlag = (fallback: boolean) =>
  z.preprocess(emptyToUndefined, z.enum(['1', '0', 'true', 'false']).optional()).transform((v) =>
    v === undefined ? fallback : v === '1' || v === 'true',
  );

const envSchema = z.object({
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).default('development')),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://localhost:3000' })
      .default('http://localhost:3000')
      .transform((u) => u.replace(/\/+$/, '')),
  ),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
  ENCRYPTION_KEY: z.preprocess(
    emptyToUndefined,
    z.string().regex(HEX_KEY, 'must be 64 hexadecimal characters (256 bits); generate one with: openssl rand -hex 32').optional(),
  ),
  ENCRYPTION_KEYS_PREVIOUS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((s) => s.split(',').map((k) => k.trim()).filter(Boolean))
      .refine((keys) => keys.every((k) => HEX_KEY.test(k)), 'must be a comma-separated list of 64-hex-character keys')
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  HUB_SERVICE_TOKEN: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  OAUTH_PROVIDERS_FILE: optionalString,
  SANDBOX: booleanFlag(false),
  TRUST_PROXY: booleanFlag(false),
  REFRESH_MARGIN_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(86_400).default(300)),
  REFRESHER_ENABLED: booleanFlag(true),
  REFRESHER_INTERVAL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(86_400).default(60)),
  REFRESHER_BATCH_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000).default(100)),
  ...Object.fromEntries(
    PROVIDER_IDS.flatMap((id) => [
      [`${id.toUpperCase()}_CLIENT_ID`, optionalString],
      [`${id.toUpperCase()}_CLIENT_SECRET`, optionalString],
    ]),
  ),
});

export interface ProviderCredentials {
  clientId?: string;
  clientSecret?: string;
}

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  /** Absent: embedded PGlite in `${dataDir}/pglite`. */
  databaseUrl?: string;
  dataDir: string;
  /** Hex of the current key, when given by the environment (see encryption-key.ts for the rest). */
  encryptionKey?: string;
  encryptionKeysPrevious: string[];
  logLevel: string;
  serviceToken?: string;
  providersFile?: string;
  sandbox: boolean;
  trustProxy: boolean;
  /** A token valid for less than this is refreshed before it is handed out (and by the background refresher). */
  refreshMarginSeconds: number;
  /** The background refresher: every `intervalSeconds`, up to `batchSize` expiring connections per claim. */
  refresher: { enabled: boolean; intervalSeconds: number; batchSize: number };
  providerCredentials: Record<BuiltInProviderId, ProviderCredentials>;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Applies the aliases: an alias only fills a variable that is not set under its new name. */
function withAliases(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env };
  for (const [alias, name] of Object.entries(ENV_ALIASES)) {
    if ((out[name] === undefined || out[name] === '') && out[alias] !== undefined) out[name] = out[alias];
  }
  return out;
}

export function parseConfig(rawEnv: Record<string, string | undefined>): Config {
  const env = withAliases(rawEnv);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Name each variable and the rule; never the value (it may be a secret).
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const v = parsed.data as z.infer<typeof envSchema> & Record<string, string | undefined>;
  const problems: string[] = [];
  if (v.SANDBOX && v.NODE_ENV === 'production') {
    problems.push('SANDBOX: sandbox mode is refused when NODE_ENV=production');
  }
  if (problems.length) throw new ConfigError(problems);

  const providerCredentials = Object.fromEntries(
    PROVIDER_IDS.map((id) => {
      const clientId = v[`${id.toUpperCase()}_CLIENT_ID`];
      const clientSecret = v[`${id.toUpperCase()}_CLIENT_SECRET`];
      const creds: ProviderCredentials = {};
      if (clientId) creds.clientId = clientId;
      if (clientSecret) creds.clientSecret = clientSecret;
      return [id, creds];
    }),
  ) as Record<BuiltInProviderId, ProviderCredentials>;

  const config: Config = {
    nodeEnv: v.NODE_ENV,
    port: v.PORT,
    host: v.HOST,
    publicUrl: v.PUBLIC_URL,
    dataDir: v.DATA_DIR,
    encryptionKeysPrevious: v.ENCRYPTION_KEYS_PREVIOUS ?? [],
    logLevel: v.LOG_LEVEL ?? (v.NODE_ENV === 'test' ? 'warn' : 'info'),
    sandbox: v.SANDBOX,
    trustProxy: v.TRUST_PROXY,
    refreshMarginSeconds: v.REFRESH_MARGIN_SECONDS,
    refresher: { enabled: v.REFRESHER_ENABLED, intervalSeconds: v.REFRESHER_INTERVAL_SECONDS, batchSize: v.REFRESHER_BATCH_SIZE },
    providerCredentials,
  };
  if (v.DATABASE_URL) config.databaseUrl = v.DATABASE_URL;
  if (v.ENCRYPTION_KEY) config.encryptionKey = v.ENCRYPTION_KEY.toLowerCase();
  if (v.HUB_SERVICE_TOKEN) config.serviceToken = v.HUB_SERVICE_TOKEN;
  if (v.OAUTH_PROVIDERS_FILE) config.providersFile = v.OAUTH_PROVIDERS_FILE;
  return config;
}

/** `postgres://user:secret@host/db` → `postgres://user:****@host/db`, for messages and logs. */
export function maskDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
