import ClientOAuth2 from 'client-oauth2';
import { OAuthError, oauthErrorWord } from './errors.js';
import type { OAuthHttp } from './http.js';
import { codeChallengeS256 } from './pkce.js';

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

/** client-oauth2's transport shape (OAuthHttp.clientOAuth2Request is the default one). */
export type ClientOAuth2Transport = OAuthHttp['clientOAuth2Request'];

/**
 * A client-oauth2 instance on the hub's transport: it builds the authorization URL and sends the
 * code exchange (authorization-code.ts builds that request, client authentication included, so
 * the instance is never given the secret).
 */
export function clientOAuth2(http: OAuthHttp, c: OAuth2ClientConfig, transport: ClientOAuth2Transport = http.clientOAuth2Request): ClientOAuth2 {
  return new ClientOAuth2(
    {
      clientId: c.clientId,
      authorizationUri: c.authorizationUrl,
      accessTokenUri: c.tokenUrl,
      redirectUri: c.redirectUri,
      // client-oauth2 joins scopes with spaces; comma-separated providers get one pre-joined value.
      ...(c.scopes.length > 0 ? { scopes: [c.scopes.join(c.scopeSeparator)] } : {}),
    },
    transport,
  );
}

/** Step 1: the URL the browser is sent to. PKCE (S256) when a verifier is given. Step 2 is authorization-code.ts. */
export function buildAuthorizationUrl(http: OAuthHttp, c: OAuth2ClientConfig, input: { state: string; codeVerifier?: string }): string {
  const query: Record<string, string> = { ...c.authorizationParams };
  if (input.codeVerifier !== undefined) {
    query.code_challenge = codeChallengeS256(input.codeVerifier);
    query.code_challenge_method = 'S256';
  }
  return clientOAuth2(http, c).code.getUri({ state: input.state, query });
}

/**
 * client-oauth2's error shapes: EAUTH with the provider's body, ESTATUS with the status. The
 * original error is not kept as `cause`: it carries the provider's body, and an EAUTH message is
 * the provider's own `error_description`.
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
