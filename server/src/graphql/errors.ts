import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../db/database-errors.js';
import type { Logger } from '../logging/logger.js';
import { AppError, isErrorCode, type ErrorCode } from '../shared/errors.js';
import { isLimitCode, tokenLimitError, type LimitCode } from './limits.js';

/**
 * graphql-js puts the submitted value into coercion messages:
 *   Variable "$input" got invalid value { key: "sk-live-…" }; Field "name" … was not provided.
 *   Expected value of type "String!", found 123.
 * A submitted value may be an API key or a password (S14), so the value is cut out and only
 * the variable, the path and the reason are kept.
 */
export function withoutSubmittedValues(message: string): string {
  const variable = /^(Variable "\$[^"]+") got invalid value [\s\S]*?( at "[^"]*")?; ([\s\S]*)$/.exec(message);
  if (variable) {
    const reason = variable[3]!.split(/: |, found /)[0]!.replace(/\.?$/, '.');
    return `${variable[1]} has an invalid value${variable[2] ?? ''}; ${reason}`;
  }
  if (/^Variable "\$[^"]+" got invalid value/.test(message)) return message.replace(/ got invalid value[\s\S]*$/, ' has an invalid value.');
  return message.replace(/,? found [\s\S]*$/, '.').replace(/(cannot represent [^:]*): [\s\S]*$/, '$1.');
}

/**
 * A query limit's own code (graphql/limits.ts). Apollo relabels an error reported by a validation
 * rule GRAPHQL_VALIDATION_FAILED but keeps the rule's error as `originalError`.
 */
function limitCodeOf(error: unknown): LimitCode {
  for (let e: unknown = error, i = 0; e instanceof GraphQLError && i < 3; e = e.originalError, i++) {
    const code = e.extensions.code;
    if (isLimitCode(code)) return code;
  }
  return 'QUERY_TOO_COMPLEX';
}

/**
 * The one place GraphQL errors are shaped for clients: a stable `extensions.code`, a message
 * safe to show, `field` for form errors, and no stack trace outside development.
 * Anything unexpected becomes INTERNAL_SERVER_ERROR with a generic message (and is logged),
 * including a code that is not in ERROR_CODES: clients only ever see codes from that list.
 */
export function createErrorFormatter(logger: Logger, includeStacktrace: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
    if (original instanceof AppError) {
      return {
        ...base,
        message: original.message,
        extensions: { ...original.extensions, code: original.code, ...(original.field ? { field: original.field } : {}) },
      };
    }
    if (isDatabaseUnavailable(original)) {
      return { ...base, message: 'The database is unavailable; try again shortly', extensions: { code: 'DATABASE_UNAVAILABLE' satisfies ErrorCode } };
    }
    if (formatted.extensions?.queryLimit === true) {
      return { ...base, message: formatted.message, extensions: { code: limitCodeOf(error) satisfies ErrorCode } };
    }
    const code = formatted.extensions?.code;
    const tooLong = code === 'GRAPHQL_PARSE_FAILED' ? tokenLimitError(formatted.message) : undefined;
    if (tooLong) return { ...base, message: tooLong.message, extensions: { code: tooLong.code satisfies ErrorCode } };
    if (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR') {
      // GraphQL's own errors (validation, parse, variable coercion, UNAUTHENTICATED): safe to pass on.
      const { stacktrace, ...rest } = formatted.extensions ?? {};
      return {
        ...formatted,
        message: withoutSubmittedValues(formatted.message),
        extensions: includeStacktrace ? { ...rest, stacktrace } : rest,
      };
    }
    logger.error({ err: original, ...(typeof code === 'string' ? { code } : {}) }, 'unexpected error in a GraphQL operation');
    return {
      ...base,
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' satisfies ErrorCode, ...(includeStacktrace && original instanceof Error ? { stacktrace: original.stack?.split('\n') } : {}) },
    };
  };
}
