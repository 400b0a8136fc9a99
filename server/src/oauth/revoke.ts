import { expandTemplate, type ClientCredentials, type RevocationSpec, type TemplateVars } from './specs.js';
import { OAuthError, oauthErrorWord } from './errors.js';
import type { IncomingResponse, OAuthHttp, OutgoingRequest } from './http.js';
import { presentationHeaders } from './identity.js';
import { basicAuthorization } from './oauth2.js';
import { sendWithOneReconnect } from './reconnect.js';

/**
 * Token revocation as the catalog's RevocationSpec describes it (RFC 7009 form posts, Dropbox's
 * Bearer call, Trello's DELETE, Shopify's uninstall, Zoho's query parameter), in the OAuth
 * layer's three steps: build, send, process. S22: the method and client authentication are
 * exactly the spec's.
 */
export type RequestRevocationSpec = Extract<RevocationSpec, { kind: 'request' }>;

export interface RevocationInput {
  spec: RequestRevocationSpec;
  /** Template variables of the connection ({shop}, {accounts_server}). */
  vars: TemplateVars;
  credentials: ClientCredentials;
  /** The token to revoke: the first of `spec.tokens` the connection has (see `pickRevocationToken`). */
  token: string;
  /** For `presentation` specs: the tokens that authenticate the call. */
  accessToken: string;
  tokenSecret?: string | null;
}

/** The first token the spec names that the connection holds, or undefined. */
export function pickRevocationToken(spec: RequestRevocationSpec, tokens: { accessToken: string; refreshToken: string | null }): { kind: 'refresh_token' | 'access_token'; value: string } | undefined {
  for (const kind of spec.tokens) {
    const value = kind === 'refresh_token' ? tokens.refreshToken : tokens.accessToken;
    if (value) return { kind, value };
  }
  return undefined;
}

/** Step 1: the request. */
export function buildRevocationRequest(input: RevocationInput): OutgoingRequest {
  const { spec, credentials, token } = input;
  const url = new URL(expandTemplate(spec.url, { ...input.vars, ...(spec.tokenIn === 'path' ? { token: encodeURIComponent(token) } : {}) }));
  const form = new URLSearchParams();
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (spec.tokenIn === 'form') form.set('token', token);
  if (spec.tokenIn === 'query') url.searchParams.set('token', token);
  if (spec.presentation?.kind === 'header') {
    Object.assign(headers, presentationHeaders(spec.presentation, { accessToken: input.accessToken }, { method: spec.method, url: url.toString() }, { key: credentials.clientId, secret: credentials.clientSecret }));
  } else if (spec.presentation?.kind === 'oauth1') {
    // Trello's REST API (where its tokens are deleted) documents key + token query parameters:
    // DELETE /1/tokens/{token}?key=<API key>&token=<token> (docs/providers.md).
    url.searchParams.set('key', credentials.clientId);
    url.searchParams.set('token', input.accessToken);
  }
  if (spec.clientAuth === 'client_secret_post') {
    form.set('client_id', credentials.clientId);
    form.set('client_secret', credentials.clientSecret);
  } else if (spec.clientAuth === 'client_secret_basic') {
    headers.Authorization = basicAuthorization(credentials.clientId, credentials.clientSecret);
  }
  const hasForm = [...form.keys()].length > 0;
  if (hasForm) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return { method: spec.method, url: url.toString(), headers, ...(hasForm ? { body: form.toString() } : {}) };
}

/** Why a revocation did not happen; reported as `revocationError` and audited. */
export type RevocationFailureReason = 'provider_unavailable' | 'timeout' | 'malformed_response' | 'revocation_rejected';

export type RevocationResult = { revoked: true; alreadyInvalid: boolean } | { revoked: false; reason: RevocationFailureReason; status?: number };

/**
 * The error word of a revocation answer: JSON `error` (RFC 7009 §2.2.1), Dropbox's
 * `error[".tag"]`, or a short plain-text body (Trello's `invalid token`).
 */
export function revocationErrorWord(body: string | undefined): string | undefined {
  const text = (body ?? '').trim();
  if (text === '') return undefined;
  try {
    const doc: unknown = JSON.parse(text);
    if (typeof doc !== 'object' || doc === null) return undefined;
    const error = (doc as { error?: unknown }).error;
    if (typeof error === 'string') return oauthErrorWord(error);
    if (typeof error === 'object' && error !== null) return oauthErrorWord((error as Record<string, unknown>)['.tag']);
    return undefined;
  } catch {
    return oauthErrorWord(text);
  }
}

/** Step 3: the answer. 2xx revoked; the spec's "already invalid" answers count as revoked (RFC 7009 §2.2). */
export function processRevocationResponse(spec: RequestRevocationSpec, res: Pick<IncomingResponse, 'status'> & { body?: string }): RevocationResult {
  if (res.status >= 200 && res.status < 300) return { revoked: true, alreadyInvalid: false };
  if (spec.alreadyInvalidStatuses?.includes(res.status)) return { revoked: true, alreadyInvalid: true };
  const matching = spec.alreadyInvalid?.filter((a) => a.status === res.status) ?? [];
  if (matching.length > 0) {
    const word = revocationErrorWord(res.body);
    if (matching.some((a) => a.error === undefined || a.error === word)) return { revoked: true, alreadyInvalid: true };
  }
  if (res.status >= 500 || res.status === 429) return { revoked: false, reason: 'provider_unavailable', status: res.status };
  return { revoked: false, reason: 'revocation_rejected', status: res.status };
}

/** A transport failure as a revocation outcome. */
export function revocationFailureOf(err: OAuthError): RevocationResult {
  if (err.code === 'timeout') return { revoked: false, reason: 'timeout' };
  if (err.code === 'invalid_response') return { revoked: false, reason: 'malformed_response' };
  return { revoked: false, reason: 'provider_unavailable' };
}

/** Build → send → process. Never throws for the provider's behaviour; only for bugs. */
export async function revokeToken(http: OAuthHttp, input: RevocationInput): Promise<RevocationResult> {
  let res: IncomingResponse;
  try {
    res = await sendWithOneReconnect(http, buildRevocationRequest(input));
  } catch (err) {
    if (err instanceof OAuthError) return revocationFailureOf(err);
    throw err;
  }
  return processRevocationResponse(input.spec, res);
}
