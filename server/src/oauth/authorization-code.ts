import type { IncomingResponse, OAuthHttp } from './http.js';
import { OAuthError } from './errors.js';
import { basicAuthorization, clientOAuth2, fromClientOAuth2, type ClientOAuth2Transport, type OAuth2ClientConfig } from './oauth2.js';
import { processTokenHttpResponse, type TokenResponseOptions } from './token-response.js';
import type { TokenSet } from './token-set.js';

/**
 * The authorization-code grant (RFC 6749 §4.1.3) in the OAuth layer's three steps, as refresh.ts
 * does the refresh grant: build the token request, send it, process the answer. client-oauth2
 * sends it, but it is handed the request itself rather than a callback URL to take the code
 * from: the callback has been checked already (state, errors), and the code is all that is left
 * of it. The answer is read by token-response.ts, exactly as a refresh answer is.
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

/** JSON only, as for refresh: a form-encoded answer is refused (token-response.ts). */
const TOKEN_REQUEST_HEADERS = {
  Accept: 'application/json',
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
 * client-oauth2 4.3.3's request method: encodes the body, sends through the given transport.
 * Its code flow reaches it only through `code.getToken(callbackUrl)`; it is missing from the
 * package's typings, hence this shape (authorization-code.test.ts fails if an upgrade drops it).
 */
interface ClientOAuth2Internals {
  _request(options: TokenRequest & { query: Record<string, string> }): Promise<unknown>;
}

/**
 * Step 2: send it with client-oauth2, once: an authorization code is single-use, so a second
 * attempt could only fail with invalid_grant. Resolves to the raw answer as the transport saw
 * it: client-oauth2's own reading is NOT used, since it took a redirect's body or a form-encoded
 * body as tokens that the refresh grant then refused; both grants share one reader
 * (token-response.ts). A transport failure (timeout, network) rejects as an OAuthError.
 */
export async function sendTokenRequest(http: OAuthHttp, c: OAuth2ClientConfig, request: TokenRequest): Promise<IncomingResponse> {
  let raw: IncomingResponse | undefined;
  const transport: ClientOAuth2Transport = async (method, url, body, headers) => {
    const flat = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
    raw = await http.send({ method, url, headers: flat, body });
    return { status: raw.status, body: raw.body };
  };
  const client = clientOAuth2(http, c, transport) as unknown as ClientOAuth2Internals;
  try {
    await client._request({ ...request, query: {} });
  } catch (err) {
    if (raw === undefined) throw fromClientOAuth2(err);
  }
  if (raw === undefined) throw new OAuthError('invalid_response', 'The token request failed');
  return raw;
}

/**
 * Step 3: the answer, read exactly as a refresh answer is.
 * @throws OAuthError
 */
export function processAuthorizationCodeResponse(res: IncomingResponse, options: TokenResponseOptions): TokenSet {
  return processTokenHttpResponse(res, { ...options, request: 'token' });
}

/**
 * Build → send → process: the authorization code (and verifier) for tokens.
 * @throws OAuthError
 */
export async function exchangeAuthorizationCode(http: OAuthHttp, c: OAuth2ClientConfig, input: AuthorizationCodeInput): Promise<TokenSet> {
  const res = await sendTokenRequest(http, c, buildAuthorizationCodeRequest(c, input));
  return processAuthorizationCodeResponse(res, { scopeSeparator: c.scopeSeparator });
}
