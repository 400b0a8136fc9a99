/**
 * The hub's one application error class. Each error carries a stable `code` (clients branch on
 * it), an HTTP status for REST routes, an optional `field` for form errors, and a `cause`.
 * It is mapped once at each edge: GraphQL `extensions.code` in graphql/errors.ts, REST in
 * http/error-handler.ts. Messages are shown to users and must never contain a secret.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_CREDENTIALS: 401,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  QUERY_TOO_COMPLEX: 400,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode | (string & {}),
    message: string,
    options: { status?: number; field?: string; cause?: unknown; extensions?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = options.status ?? (ERROR_CODES as Record<string, number>)[code] ?? 400;
    this.field = options.field;
    this.extensions = options.extensions ?? {};
  }
  readonly field: string | undefined;
  readonly extensions: Record<string, unknown>;
}

export const badInput = (field: string, message: string) => new AppError('BAD_USER_INPUT', message, { field });
export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
