import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../db/database-errors.js';
import type { Logger } from '../logging/logger.js';
import { AppError } from '../shared/errors.js';

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
 * The one place GraphQL errors are shaped for clients: a stable `extensions.code`, a message
 * safe to show, `field` for form errors, and no stack trace outside development.
 * Anything unexpected becomes INTERNAL_SERVER_ERROR with a generic message (and is logged).
 */
export function createErrorFormatter(logger: Logger, includeStacktrace: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
    if (original instanceof AppError) {
      return {
        ...base,
        message: original.message,
        extensions: { code: original.code, ...(original.field ? { field: original.field } : {}), ...original.extensions },
      };
    }
    if (isDatabaseUnavailable(original)) {
      return { ...base, message: 'The database is unavailable; try again shortly', extensions: { code: 'DATABASE_UNAVAILABLE' } };
    }
    if (formatted.extensions?.queryLimit === true) {
      return { ...base, message: formatted.message, extensions: { code: 'QUERY_TOO_COMPLEX' } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
      // GraphQL's own errors (validation, parse, variable coercion, UNAUTHENTICATED): safe to pass on.
      const { stacktrace, ...rest } = formatted.extensions ?? {};
      return {
        ...formatted,
        message: withoutSubmittedValues(formatted.message),
        extensions: includeStacktrace ? { ...rest, stacktrace } : rest,
      };
    }
    logger.error({ err: original }, 'unexpected error in a GraphQL operation');
    return {
      ...base,
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(includeStacktrace && original instanceof Error ? { stacktrace: original.stack?.split('\n') } : {}) },
    };
  };
}
