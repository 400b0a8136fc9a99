import { z } from 'zod';
import type { ProviderHook } from './hooks/hook.js';
import { HOOK_NAMES, TEMPLATE_VARIABLES, templateVariablesOf, type HookName, type ProviderDefinition } from './types.js';

/**
 * The catalog's schema, checked at start-up on the definitions the hub will really run (built-ins
 * after overrides and sandbox, plus custom providers) and in the tests. Beyond shapes it checks
 * what ties data to code: a named hook exists, OAuth 1.0a has a hook with a flow, and every URL
 * template variable is one the provider's hook supplies.
 */

export const PROVIDER_ID = /^[a-z][a-z0-9_-]{1,39}$/;

/** Sample values for template variables, so a template can be checked as a URL. */
const SAMPLE: Record<string, string> = { shop: 'sample.myshopify.com', accounts_server: 'https://accounts.example.com', token: 'sample' };

/** An absolute http(s) URL once its template variables are filled in; undefined when it is one. */
export function urlTemplateProblem(template: string): string | undefined {
  const unknown = templateVariablesOf(template).filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v));
  if (unknown.length > 0) return `unknown template variable {${unknown[0]}}`;
  let url: URL;
  try {
    url = new URL(template.replace(/\{([a-z_]+)\}/g, (_m, name: string) => SAMPLE[name]!));
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not contain credentials';
  if (url.hash) return 'must not contain a fragment';
  return undefined;
}

const urlTemplate = z.string().superRefine((value, ctx) => {
  const problem = urlTemplateProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const word = z.string().min(1).max(200);
const params = z.record(z.string().min(1), z.string());
const presentation = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('header'), name: z.string().regex(/^[A-Za-z0-9-]+$/), scheme: z.string().regex(/^[A-Za-z0-9-]+$/).optional() }),
  z.strictObject({ kind: z.literal('oauth1') }),
]);
const paths = z.array(z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/)).min(1);
const identityFields = z.strictObject({ accountId: paths, email: paths.optional(), label: paths.optional() });
const clientAuth = z.enum(['client_secret_basic', 'client_secret_post']);

/** A quarterly Admin API version (`2026-10`). */
export const SHOPIFY_API_VERSION = /^\d{4}-(01|04|07|10)$/;

export const providerDefinitionSchema = z.strictObject({
  id: z.string().regex(PROVIDER_ID),
  displayName: word,
  iconKey: z.string().regex(/^[a-z0-9]{1,64}$/).optional(),
  description: z.string().max(500),
  authMode: z.enum(['oauth2', 'oauth1a']),
  endpoints: z.strictObject({ authorizationUrl: urlTemplate, tokenUrl: urlTemplate, requestTokenUrl: urlTemplate.optional() }),
  scopes: z.array(z.string().min(1).regex(/^[^\s,]+$/, 'a scope must not contain spaces or commas')),
  scopeSeparator: z.enum([' ', ',']),
  authorizationParams: params,
  tokenParams: params,
  pkce: z.boolean(),
  clientAuth,
  issuer: z.string().min(1).optional(),
  tokenMetadata: z.array(z.string().regex(/^[a-z_][a-z0-9_]*$/)),
  identity: z.discriminatedUnion('source', [
    z.strictObject({
      source: z.literal('userinfo'),
      url: urlTemplate,
      method: z.enum(['GET', 'POST']),
      presentation,
      jsonNullBody: z.boolean().optional(),
      fields: identityFields,
    }),
    z.strictObject({ source: z.literal('token_response'), fields: identityFields }),
    z.strictObject({ source: z.literal('none') }),
  ]),
  refresh: z.strictObject({
    supported: z.boolean(),
    rotatesRefreshToken: z.boolean(),
    deadGrantErrors: z.array(z.string().min(1).max(64)).optional(),
    transientErrors: z.array(z.string().min(1).max(64)).optional(),
  }),
  revocation: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('none') }),
    z.strictObject({
      kind: z.literal('request'),
      method: z.enum(['POST', 'DELETE']),
      url: urlTemplate,
      tokens: z.array(z.enum(['refresh_token', 'access_token'])).min(1),
      tokenIn: z.enum(['form', 'query', 'path', 'presentation']),
      presentation: presentation.optional(),
      clientAuth: z.union([clientAuth, z.literal('none')]),
      revokesWholeGrant: z.boolean().optional(),
      alreadyInvalidStatuses: z.array(z.number().int().min(400).max(599)).optional(),
      alreadyInvalid: z.array(z.strictObject({ status: z.number().int().min(400).max(599), error: z.string().min(1).max(64).optional() })).optional(),
    }),
  ]),
  hook: z.enum(HOOK_NAMES as [HookName, ...HookName[]]).optional(),
  accountsServers: z.array(z.url()).min(1).optional(),
  refreshTokenLifetime: z
    .strictObject({
      absoluteDays: z.number().int().positive().optional(),
      idleDays: z.number().int().positive().optional(),
      note: z.string().min(1).max(500),
      source: z.url(),
    })
    .optional(),
  singleGrantPerAccount: z.boolean().optional(),
  apiVersion: z.string().regex(SHOPIFY_API_VERSION).optional(),
});

/**
 * Validates the whole catalog; returns one problem per line (`<id>.<path>: <message>`), empty
 * when it is valid.
 */
export function catalogProblems(definitions: readonly ProviderDefinition[], hooks: Readonly<Record<string, ProviderHook>>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const def of definitions) {
    const id = typeof def?.id === 'string' ? def.id : '(no id)';
    const add = (path: string, message: string) => problems.push(`${id}${path ? `.${path}` : ''}: ${message}`);
    const parsed = providerDefinitionSchema.safeParse(def);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) add(issue.path.join('.'), issue.message);
      continue;
    }
    if (seen.has(def.id)) add('id', 'duplicate provider id');
    seen.add(def.id);

    const hook = def.hook === undefined ? undefined : hooks[def.hook];
    if (def.hook !== undefined && !hook) add('hook', `names the hook "${def.hook}", which does not exist`);
    if (def.authMode === 'oauth1a') {
      if (!hook?.flow) add('hook', 'an OAuth 1.0a provider must name a hook with a flow');
      if (!def.endpoints.requestTokenUrl) add('endpoints.requestTokenUrl', 'required for OAuth 1.0a');
    } else if (def.endpoints.requestTokenUrl) {
      add('endpoints.requestTokenUrl', 'only for OAuth 1.0a');
    }
    const provided = new Set<string>(hook?.provides ?? []);
    const templates: Array<[string, string | undefined]> = [
      ['endpoints.authorizationUrl', def.endpoints.authorizationUrl],
      ['endpoints.tokenUrl', def.endpoints.tokenUrl],
      ['endpoints.requestTokenUrl', def.endpoints.requestTokenUrl],
      ['identity.url', def.identity.source === 'userinfo' ? def.identity.url : undefined],
      ['revocation.url', def.revocation.kind === 'request' ? def.revocation.url : undefined],
    ];
    for (const [path, template] of templates) {
      for (const v of templateVariablesOf(template ?? '')) {
        const pathToken = path === 'revocation.url' && v === 'token' && def.revocation.kind === 'request' && def.revocation.tokenIn === 'path';
        if (!pathToken && !provided.has(v)) add(path, `uses {${v}}, which no hook of this provider supplies`);
      }
    }
    if (def.revocation.kind === 'request') {
      const r = def.revocation;
      if (r.tokenIn === 'path' && !r.url.includes('{token}')) add('revocation.url', 'tokenIn "path" needs {token} in the URL');
      if (r.tokenIn === 'presentation' && !r.presentation) add('revocation.presentation', 'required when the token authenticates the call');
    }
    if (def.apiVersion !== undefined && !(def.identity.source === 'userinfo' && def.identity.url.includes(`/admin/api/${def.apiVersion}/`))) {
      add('apiVersion', 'the identity URL must contain /admin/api/<apiVersion>/');
    }
    if (def.hook === 'zoho' && !def.accountsServers) add('accountsServers', 'required by the zoho hook');
    if (def.hook !== 'zoho' && def.accountsServers) add('accountsServers', 'only for the zoho hook');
    for (const p of ['code_challenge', 'code_challenge_method', 'state', 'redirect_uri', 'client_id', 'response_type', 'scope', 'oauth_token']) {
      if (Object.hasOwn(def.authorizationParams, p)) add(`authorizationParams.${p}`, 'is set by the hub and cannot be configured');
    }
  }
  return problems;
}
