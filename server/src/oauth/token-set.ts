import { OAuthError } from './errors.js';

/** What a token request gave, in the hub's words. Spec field names stay in this layer. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** OAuth 1.0a token secret. */
  tokenSecret?: string;
  /** Lower case (`bearer`); `oauth1` for OAuth 1.0a tokens. */
  tokenType: string;
  expiresAt: Date | null;
  /** From `refresh_token_expires_in` (Shopify), when the response carries a valid one. */
  refreshTokenExpiresAt?: Date;
  /** Granted scopes when the response states them. */
  scopes?: string[];
  /** The rest of the response with every credential removed: source of metadata and identity. */
  fields: Record<string, unknown>;
}

/** Never leave the OAuth layer except inside TokenSet's dedicated fields. */
const CREDENTIAL_FIELDS = new Set(['access_token', 'refresh_token', 'id_token', 'oauth_token', 'oauth_token_secret']);

export function withoutCredentials(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !CREDENTIAL_FIELDS.has(k)));
}

export function splitScopes(value: string, separator: ' ' | ','): string[] {
  return [...new Set(value.split(separator).map((s) => s.trim()).filter(Boolean))];
}

const MAX_TOKEN_LENGTH = 16_384;

/** A finite, non-negative number of seconds under ten years, else undefined. */
function boundedSeconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 10 * 366 * 86_400 ? value : undefined;
}

/**
 * Validates an OAuth 2 token response (RFC 6749 §5.1) — the "process" step, separate from
 * sending. Anything off is `invalid_response`; nothing of the body is echoed in the message.
 */
export function processTokenResponse(body: unknown, options: { scopeSeparator: ' ' | ','; now?: number }): TokenSet {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthError('invalid_response', 'The token response is not a JSON object');
  }
  const b = body as Record<string, unknown>;
  const accessToken = b.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > MAX_TOKEN_LENGTH) {
    throw new OAuthError('invalid_response', 'The token response has no valid access_token');
  }
  const refreshToken = b.refresh_token;
  if (refreshToken !== undefined && refreshToken !== null && (typeof refreshToken !== 'string' || refreshToken.length > MAX_TOKEN_LENGTH)) {
    throw new OAuthError('invalid_response', 'The token response has an invalid refresh_token');
  }
  const tokenType = b.token_type;
  if (tokenType !== undefined && (typeof tokenType !== 'string' || !/^[A-Za-z0-9_.-]{1,40}$/.test(tokenType))) {
    throw new OAuthError('invalid_response', 'The token response has an invalid token_type');
  }
  let expiresAt: Date | null = null;
  if (b.expires_in !== undefined && b.expires_in !== null) {
    const seconds = typeof b.expires_in === 'string' && /^\d+$/.test(b.expires_in) ? Number(b.expires_in) : b.expires_in;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new OAuthError('invalid_response', 'The token response has an invalid expires_in');
    }
    expiresAt = new Date((options.now ?? Date.now()) + seconds * 1000);
  }
  // Informational only (an idle-expiry warning): an unusable value is dropped, not fatal.
  let refreshTokenExpiresAt: Date | undefined;
  const rawRt = b.refresh_token_expires_in;
  const rtSeconds = boundedSeconds(typeof rawRt === 'string' && /^\d{1,12}$/.test(rawRt) ? Number(rawRt) : rawRt);
  if (rtSeconds !== undefined) refreshTokenExpiresAt = new Date((options.now ?? Date.now()) + rtSeconds * 1000);
  const scope = b.scope;
  if (scope !== undefined && scope !== null && typeof scope !== 'string') {
    throw new OAuthError('invalid_response', 'The token response has an invalid scope');
  }
  return {
    accessToken,
    ...(typeof refreshToken === 'string' && refreshToken.length > 0 ? { refreshToken } : {}),
    tokenType: (tokenType ?? 'bearer').toLowerCase(),
    expiresAt,
    ...(refreshTokenExpiresAt ? { refreshTokenExpiresAt } : {}),
    ...(typeof scope === 'string' ? { scopes: splitScopes(scope, options.scopeSeparator) } : {}),
    fields: withoutCredentials(b),
  };
}
