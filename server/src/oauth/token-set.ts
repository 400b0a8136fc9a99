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
