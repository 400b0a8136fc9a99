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

const OAUTH_ERROR_WORD = /^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/;

/** The value when it is a well-formed OAuth error code (RFC 6749 §5.2 charset), else undefined. */
export function oauthErrorWord(value: unknown): string | undefined {
  return typeof value === 'string' && OAUTH_ERROR_WORD.test(value) ? value : undefined;
}

export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: number | undefined;
  /** The provider's `error` value, when it is a well-formed error code. */
  readonly oauthError: string | undefined;

  constructor(code: OAuthErrorCode, message: string, options: { status?: number; oauthError?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OAuthError';
    this.code = code;
    this.status = options.status;
    this.oauthError = oauthErrorWord(options.oauthError);
  }
}
