/**
 * The OAuth layer's one error class. `code` says what went wrong at the protocol level; callers
 * map it to their own outcome (a callback failure reason, a refresh retry). Messages never hold a
 * token, code, secret or the provider's response body (S14): at most a status and the provider's
 * `error` code, which RFC 6749 limits to a fixed vocabulary of ASCII words.
 */
export type OAuthErrorCode =
  /** No answer within the deadline. */
  | 'timeout'
  /** Connection refused, reset, DNS … */
  | 'network'
  /** A non-success HTTP status without an OAuth error body. */
  | 'http_status'
  /** The provider answered with an OAuth error (`invalid_grant`, `server_error` …): see `oauthError`. */
  | 'oauth_error'
  /** The answer is not what the protocol requires (malformed JSON, no access_token, too large …). */
  | 'invalid_response';

/**
 * RFC 6749 §5.2's charset, plus inner single spaces: Zoho's throttling answer is the error
 * `Access Denied`, and a pattern without the space would drop the one word that tells it apart.
 */
const OAUTH_ERROR_WORD = /^[\x21\x23-\x5b\x5d-\x7e](?:[\x21\x23-\x5b\x5d-\x7e]| (?! )){0,62}[\x21\x23-\x5b\x5d-\x7e]$|^[\x21\x23-\x5b\x5d-\x7e]$/;

/** The longest wait a provider's `Retry-After` may impose on the hub (longer values are capped). */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date, as seconds from `nowMs`,
 * capped at MAX_RETRY_AFTER_SECONDS; undefined when absent or unreadable.
 */
export function retryAfterSeconds(value: string | null | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  let seconds: number;
  if (/^\d{1,10}$/.test(text)) seconds = Number(text);
  else {
    const at = Date.parse(text);
    if (!/[a-z]/i.test(text) || Number.isNaN(at)) return undefined;
    seconds = Math.ceil((at - nowMs) / 1000);
  }
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
}

/** The value when it is a well-formed OAuth error code (RFC 6749 §5.2 charset), else undefined. */
export function oauthErrorWord(value: unknown): string | undefined {
  return typeof value === 'string' && OAUTH_ERROR_WORD.test(value) ? value : undefined;
}

export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number | undefined;
  /** The provider's `error` value, when it is a well-formed error code. */
  readonly oauthError: string | undefined;

  /** The provider's `Retry-After`, in seconds (capped), when the answer carried one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: OAuthErrorCode, message: string, options: { status?: number; oauthError?: unknown; cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OAuthError';
    this.code = code;
    this.status = options.status;
    this.oauthError = oauthErrorWord(options.oauthError);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
