/**
 * The hub's one application error class and its closed list of codes. Each error carries a stable
 * `code` (clients branch on it), the HTTP status that code always answers with, an optional
 * `field` for form errors, and a `cause`. It is mapped once at each edge: GraphQL
 * `extensions.code` in graphql/errors.ts, REST in http/error-handler.ts. Messages are shown to
 * users and must never contain a secret.
 *
 * ERROR_CODES is the only list of codes: the dashboard gets a generated copy
 * (client/src/gql/error-codes.ts, written by `npm run schema`; a test fails when it is stale), and
 * the GraphQL formatter turns any code not in it into INTERNAL_SERVER_ERROR.
 */
export const ERROR_CODES = {
  // The request itself.
  /** A named input is invalid (`field` says which); also GraphQL variable coercion. */
  BAD_USER_INPUT: 400,
  /** The request cannot be read (malformed JSON, undecodable path, Apollo's CSRF check). */
  BAD_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  /** A GraphQL operation over the depth or field limits (graphql/limits.ts). */
  QUERY_TOO_COMPLEX: 400,
  /** More than one expensive mutation (signUp, signIn, connectProvider…) in one request (graphql/limits.ts). */
  TOO_MANY_OPERATIONS: 400,
  // GraphQL's own, set by graphql-js / Apollo Server (which also sets the HTTP status).
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  OPERATION_RESOLUTION_FAILURE: 400,
  /** Automatic persisted queries: Apollo answers 200 so the client resends the full query. */
  PERSISTED_QUERY_NOT_FOUND: 200,
  PERSISTED_QUERY_NOT_SUPPORTED: 200,
  // Who is asking.
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  // What is asked for.
  NOT_FOUND: 404,
  UNKNOWN_PROVIDER: 404,
  CONFLICT: 409,
  // Providers and stored credentials.
  PROVIDER_NOT_CONFIGURED: 409,
  /** The provider refused the connection's tokens for good: the person must connect again. */
  NEEDS_REAUTH: 409,
  /** A stored secret no longer decrypts (its key is gone or the row was altered). */
  UNREADABLE: 409,
  /** The provider refused a refresh the hub retries later. */
  REFRESH_FAILED: 502,
  PROVIDER_UNAVAILABLE: 502,
  // The hub itself.
  DATABASE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);

export class AppError extends Error {
  /** Always ERROR_CODES[code]: a code answers with one status wherever it is raised. */
  readonly status: number;
  readonly field: string | undefined;
  readonly extensions: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: { field?: string; cause?: unknown; extensions?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_CODES[code];
    this.field = options.field;
    this.extensions = options.extensions ?? {};
  }
}

// One factory per family of codes, for call sites where the code alone says what happened.
export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', message, { field });
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, field?: string) => new AppError('CONFLICT', message, field === undefined ? {} : { field });
export const forbidden = (message: string) => new AppError('FORBIDDEN', message);
/** `retryAfterSeconds` travels in `extensions` so a client can say how long to wait. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError('RATE_LIMITED', message, { extensions: { retryAfterSeconds } });
/** A stored secret (token, API key) that no longer decrypts; the message says how to recover. */
export const unreadable = (message: string) => new AppError('UNREADABLE', message);
export const unknownProvider = () => new AppError('UNKNOWN_PROVIDER', 'There is no such provider', { field: 'provider' });
/** `variables`: the environment variables to set, also in `extensions` for clients. */
export const providerNotConfigured = (message: string, variables: readonly string[], field?: string) =>
  new AppError('PROVIDER_NOT_CONFIGURED', message, { extensions: { variables }, ...(field === undefined ? {} : { field }) });
/** `reason`, when given, is the stored failure code (e.g. a refresh's), in `extensions.reason`. */
export const providerUnavailable = (message: string, reason?: string) =>
  new AppError('PROVIDER_UNAVAILABLE', message, reason === undefined ? {} : { extensions: { reason } });
