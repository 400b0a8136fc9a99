import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { ERROR_CODES, type ErrorCode } from '../gql/error-codes';

/**
 * The server's stable error codes (GraphQL `extensions.code`), from the list generated from the
 * server's own (client/src/gql/error-codes.ts). Clients branch on these, never on message text.
 */
export type { ErrorCode } from '../gql/error-codes';

const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);

/**
 * A code this dashboard does not know (a newer server, a proxy in between) reads as
 * INTERNAL_SERVER_ERROR: the generic message, never a branch taken on a guess.
 */
const knownCode = (value: unknown): ErrorCode => (isErrorCode(value) ? value : 'INTERNAL_SERVER_ERROR');

export interface ReadError {
  /** `extensions.code` of the first GraphQL error; 'NETWORK' when no GraphQL error came back. */
  code: ErrorCode | 'NETWORK';
  /** `extensions.field` when the server names the offending input field. */
  field: string | undefined;
  /** The server's message (written for users, never contains a secret). */
  message: string;
}

/** Flattens whatever Apollo rejected with into the one shape forms and pages display. */
export function readError(error: unknown): ReadError {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const extensions = first?.extensions ?? {};
    const code = knownCode(extensions['code']);
    const field = typeof extensions['field'] === 'string' ? extensions['field'] : undefined;
    return { code, field, message: first?.message ?? error.message };
  }
  if (ServerError.is(error)) {
    // A non-2xx answer that Apollo did not parse as GraphQL: either a GraphQL body sent as
    // plain application/json (Apollo only parses 4xx bodies typed
    // application/graphql-response+json), or something else entirely (a proxy's 502).
    const fromBody = readErrorBody(error.bodyText);
    if (fromBody) return fromBody;
    const code = error.statusCode === 429 ? 'RATE_LIMITED' : 'NETWORK';
    return { code, field: undefined, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'NETWORK', field: undefined, message };
}

function readErrorBody(bodyText: string): ReadError | null {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (typeof body !== 'object' || body === null || !('errors' in body) || !Array.isArray(body.errors)) return null;
    const first: unknown = body.errors[0];
    if (typeof first !== 'object' || first === null) return null;
    const message = 'message' in first && typeof first.message === 'string' ? first.message : '';
    const extensions =
      'extensions' in first && typeof first.extensions === 'object' && first.extensions !== null
        ? (first.extensions as Record<string, unknown>)
        : {};
    if (typeof extensions['code'] !== 'string') return null;
    const code = knownCode(extensions['code']);
    const field = typeof extensions['field'] === 'string' ? extensions['field'] : undefined;
    return { code, field, message };
  } catch {
    return null;
  }
}

/** Copy for codes that mean the same thing on every screen. */
export function genericErrorMessage(error: ReadError): string {
  switch (error.code) {
    case 'NETWORK':
      return 'Could not reach the server. Check your connection and try again.';
    case 'RATE_LIMITED':
      return 'Too many attempts. Please wait a minute and try again.';
    case 'UNAUTHENTICATED':
      return 'Your session has ended. Please sign in again.';
    case 'FORBIDDEN':
      return 'You do not have access to this.';
    case 'BAD_USER_INPUT':
    case 'CONFLICT':
    case 'NOT_FOUND':
      return error.message;
    default:
      return 'Something went wrong on our side. Please try again.';
  }
}
