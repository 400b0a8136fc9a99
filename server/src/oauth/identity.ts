import type { IdentityFields, IdentitySpec, TokenPresentation } from './specs.js';
import { OAuthError } from './errors.js';
import type { OAuthHttp } from './http.js';
import { oauth1Authorization, type OAuth1Consumer } from './oauth1.js';
import type { TokenSet } from './token-set.js';

/** Who the tokens belong to at the provider. */
export interface ProviderIdentity {
  accountId: string;
  email: string | null;
  label: string;
}

/** The account id used when a provider cannot tell accounts apart (custom provider without userInfoUrl). */
export const SINGLE_ACCOUNT_ID = 'default';

const MAX_ID = 255;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** The headers that present `tokens` to the provider's API. */
export function presentationHeaders(
  presentation: TokenPresentation,
  tokens: Pick<TokenSet, 'accessToken' | 'tokenSecret'>,
  request: { method: string; url: string },
  consumer: OAuth1Consumer,
): Record<string, string> {
  if (presentation.kind === 'header') {
    return { [presentation.name]: presentation.scheme ? `${presentation.scheme} ${tokens.accessToken}` : tokens.accessToken };
  }
  return { Authorization: oauth1Authorization(consumer, request, { key: tokens.accessToken, secret: tokens.tokenSecret ?? '' }) };
}

/** Reads `a.b.c` from a JSON value. */
function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

function firstText(source: unknown, paths: string[] | undefined): string | undefined {
  for (const path of paths ?? []) {
    const v = at(source, path);
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  }
  return undefined;
}

/** The "process" step: an identity out of a JSON document, or `invalid_response`. */
export function processIdentity(source: unknown, fields: IdentityFields): ProviderIdentity {
  const accountId = firstText(source, fields.accountId);
  if (accountId === undefined || accountId.length > MAX_ID) {
    throw new OAuthError('invalid_response', 'The identity answer has no usable account id');
  }
  const rawEmail = firstText(source, fields.email);
  const email = rawEmail !== undefined && EMAIL.test(rawEmail) ? rawEmail : null;
  const label = (firstText(source, fields.label) ?? email ?? accountId).slice(0, MAX_ID);
  return { accountId, email, label };
}

/**
 * Finds out whose tokens these are, as the provider's identity spec says: from the token response
 * itself, or with one request (URL already expanded by the caller).
 * @throws OAuthError
 */
export async function fetchIdentity(
  http: OAuthHttp,
  spec: IdentitySpec,
  input: { tokens: TokenSet; url?: string; consumer: OAuth1Consumer; fallbackLabel: string },
): Promise<ProviderIdentity> {
  if (spec.source === 'none') return { accountId: SINGLE_ACCOUNT_ID, email: null, label: input.fallbackLabel };
  if (spec.source === 'token_response') return processIdentity(input.tokens.fields, spec.fields);

  const url = input.url ?? spec.url;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...presentationHeaders(spec.presentation, input.tokens, { method: spec.method, url }, input.consumer),
  };
  if (spec.jsonNullBody) headers['Content-Type'] = 'application/json';
  const res = await http.send({ method: spec.method, url, headers, ...(spec.jsonNullBody ? { body: 'null' } : {}) });
  if (res.status < 200 || res.status >= 300) {
    throw new OAuthError('http_status', `The identity request answered HTTP ${res.status}`, { status: res.status });
  }
  let document: unknown;
  try {
    document = JSON.parse(res.body);
  } catch {
    throw new OAuthError('invalid_response', 'The identity answer is not JSON');
  }
  return processIdentity(document, spec.fields);
}
