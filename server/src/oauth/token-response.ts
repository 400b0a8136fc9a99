import { OAuthError, oauthErrorWord, retryAfterSeconds } from './errors.js';
import type { IncomingResponse } from './http.js';
import { splitScopes, withoutCredentials, type TokenSet } from './token-set.js';

/**
 * The one reading of an OAuth 2 token answer (RFC 6749 §5.1/§5.2), for the code exchange and the
 * refresh grant alike: what one accepts the other accepts, so a connection cannot be created
 * from an answer its first refresh would refuse (and then retry forever).
 *
 * - 2xx and JSON only. A redirect's body, a form-encoded body or HTML is `invalid_response`
 *   (stored as `malformed_response`); none of our OAuth 2 providers answers in form encoding.
 * - `access_token` a non-empty string; `token_type` `Bearer` in any case, or absent. Anything else
 *   (`mac`, `pop` …) is refused: the hub hands tokens out as bearer tokens only.
 * - `expires_in` (a number, or a string of digits): not finite, negative or non-numeric is
 *   refused. Below MIN_USABLE_LIFETIME_SECONDS (one second; `0` included) it is REFUSED, not
 *   clamped: a token dead on arrival cannot be used, and accepting it would make every read
 *   refresh again; a refused refresh backs off (F01) instead. The floor is one second rather than
 *   the refresh margin: a provider (or a test) may legitimately issue minutes-long tokens, which the
 *   refresh decision renews early; only a lifetime that cannot serve one request is refused. Above MAX_LIFETIME_SECONDS it is CLAMPED to one
 *   year: the token only gets refreshed earlier than needed, which costs one request, whereas
 *   refusing would break a working connection over a provider's odd (or "never expires") value.
 *   So the expiry date is always `now + [1 s … 1 year]`: an invalid date cannot be built.
 */

export const MIN_USABLE_LIFETIME_SECONDS = 1;
export const MAX_LIFETIME_SECONDS = 366 * 86_400;
const MAX_TOKEN_LENGTH = 16_384;

export interface TokenResponseOptions {
  scopeSeparator: ' ' | ',';
  now?: number;
}

/** A finite, non-negative number of seconds under ten years, else undefined. */
function boundedSeconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 10 * 366 * 86_400 ? value : undefined;
}

/** `expires_in` as seconds in [MIN_USABLE_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS], see above. */
function lifetimeSeconds(raw: unknown): number {
  // Digit strings (some providers quote numbers); at most 15 digits so Number() stays exact.
  const seconds = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : typeof raw === 'string' && /^\d+$/.test(raw) ? MAX_LIFETIME_SECONDS : raw;
  if (typeof seconds !== 'number' || Number.isNaN(seconds) || seconds < 0 || seconds === Infinity) {
    throw new OAuthError('invalid_response', 'The token response has an invalid expires_in');
  }
  if (seconds < MIN_USABLE_LIFETIME_SECONDS) {
    throw new OAuthError('invalid_response', 'The token response has an expires_in below the minimum usable lifetime');
  }
  return Math.min(seconds, MAX_LIFETIME_SECONDS);
}

/**
 * Validates a parsed token answer's fields. Anything off is `invalid_response`; nothing of the
 * body is echoed in the message.
 * @throws OAuthError
 */
export function processTokenResponse(body: unknown, options: TokenResponseOptions): TokenSet {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError('invalid_response', 'The token response is not a JSON object');
  }
  const b = body as Record<string, unknown>;
  const now = options.now ?? Date.now();
  const accessToken = b.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > MAX_TOKEN_LENGTH) {
    throw new OAuthError('invalid_response', 'The token response has no valid access_token');
  }
  const refreshToken = b.refresh_token;
  if (refreshToken !== undefined && refreshToken !== null && (typeof refreshToken !== 'string' || refreshToken.length > MAX_TOKEN_LENGTH)) {
    throw new OAuthError('invalid_response', 'The token response has an invalid refresh_token');
  }
  const tokenType = b.token_type;
  if (tokenType !== undefined && tokenType !== null && (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer')) {
    throw new OAuthError('invalid_response', 'The token response has a token_type other than Bearer');
  }
  const expiresAt = b.expires_in === undefined || b.expires_in === null ? null : new Date(now + lifetimeSeconds(b.expires_in) * 1000);
  // Informational only (an idle-expiry warning): an unusable value is dropped, not fatal.
  let refreshTokenExpiresAt: Date | undefined;
  const rawRt = b.refresh_token_expires_in;
  const rtSeconds = boundedSeconds(typeof rawRt === 'string' && /^\d{1,12}$/.test(rawRt) ? Number(rawRt) : rawRt);
  if (rtSeconds !== undefined) refreshTokenExpiresAt = new Date(now + rtSeconds * 1000);
  const scope = b.scope;
  if (scope !== undefined && scope !== null && typeof scope !== 'string') {
    throw new OAuthError('invalid_response', 'The token response has an invalid scope');
  }
  return {
    accessToken,
    ...(typeof refreshToken === 'string' && refreshToken.length > 0 ? { refreshToken } : {}),
    tokenType: 'bearer',
    expiresAt,
    ...(refreshTokenExpiresAt ? { refreshTokenExpiresAt } : {}),
    ...(typeof scope === 'string' ? { scopes: splitScopes(scope, options.scopeSeparator) } : {}),
    fields: withoutCredentials(b),
  };
}

/**
 * The whole answer: status, JSON, then the fields. An error answer becomes an OAuthError carrying
 * the status and the provider's `error` word (never its body). Zoho answers some errors with
 * HTTP 200 and `{"error": "invalid_code"}`: an `error` without an access token is an error
 * whatever the status. `request` names the grant in messages only.
 * @throws OAuthError
 */
export function processTokenHttpResponse(res: IncomingResponse, options: TokenResponseOptions & { request: 'refresh' | 'token' }): TokenSet {
  let document: unknown;
  let parsed = true;
  try {
    document = res.body.trim() === '' ? undefined : JSON.parse(res.body);
  } catch {
    parsed = false;
  }
  const errorWord =
    parsed && typeof document === 'object' && document !== null && !Array.isArray(document)
      ? (document as Record<string, unknown>).error
      : undefined;
  const hasAccessToken = typeof (document as { access_token?: unknown } | undefined)?.access_token === 'string';
  // 429 and 503 may say when to come back (RFC 9110 §10.2.3); the backoff honours it.
  const retryAfter = res.status === 429 || res.status === 503 ? retryAfterSeconds(res.headers.get('retry-after'), options.now) : undefined;
  const wait = retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter };
  if (errorWord !== undefined && (res.status >= 400 || !hasAccessToken)) {
    const word = oauthErrorWord(errorWord);
    throw new OAuthError('oauth_error', `The ${options.request} request answered ${word ? `the OAuth error ${word}` : 'an OAuth error'} (HTTP ${res.status})`, { status: res.status, oauthError: word, ...wait });
  }
  // A 3xx is not followed (S19) and its body is never tokens.
  if (res.status < 200 || res.status >= 300) {
    throw new OAuthError('http_status', `The ${options.request} request answered HTTP ${res.status}`, { status: res.status, ...wait });
  }
  if (!parsed) throw new OAuthError('invalid_response', `The ${options.request} answer is not JSON`, { status: res.status });
  return processTokenResponse(document, options);
}
