import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigError } from '../shared/config-error.js';
import { BUILT_IN_PROVIDERS } from './catalog.js';
import { PROVIDER_ID, SHOPIFY_API_VERSION, urlTemplateProblem } from './schema.js';
import { templateVariablesOf, type ClientAuthMethod, type ProviderDefinition } from './types.js';

/**
 * OAUTH_PROVIDERS_FILE: `{ "providers": { "<id>": { … } } }`.
 * - A built-in id: each key given replaces that one value (authorizationParams are merged);
 *   clientId/clientSecret beat the environment variables.
 * - Any other id: a generic OAuth 2 provider (authorization code, PKCE S256 by default).
 * Every problem is reported at once, as `OAUTH_PROVIDERS_FILE: providers.<id>.<key>: <rule>`,
 * and never with the value (a secret may sit next to the mistake).
 */

/** What an entry for a built-in provider may change. */
export interface ProviderOverride {
  displayName?: string;
  description?: string;
  authorizationUrl?: string;
  tokenUrl?: string;
  requestTokenUrl?: string;
  userInfoUrl?: string;
  revocationUrl?: string;
  issuer?: string;
  scopes?: string[];
  pkce?: boolean;
  tokenEndpointAuthMethod?: ClientAuthMethod;
  authorizationParams?: Record<string, string>;
  accountsServers?: string[];
  /** Shopify: the Admin API version of the identity request (`2026-10`). */
  apiVersion?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface CustomProviderEntry {
  id: string;
  displayName: string;
  description?: string;
  authorizationUrl: string;
  tokenUrl: string;
  scopes: string[];
  clientId: string;
  clientSecret: string;
  revocationUrl?: string;
  userInfoUrl?: string;
  issuer?: string;
  pkce: boolean;
  tokenEndpointAuthMethod: ClientAuthMethod;
  authorizationParams: Record<string, string>;
}

export interface ProvidersFile {
  overrides: Map<string, ProviderOverride>;
  custom: CustomProviderEntry[];
}

const VARIABLE = 'OAUTH_PROVIDERS_FILE';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Parameters the hub sets itself; configuring them would break the flow or its checks. */
const RESERVED_PARAMS = ['response_type', 'client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method', 'oauth_token'];

/** Operator URLs: https, or http on a loopback host (local tests and development). */
export function operatorUrlProblem(value: string, templatesAllowed: boolean): string | undefined {
  if (!templatesAllowed && templateVariablesOf(value).length > 0) return 'must not contain template variables';
  const problem = urlTemplateProblem(value);
  if (problem) return problem === 'must be an absolute URL' || problem === 'must be an http(s) URL' ? 'must be an https URL' : problem;
  const url = new URL(value.replace(/\{[a-z_]+\}/g, 'x'));
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) return 'must be an https URL';
  return undefined;
}

const text = (what = 'a string') =>
  z.string({ error: (issue) => (issue.input === undefined ? 'required' : `must be ${what}`) }).trim().min(1, 'must not be empty');
const url = (templatesAllowed: boolean) =>
  text('an https URL').superRefine((value, ctx) => {
    const problem = operatorUrlProblem(value, templatesAllowed);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const scopes = z
  .array(z.string({ error: 'must be a string' }).regex(/^[^\s,]+$/, 'a scope must not contain spaces or commas'), {
    error: (issue) => (issue.input === undefined ? 'required' : 'must be an array of scope strings'),
  })
  .max(50, 'at most 50 scopes');
const authorizationParams = z
  .record(z.string(), z.string({ error: 'must be a string' }), { error: 'must be an object of string values' })
  .superRefine((value, ctx) => {
    for (const name of Object.keys(value)) {
      if (RESERVED_PARAMS.includes(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'is set by the hub and cannot be configured' });
    }
  });
const authMethod = z.enum(['client_secret_basic', 'client_secret_post'], { error: 'must be client_secret_basic or client_secret_post' });
const flag = z.boolean({ error: 'must be true or false' });

const common = {
  displayName: text().pipe(z.string().max(200, 'at most 200 characters')),
  description: text().pipe(z.string().max(500, 'at most 500 characters')).optional(),
  authorizationUrl: url(false),
  tokenUrl: url(false),
  scopes,
  clientId: text(),
  clientSecret: text(),
  revocationUrl: url(false).optional(),
  userInfoUrl: url(false).optional(),
  issuer: text().optional(),
  pkce: flag.optional(),
  tokenEndpointAuthMethod: authMethod.optional(),
  authorizationParams: authorizationParams.optional(),
};

const customSchema = z.strictObject(common);

function overrideSchema(def: ProviderDefinition) {
  // Built-in URLs may keep their template variables ({shop}, {accounts_server}).
  const shape = {
    ...common,
    displayName: common.displayName.optional(),
    authorizationUrl: url(true).optional(),
    tokenUrl: url(true).optional(),
    scopes: scopes.optional(),
    clientId: text().optional(),
    clientSecret: text().optional(),
    revocationUrl: url(true).optional(),
    userInfoUrl: url(true).optional(),
  };
  const extra = {
    ...(def.authMode === 'oauth1a' ? { requestTokenUrl: url(true).optional() } : {}),
    ...(def.accountsServers ? { accountsServers: z.array(url(false), { error: 'must be an array of https URLs' }).min(1, 'must not be empty').optional() } : {}),
    ...(def.apiVersion !== undefined
      ? { apiVersion: z.string({ error: 'must be a string' }).regex(SHOPIFY_API_VERSION, 'must be a quarterly version such as 2026-10').optional() }
      : {}),
  };
  return z.strictObject({ ...shape, ...extra }).superRefine((value, ctx) => {
    if (value.userInfoUrl !== undefined && def.identity.source !== 'userinfo') {
      ctx.addIssue({ code: 'custom', path: ['userInfoUrl'], message: `${def.id} identifies accounts without a userinfo request` });
    }
    if (value.revocationUrl !== undefined && def.revocation.kind !== 'request') {
      ctx.addIssue({ code: 'custom', path: ['revocationUrl'], message: `${def.id} has no revocation request` });
    }
  });
}

/** zod issues → `providers.<id>.<key>: <rule>`; unknown keys one by one. */
function describe(prefix: string, issues: z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const at = [prefix, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${VARIABLE}: ${at}.${k}: unknown key`);
    return [`${VARIABLE}: ${at}: ${issue.message}`];
  });
}

/** Parses the file's JSON value; throws ConfigError listing every problem. */
export function parseProvidersFile(json: unknown): ProvidersFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError([`${VARIABLE}: the file must hold a JSON object { "providers": { … } }`]);
  }
  const problems: string[] = [];
  const top = json as Record<string, unknown>;
  for (const key of Object.keys(top)) if (key !== 'providers') problems.push(`${VARIABLE}: ${key}: unknown key`);
  const providers = top.providers;
  if (typeof providers !== 'object' || providers === null || Array.isArray(providers)) {
    throw new ConfigError([...problems, `${VARIABLE}: providers: ${providers === undefined ? 'required' : 'must be an object'}`]);
  }
  const builtIns = new Map<string, ProviderDefinition>(BUILT_IN_PROVIDERS.map((d) => [d.id, d]));
  const result: ProvidersFile = { overrides: new Map(), custom: [] };
  for (const [id, entry] of Object.entries(providers)) {
    const prefix = `providers.${id}`;
    const builtIn = builtIns.get(id);
    if (builtIn) {
      const parsed = overrideSchema(builtIn).safeParse(entry);
      if (parsed.success) result.overrides.set(id, parsed.data as ProviderOverride);
      else problems.push(...describe(prefix, parsed.error.issues));
      continue;
    }
    if (!PROVIDER_ID.test(id)) {
      problems.push(`${VARIABLE}: ${prefix}: the id must match ${PROVIDER_ID.source} (lower-case letters, digits, _ and -)`);
      continue;
    }
    const parsed = customSchema.safeParse(entry);
    if (!parsed.success) {
      problems.push(...describe(prefix, parsed.error.issues));
      continue;
    }
    const p = parsed.data;
    result.custom.push({
      id,
      displayName: p.displayName,
      ...(p.description !== undefined ? { description: p.description } : {}),
      authorizationUrl: p.authorizationUrl,
      tokenUrl: p.tokenUrl,
      scopes: p.scopes,
      clientId: p.clientId,
      clientSecret: p.clientSecret,
      ...(p.revocationUrl !== undefined ? { revocationUrl: p.revocationUrl } : {}),
      ...(p.userInfoUrl !== undefined ? { userInfoUrl: p.userInfoUrl } : {}),
      ...(p.issuer !== undefined ? { issuer: p.issuer } : {}),
      pkce: p.pkce ?? true,
      tokenEndpointAuthMethod: p.tokenEndpointAuthMethod ?? 'client_secret_basic',
      authorizationParams: p.authorizationParams ?? {},
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return result;
}

/** Reads and parses the file; unreadable or invalid JSON is a ConfigError naming the variable. */
export async function readProvidersFile(path: string): Promise<ProvidersFile> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (err) {
    throw new ConfigError([`${VARIABLE}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ConfigError([`${VARIABLE}: ${path} is not valid JSON (${(err as Error).message})`]);
  }
  return parseProvidersFile(json);
}

/** A built-in definition with an override's keys applied (credentials are handled by the registry). */
export function applyOverride(def: ProviderDefinition, o: ProviderOverride): ProviderDefinition {
  const next: ProviderDefinition = {
    ...def,
    endpoints: { ...def.endpoints },
    authorizationParams: { ...def.authorizationParams, ...o.authorizationParams },
  };
  if (o.displayName !== undefined) next.displayName = o.displayName;
  if (o.description !== undefined) next.description = o.description;
  if (o.authorizationUrl !== undefined) next.endpoints.authorizationUrl = o.authorizationUrl;
  if (o.tokenUrl !== undefined) next.endpoints.tokenUrl = o.tokenUrl;
  if (o.requestTokenUrl !== undefined) next.endpoints.requestTokenUrl = o.requestTokenUrl;
  if (o.userInfoUrl !== undefined && def.identity.source === 'userinfo') next.identity = { ...def.identity, url: o.userInfoUrl };
  if (o.revocationUrl !== undefined && def.revocation.kind === 'request') next.revocation = { ...def.revocation, url: o.revocationUrl };
  if (o.issuer !== undefined) next.issuer = o.issuer;
  if (o.scopes !== undefined) next.scopes = [...o.scopes];
  if (o.pkce !== undefined) next.pkce = o.pkce;
  if (o.tokenEndpointAuthMethod !== undefined) next.clientAuth = o.tokenEndpointAuthMethod;
  if (o.accountsServers !== undefined) next.accountsServers = [...o.accountsServers];
  // Shopify retires an Admin API version a year after its release: the operator moves on without a release of the hub.
  if (o.apiVersion !== undefined && def.apiVersion !== undefined && next.identity.source === 'userinfo') {
    next.apiVersion = o.apiVersion;
    next.identity = { ...next.identity, url: next.identity.url.replace(`/admin/api/${def.apiVersion}/`, `/admin/api/${o.apiVersion}/`) };
  }
  return next;
}

/** A generic OAuth 2 provider from its file entry. */
export function customDefinition(e: CustomProviderEntry): ProviderDefinition {
  return {
    id: e.id,
    displayName: e.displayName,
    description: e.description ?? `Connect your ${e.displayName} account.`,
    authMode: 'oauth2',
    endpoints: { authorizationUrl: e.authorizationUrl, tokenUrl: e.tokenUrl },
    scopes: [...e.scopes],
    scopeSeparator: ' ',
    authorizationParams: { ...e.authorizationParams },
    tokenParams: {},
    pkce: e.pkce,
    clientAuth: e.tokenEndpointAuthMethod,
    ...(e.issuer !== undefined ? { issuer: e.issuer } : {}),
    tokenMetadata: [],
    identity: e.userInfoUrl
      ? {
          source: 'userinfo',
          url: e.userInfoUrl,
          method: 'GET',
          presentation: { kind: 'header', name: 'Authorization', scheme: 'Bearer' },
          fields: { accountId: ['sub', 'email'], email: ['email'], label: ['name', 'email', 'preferred_username', 'sub'] },
        }
      : { source: 'none' },
    // A generic server may or may not rotate: the refresher stores whatever it returns (S16).
    refresh: { supported: true, rotatesRefreshToken: false },
    revocation: e.revocationUrl
      ? {
          kind: 'request',
          method: 'POST',
          url: e.revocationUrl,
          tokens: ['refresh_token', 'access_token'],
          tokenIn: 'form',
          clientAuth: e.tokenEndpointAuthMethod,
        }
      : { kind: 'none' },
  };
}
