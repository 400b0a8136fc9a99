import { isIP } from 'node:net';
import { z } from 'zod';
import { BUILT_IN_PROVIDER_IDS, type BuiltInProviderId } from '../providers/ids.js';
import { ConfigError } from '../shared/config-error.js';

/**
 * The hub's whole configuration: one schema, parsed once at start-up. Every invalid
 * variable is reported in one message (never with its value: some of them are secrets).
 * `.env.example` documents each variable; keep the two in step.
 */

/** The built-in providers' ids come from the catalog: `<ID>_CLIENT_ID` / `<ID>_CLIENT_SECRET` for each. */
export const PROVIDER_IDS = BUILT_IN_PROVIDER_IDS;
export type { BuiltInProviderId };

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

/** The address forms express's `trust proxy` takes (proxy-addr): an IP, IP/prefix, IPv4/netmask, or a named range. */
const TRUST_PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const TRUST_PROXY_MAX_HOPS = 10;

function isTrustedProxyAddress(entry: string): boolean {
  if (TRUST_PROXY_NAMES.has(entry)) return true;
  const slash = entry.lastIndexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash === -1) return true;
  const range = entry.slice(slash + 1);
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  // An IPv4 netmask (255.255.0.0) is accepted by proxy-addr too.
  return family === 4 && isIP(range) === 4;
}

/**
 * `TRUST_PROXY` (S38): which hops in front of the hub may name the client's address in
 * X-Forwarded-For. Unset / `0` / `false`: none (the socket's address is the client). A number:
 * exactly that many hops (`1`: one reverse proxy; the client is the right-most address it
 * appended, whatever the client itself sent). A comma-separated list of IPs, CIDRs or the names
 * `loopback`, `linklocal`, `uniquelocal`: proxies at those addresses. `true` ("trust every hop")
 * is refused: with it any client picks its own address for throttling, audit and sessions.
 */
const trustProxySchema = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .optional()
    .transform((raw, ctx): false | number | string[] => {
      const value = raw?.trim().toLowerCase();
      if (value === undefined || value === '0' || value === 'false') return false;
      if (value === 'true') {
        ctx.addIssue({
          code: 'custom',
          message:
            "'true' (trust every hop) is refused: give the number of proxies in front of the hub (e.g. 1) or their addresses (e.g. loopback or 10.0.0.0/8)",
        });
        return z.NEVER;
      }
      if (/^\d+$/.test(value)) {
        const hops = Number(value);
        if (hops <= TRUST_PROXY_MAX_HOPS) return hops;
        ctx.addIssue({ code: 'custom', message: `a hop count must be between 0 and ${TRUST_PROXY_MAX_HOPS}` });
        return z.NEVER;
      }
      const entries = value.split(',').map((e) => e.trim());
      if (entries.some((e) => !isTrustedProxyAddress(e))) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a hop count (e.g. 1) or a comma-separated list of IP addresses, CIDRs (10.0.0.0/8) or loopback, linklocal, uniquelocal',
        });
        return z.NEVER;
      }
      return entries;
    }),
);

const envSchema = z.object({
  // Unset is not development: stack traces and file paths only with NODE_ENV=development (S39).
  NODE_ENV: z.preprocess(emptyToUndefined, z.enum(['development', 'production', 'test']).optional()),
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
  PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://localhost:3000' })
      .transform((u) => u.replace(/\/+$/, ''))
      // Unset: follows PORT and HOST (defaultPublicUrl), so `PORT=3907` alone still links to itself.
      .optional(),
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
  TRUST_PROXY: trustProxySchema,
  REFRESH_MARGIN_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(86_400).default(300)),
  REFRESHER_ENABLED: booleanFlag(true),
  REFRESHER_INTERVAL_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(86_400).default(60)),
  REFRESHER_BATCH_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000).default(100)),
  SIGNUP_MAX_PER_IP_PER_HOUR: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100_000).default(10)),
  MAX_PENDING_AUTHORIZATIONS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1000).default(10)),
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
  /**
   * As set; unset is its own case: not development (no stack traces in answers, S39) and not
   * production (a key is generated when ENCRYPTION_KEY is unset; SANDBOX is allowed).
   */
  nodeEnv: 'development' | 'production' | 'test' | undefined;
  port: number;
  host: string;
  publicUrl: string;
  /** Absent: embedded PGlite in `${dataDir}/pglite`. */
  databaseUrl?: string;
  dataDir: string;
  /** Hex of the current key, when given by the environment (see vault/key-resolution.ts for the rest). */
  encryptionKey?: string;
  encryptionKeysPrevious: string[];
  logLevel: string;
  serviceToken?: string;
  providersFile?: string;
  sandbox: boolean;
  /** express's `trust proxy`: false (no proxy), a hop count, or proxy addresses / CIDRs (S38). */
  trustProxy: false | number | string[];
  /** A token valid for less than this is refreshed before it is handed out (and by the background refresher). */
  refreshMarginSeconds: number;
  /** The background refresher: every `intervalSeconds`, up to `batchSize` expiring connections per claim. */
  refresher: { enabled: boolean; intervalSeconds: number; batchSize: number };
  /** Sign-up attempts (accepted or not) per client address per hour (S36). */
  signUpsPerIpPerHour: number;
  /** Live (unused, unexpired) pending authorizations one user may hold; more connects are refused (S37). */
  maxPendingAuthorizations: number;
  providerCredentials: Record<BuiltInProviderId, ProviderCredentials>;
}

export { ConfigError };

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
    publicUrl: v.PUBLIC_URL ?? defaultPublicUrl(v.PORT, v.HOST),
    dataDir: v.DATA_DIR,
    encryptionKeysPrevious: v.ENCRYPTION_KEYS_PREVIOUS ?? [],
    logLevel: v.LOG_LEVEL ?? (v.NODE_ENV === 'test' ? 'warn' : 'info'),
    sandbox: v.SANDBOX,
    trustProxy: v.TRUST_PROXY,
    refreshMarginSeconds: v.REFRESH_MARGIN_SECONDS,
    refresher: { enabled: v.REFRESHER_ENABLED, intervalSeconds: v.REFRESHER_INTERVAL_SECONDS, batchSize: v.REFRESHER_BATCH_SIZE },
    signUpsPerIpPerHour: v.SIGNUP_MAX_PER_IP_PER_HOUR,
    maxPendingAuthorizations: v.MAX_PENDING_AUTHORIZATIONS,
    providerCredentials,
  };
  if (v.DATABASE_URL) config.databaseUrl = v.DATABASE_URL;
  if (v.ENCRYPTION_KEY) config.encryptionKey = v.ENCRYPTION_KEY.toLowerCase();
  if (v.HUB_SERVICE_TOKEN) config.serviceToken = v.HUB_SERVICE_TOKEN;
  if (v.OAUTH_PROVIDERS_FILE) config.providersFile = v.OAUTH_PROVIDERS_FILE;
  return config;
}

/**
 * PUBLIC_URL when unset: where a browser on this machine reaches the hub. A wildcard HOST
 * (0.0.0.0, ::) listens on every address, so `localhost`; a specific HOST is the only address
 * that answers, so that one (IPv6 in brackets). With PORT=0 the port is only known after
 * listening: set PUBLIC_URL (startHub warns in sandbox mode, see publicUrlMismatch).
 */
export function defaultPublicUrl(port: number, host: string): string {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '[::]';
  const name = wildcard ? 'localhost' : isIP(host) === 6 ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

const LOOPBACK_NAMES = /^(localhost|.+\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * In sandbox mode the browser AND the hub itself reach the simulator through PUBLIC_URL: when it
 * names this machine (a loopback name) on another port than the one the hub listens on, every
 * Connect fails with "connection refused". A proxy in front (a non-loopback host) is left alone.
 * Returns the start-up warning, or undefined.
 */
export function publicUrlMismatch(config: Pick<Config, 'publicUrl' | 'sandbox'>, listeningPort: number): string | undefined {
  if (!config.sandbox) return undefined;
  const url = new URL(config.publicUrl);
  if (!LOOPBACK_NAMES.test(url.hostname)) return undefined;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (port === listeningPort) return undefined;
  return (
    `PUBLIC_URL (${config.publicUrl}) points at port ${port} of this machine but the hub listens on port ${listeningPort}: ` +
    `sandbox Connect links will fail. Unset PUBLIC_URL (it follows PORT) or set it to http://localhost:${listeningPort}`
  );
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
