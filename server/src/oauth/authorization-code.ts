import type { OAuthHttp } from './http.js';
import { basicAuthorization, clientOAuth2, fromClientOAuth2, type OAuth2ClientConfig } from './oauth2.js';
import { processTokenResponse, type TokenSet } from './token-set.js';

/**
 * The authorization-code grant (RFC 6749 §4.1.3) in the OAuth layer's three steps, as refresh.ts
 * does the refresh grant: build the token request, send it, process the answer. client-oauth2
 * sends it and reads the answer (JSON or form-encoded, its OAuth-error detection), but it is
 * handed the request itself rather than a callback URL to take the code from: the callback has
 * been checked already (state, errors), and the code is all that is left of it.
 */
export interface AuthorizationCodeInput {
  code: string;
  /** PKCE (S02): goes into this request's body and nowhere else. */
  codeVerifier?: string;
}

/** A token request in client-oauth2's terms: it form-encodes `body` itself. */
export interface TokenRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  body: Record<string, string>;
}

/** What client-oauth2 sends by default, kept so the exchange looks as it always has to providers. */
const TOKEN_REQUEST_HEADERS = {
  Accept: 'application/json, application/x-www-form-urlencoded',
  'Content-Type': 'application/x-www-form-urlencoded',
} as const;

/**
 * Step 1: the request. client_secret_basic: an RFC 6749 §2.3.1 Basic header and no client id in
 * the body; client_secret_post: client_id and client_secret in the body. The provider's extra
 * token parameters come after the grant's own fields, then the verifier and the secret.
 */
export function buildAuthorizationCodeRequest(c: OAuth2ClientConfig, input: AuthorizationCodeInput): TokenRequest {
  const headers: Record<string, string> = { ...TOKEN_REQUEST_HEADERS };
  const body: Record<string, string> = { code: input.code, grant_type: 'authorization_code', redirect_uri: c.redirectUri };
  if (c.clientAuth === 'client_secret_basic') headers.Authorization = basicAuthorization(c.clientId, c.clientSecret);
  else body.client_id = c.clientId;
  Object.assign(body, c.tokenParams);
  if (input.codeVerifier !== undefined) body.code_verifier = input.codeVerifier;
  if (c.clientAuth === 'client_secret_post') body.client_secret = c.clientSecret;
  return { method: 'POST', url: c.tokenUrl, headers, body };
}

/**
 * client-oauth2 4.3.3's request method: encodes the body, sends through the hub's transport,
 * parses the answer and turns OAuth error bodies (EAUTH) and bad statuses (ESTATUS) into errors.
 * Its code flow reaches it only through `code.getToken(callbackUrl)`; it is missing from the
 * package's typings, hence this shape (authorization-code.test.ts fails if an upgrade drops it).
 */
interface ClientOAuth2Internals {
  _request(options: TokenRequest & { query: Record<string, string> }): Promise<unknown>;
}

/**
 * Step 2: send it with client-oauth2, once: an authorization code is single-use, so a second
 * attempt could only fail with invalid_grant. Resolves to client-oauth2's parsed answer.
 */
export function sendTokenRequest(http: OAuthHttp, c: OAuth2ClientConfig, request: TokenRequest): Promise<unknown> {
  const client = clientOAuth2(http, c) as unknown as ClientOAuth2Internals;
  return client._request({ ...request, query: {} });
}

/**
 * Step 3: what client-oauth2 made of the answer. A parsed answer must be a valid token response;
 * an error becomes an OAuthError with the status or the provider's `error` word, never its body.
 * @throws OAuthError
 */
export function processAuthorizationCodeResponse(outcome: PromiseSettledResult<unknown>, options: { scopeSeparator: ' ' | ','; now?: number }): TokenSet {
  if (outcome.status === 'rejected') throw fromClientOAuth2(outcome.reason);
  return processTokenResponse(outcome.value, options);
}

/**
 * Build → send → process: the authorization code (and verifier) for tokens.
 * @throws OAuthError
 */
export async function exchangeAuthorizationCode(http: OAuthHttp, c: OAuth2ClientConfig, input: AuthorizationCodeInput): Promise<TokenSet> {
  const outcome = await sendTokenRequest(http, c, buildAuthorizationCodeRequest(c, input)).then(
    (value): PromiseSettledResult<unknown> => ({ status: 'fulfilled', value }),
    (reason: unknown): PromiseSettledResult<unknown> => ({ status: 'rejected', reason }),
  );
  return processAuthorizationCodeResponse(outcome, { scopeSeparator: c.scopeSeparator });
}
