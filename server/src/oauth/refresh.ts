import type { OAuthError } from './errors.js';
import type { IncomingResponse, OAuthHttp, OutgoingRequest } from './http.js';
import { basicAuthorization } from './oauth2.js';
import { sendWithOneReconnect } from './reconnect.js';
import { processTokenHttpResponse, type TokenResponseOptions } from './token-response.js';
import type { TokenSet } from './token-set.js';

/**
 * The refresh-token grant (RFC 6749 §6) in three strict steps: build the request, send it
 * through the hub's transport, then process the answer. Built here rather than with
 * client-oauth2's `token.refresh()`, which always adds a Basic header (Box, Asana, Shopify and
 * Zoho read client credentials from the body only) and merges the old token data into the new
 * one, hiding whether the provider rotated the refresh token (S16).
 */
export interface RefreshGrantInput {
  /** The provider's token endpoint for this connection, templates already expanded (S19). */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  clientAuth: 'client_secret_basic' | 'client_secret_post';
  refreshToken: string;
  scopeSeparator: ' ' | ',';
}

/** Step 1: the request. client_secret_post puts client_id and client_secret in the body (Shopify needs both there). */
export function buildRefreshRequest(input: RefreshGrantInput): OutgoingRequest {
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: input.refreshToken });
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (input.clientAuth === 'client_secret_basic') {
    headers.Authorization = basicAuthorization(input.clientId, input.clientSecret);
  } else {
    body.set('client_id', input.clientId);
    body.set('client_secret', input.clientSecret);
  }
  return { method: 'POST', url: input.tokenUrl, headers, body: body.toString() };
}

/**
 * Step 3: the answer, read by the one token-response reader the code exchange uses too.
 * @throws OAuthError
 */
export function processRefreshResponse(res: IncomingResponse, options: TokenResponseOptions): TokenSet {
  return processTokenHttpResponse(res, { ...options, request: 'refresh' });
}

/**
 * Build → send (once more after a network-level failure, see reconnect.ts) → process.
 * @throws OAuthError
 */
export async function refreshTokenGrant(http: OAuthHttp, input: RefreshGrantInput): Promise<TokenSet> {
  const res = await sendWithOneReconnect(http, buildRefreshRequest(input));
  return processRefreshResponse(res, { scopeSeparator: input.scopeSeparator });
}

/** Why a refresh failed, as stored in `connections.last_error` and audited. */
export type RefreshFailureReason =
  /** The grant is dead (revoked, expired, already used): the user must connect again (S18). */
  | 'invalid_grant'
  /** 5xx, 429, a network error or an OAuth `server_error` / `temporarily_unavailable`. */
  | 'provider_unavailable'
  | 'timeout'
  /** Not JSON, or not a valid token response. */
  | 'malformed_response'
  /** Any other refusal (invalid_client, unauthorized_client, a bare 4xx): most likely the hub's configuration. */
  | 'refresh_rejected';

/** RFC 6749's dead grant; a provider's own equivalents come from its catalog entry. */
const DEAD_GRANT_ERRORS = ['invalid_grant'];
const UNAVAILABLE_ERRORS = ['server_error', 'temporarily_unavailable'];

/**
 * A provider's own error words (catalog data, `refresh.deadGrantErrors` / `transientErrors`):
 * Zoho answers a dead refresh token with `invalid_code` and throttling with `Access Denied`,
 * both with HTTP 200.
 */
export interface ProviderRefreshErrors {
  deadGrantErrors?: readonly string[];
  transientErrors?: readonly string[];
}

/** Maps a protocol failure to the reason the hub stores; `permanent` means NEEDS_REAUTH, no retry. */
export function classifyRefreshError(err: OAuthError, provider: ProviderRefreshErrors = {}): { reason: RefreshFailureReason; permanent: boolean } {
  switch (err.code) {
    case 'timeout':
      return { reason: 'timeout', permanent: false };
    case 'network':
      return { reason: 'provider_unavailable', permanent: false };
    case 'invalid_response':
      return { reason: 'malformed_response', permanent: false };
    case 'oauth_error': {
      const word = err.oauthError;
      const dead = [...DEAD_GRANT_ERRORS, ...(provider.deadGrantErrors ?? [])];
      const transient = [...UNAVAILABLE_ERRORS, ...(provider.transientErrors ?? [])];
      if (word !== undefined && dead.includes(word)) return { reason: 'invalid_grant', permanent: true };
      if ((word !== undefined && transient.includes(word)) || (err.status ?? 0) >= 500 || err.status === 429) {
        return { reason: 'provider_unavailable', permanent: false };
      }
      return { reason: 'refresh_rejected', permanent: false };
    }
    case 'http_status':
      if ((err.status ?? 0) >= 500 || err.status === 429) return { reason: 'provider_unavailable', permanent: false };
      return { reason: 'refresh_rejected', permanent: false };
  }
}
