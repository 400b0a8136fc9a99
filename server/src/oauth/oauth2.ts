import ClientOAuth2 from 'client-oauth2';
import { OAuthError, oauthErrorWord } from './errors.js';
import type { OAuthHttp } from './http.js';
import { codeChallengeS256 } from './pkce.js';
import { processTokenResponse, type TokenSet } from './token-set.js';

/** One OAuth 2 client: a provider's endpoints (templates already expanded) and this hub's credentials. */
export interface OAuth2ClientConfig {
  clientId: string;
  clientSecret: string;
  clientAuth: 'client_secret_basic' | 'client_secret_post';
  authorizationUrl: string;
  tokenUrl: string;
  /** Fixed by the hub (`${PUBLIC_URL}/api/oauth/<id>/callback`), never taken from a request (S07). */
  redirectUri: string;
  scopes: string[];
  scopeSeparator: ' ' | ',';
  authorizationParams: Record<string, string>;
  tokenParams: Record<string, string>;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(clientId)}:${enc(clientSecret)}`, 'utf8').toString('base64')}`;
}

/**
 * A client-oauth2 instance on the hub's transport. For client_secret_basic it is given the secret
 * (so it sends no client_id in the body) and the header is replaced with a correctly encoded one;
 * for client_secret_post it is not (so it puts client_id in the body) and the secret is added there.
 */
function client(http: OAuthHttp, c: OAuth2ClientConfig): ClientOAuth2 {
  return new ClientOAuth2(
    {
      clientId: c.clientId,
      ...(c.clientAuth === 'client_secret_basic' ? { clientSecret: c.clientSecret } : {}),
      authorizationUri: c.authorizationUrl,
      accessTokenUri: c.tokenUrl,
      redirectUri: c.redirectUri,
      // client-oauth2 joins scopes with spaces; comma-separated providers get one pre-joined value.
      ...(c.scopes.length > 0 ? { scopes: [c.scopes.join(c.scopeSeparator)] } : {}),
    },
    http.clientOAuth2Request,
  );
}

/** Step 1: the URL the browser is sent to. PKCE (S256) when a verifier is given. */
export function buildAuthorizationUrl(http: OAuthHttp, c: OAuth2ClientConfig, input: { state: string; codeVerifier?: string }): string {
  const query: Record<string, string> = { ...c.authorizationParams };
  if (input.codeVerifier !== undefined) {
    query.code_challenge = codeChallengeS256(input.codeVerifier);
    query.code_challenge_method = 'S256';
  }
  return client(http, c).code.getUri({ state: input.state, query });
}

/**
 * Step 2: the authorization code for tokens. The callback has been checked already; only the code
 * is handed to client-oauth2 (state and errors were the caller's job). The verifier goes only
 * into this request's body (S02).
 * @throws OAuthError
 */
export async function exchangeAuthorizationCode(
  http: OAuthHttp,
  c: OAuth2ClientConfig,
  input: { code: string; codeVerifier?: string },
): Promise<TokenSet> {
  const body: Record<string, string> = { ...c.tokenParams };
  if (input.codeVerifier !== undefined) body.code_verifier = input.codeVerifier;
  if (c.clientAuth === 'client_secret_post') body.client_secret = c.clientSecret;
  const headers: Record<string, string> = c.clientAuth === 'client_secret_basic' ? { Authorization: basicAuthorization(c.clientId, c.clientSecret) } : {};
  const callback = new URL(c.redirectUri);
  callback.search = '';
  callback.searchParams.set('code', input.code);
  let data: unknown;
  try {
    data = (await client(http, c).code.getToken(callback.toString(), { body, headers })).data;
  } catch (err) {
    throw fromClientOAuth2(err);
  }
  return processTokenResponse(data, { scopeSeparator: c.scopeSeparator });
}

/**
 * client-oauth2's error shapes (STACK.md): EAUTH with the body, ESTATUS with the status. The
 * original error is not kept as `cause`: it carries the provider's body, and some of its messages
 * quote the callback URL (with the code).
 */
export function fromClientOAuth2(err: unknown): OAuthError {
  if (err instanceof OAuthError) return err;
  const e = err as { code?: unknown; status?: unknown; body?: unknown };
  if (e?.code === 'EAUTH') {
    const word = oauthErrorWord((e.body as { error?: unknown } | undefined)?.error);
    return new OAuthError('oauth_error', `The provider answered with ${word ? `the OAuth error ${word}` : 'an OAuth error'}`, { oauthError: word });
  }
  if (e?.code === 'ESTATUS' && typeof e.status === 'number') {
    return new OAuthError('http_status', `The provider answered HTTP ${e.status}`, { status: e.status });
  }
  return new OAuthError('invalid_response', 'The token request failed');
}
