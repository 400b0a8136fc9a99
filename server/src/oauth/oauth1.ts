import { createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { OAuthError } from './errors.js';
import type { IncomingResponse, OAuthHttp } from './http.js';
import { withoutCredentials, type TokenSet } from './token-set.js';

/**
 * OAuth 1.0a (RFC 5849), HMAC-SHA1, signed with oauth-1.0a. Protocol parameters travel in the
 * Authorization header — including `oauth_callback` and `oauth_verifier`, which are signed too.
 */
export interface OAuth1Consumer {
  key: string;
  secret: string;
}

export interface OAuth1Token {
  key: string;
  secret: string;
}

function signer(consumer: OAuth1Consumer): OAuth {
  const oauth = new OAuth({
    consumer,
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  // The package draws nonces from Math.random; use the CSPRNG instead.
  oauth.getNonce = () => randomBytes(16).toString('hex');
  return oauth;
}

/**
 * `Authorization: OAuth …` for one request; `protocolParams` are extra oauth_* parameters to sign and send.
 *
 * oauth-1.0a's authorize() returns the signed URL's query parameters along with the oauth_*
 * ones, and building the header from all of them would put query parameters into
 * `Authorization: OAuth` (RFC 5849 §3.5.1 allows only protocol parameters there). Every URL the
 * hub signs for Trello has no query (OAuthGetRequestToken, OAuthGetAccessToken, members/me), so
 * it does not bite today; the header below keeps only `oauth_*` entries all the same.
 */
export function oauth1Authorization(
  consumer: OAuth1Consumer,
  request: { method: string; url: string },
  token?: OAuth1Token,
  protocolParams: Record<string, string> = {},
): string {
  const oauth = signer(consumer);
  const signed = oauth.authorize({ method: request.method, url: request.url, data: { ...protocolParams } }, token);
  const params: Record<string, string | number> = Object.fromEntries(
    Object.entries({ ...signed, ...protocolParams }).filter(([k]) => k.startsWith('oauth_')),
  );
  return (
    'OAuth ' +
    Object.keys(params)
      .sort()
      .map((k) => `${oauth.percentEncode(k)}="${oauth.percentEncode(String(params[k]))}"`)
      .join(', ')
  );
}

async function signedPost(http: OAuthHttp, url: string, consumer: OAuth1Consumer, token: OAuth1Token | undefined, params: Record<string, string>) {
  return http.send({ method: 'POST', url, headers: { Authorization: oauth1Authorization(consumer, { method: 'POST', url }, token, params) } });
}

/** Processes a form-encoded OAuth 1.0a token answer (both steps answer the same way). */
function processTokenAnswer(res: IncomingResponse, step: string): URLSearchParams {
  if (res.status < 200 || res.status >= 300) {
    throw new OAuthError('http_status', `The ${step} request answered HTTP ${res.status}`, { status: res.status });
  }
  const fields = new URLSearchParams(res.body);
  const token = fields.get('oauth_token');
  const secret = fields.get('oauth_token_secret');
  if (!token || !secret || fields.getAll('oauth_token').length > 1 || fields.getAll('oauth_token_secret').length > 1) {
    throw new OAuthError('invalid_response', `The ${step} answer has no oauth_token / oauth_token_secret`);
  }
  return fields;
}

/**
 * Leg 1: a request token for `callback`. RFC 5849 §2.1 says the answer carries
 * `oauth_callback_confirmed=true`; Trello's documentation never shows its request-token answer,
 * so its presence is not required (the callback is bound by the hub's own state and the pending
 * request token, S12). A value other than `true` is still refused: the server said it did not
 * accept the callback.
 */
export async function obtainRequestToken(
  http: OAuthHttp,
  input: { url: string; consumer: OAuth1Consumer; callback: string },
): Promise<OAuth1Token> {
  const fields = processTokenAnswer(await signedPost(http, input.url, input.consumer, undefined, { oauth_callback: input.callback }), 'request token');
  const confirmed = fields.getAll('oauth_callback_confirmed');
  if (confirmed.length > 1 || (confirmed.length === 1 && confirmed[0] !== 'true')) {
    throw new OAuthError('invalid_response', 'The request token answer does not confirm the callback');
  }
  return { key: fields.get('oauth_token')!, secret: fields.get('oauth_token_secret')! };
}

/** Leg 3: the authorized request token and its verifier for an access token. */
export async function obtainAccessToken(
  http: OAuthHttp,
  input: { url: string; consumer: OAuth1Consumer; requestToken: OAuth1Token; verifier: string },
): Promise<TokenSet> {
  const fields = processTokenAnswer(
    await signedPost(http, input.url, input.consumer, input.requestToken, { oauth_verifier: input.verifier }),
    'access token',
  );
  return {
    accessToken: fields.get('oauth_token')!,
    tokenSecret: fields.get('oauth_token_secret')!,
    tokenType: 'oauth1',
    expiresAt: null,
    fields: withoutCredentials(Object.fromEntries(fields)),
  };
}
