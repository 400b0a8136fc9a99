import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { ArgumentValidationError, AuthenticationError } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { createErrorFormatter } from '../graphql/errors.js';
import { captureLogger } from '../test/log-capture.js';
import { AppError, ERROR_CODES, badInput, conflict, isErrorCode, providerNotConfigured, providerUnavailable, rateLimited, unknownProvider } from './errors.js';

describe('the closed list of error codes', () => {
  it('holds every code Apollo Server and type-graphql can put into an answer', () => {
    const theirs = [...Object.values(ApolloServerErrorCode), new AuthenticationError().extensions.code, new ArgumentValidationError([]).extensions.code];
    for (const code of theirs) expect(isErrorCode(code), String(code)).toBe(true);
  });

  it('gives every AppError the status of its code, whichever factory built it', () => {
    const built = [
      badInput('name', 'Name is required'),
      conflict('Taken', 'email'),
      rateLimited('Wait', 90),
      unknownProvider(),
      providerNotConfigured('Set X', ['X']),
      providerUnavailable('Down', 'timeout'),
      new AppError('NEEDS_REAUTH', 'Connect again'),
    ];
    expect(built.map((e) => [e.code, e.status])).toEqual([
      ['BAD_USER_INPUT', 400],
      ['CONFLICT', 409],
      ['RATE_LIMITED', 429],
      ['UNKNOWN_PROVIDER', 404],
      ['PROVIDER_NOT_CONFIGURED', 409],
      ['PROVIDER_UNAVAILABLE', 502],
      ['NEEDS_REAUTH', 409],
    ]);
    for (const e of built) expect(e.status).toBe(ERROR_CODES[e.code]);
    expect(rateLimited('Wait', 90).extensions).toEqual({ retryAfterSeconds: 90 });
    expect(conflict('Taken').field).toBeUndefined();
  });

  it('isErrorCode accepts listed codes only (not inherited names, not other types)', () => {
    expect(isErrorCode('NOT_FOUND')).toBe(true);
    for (const value of ['not_found', 'TOSTRING', 'toString', '__proto__', '', 404, null, undefined]) expect(isErrorCode(value), String(value)).toBe(false);
  });
});

describe('the GraphQL formatter sends listed codes only', () => {
  const format = (error: GraphQLError, logger = captureLogger()) =>
    createErrorFormatter(logger.logger, false)(error.toJSON(), error);

  it('passes a listed code of GraphQL’s own through', () => {
    const formatted = format(new GraphQLError('Syntax Error: Unexpected Name "quer".', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }));
    expect(formatted.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(formatted.message).toBe('Syntax Error: Unexpected Name "quer".');
  });

  it('turns a code missing from the list into INTERNAL_SERVER_ERROR and logs it', () => {
    const logs = captureLogger();
    const formatted = format(new GraphQLError('Something new', { extensions: { code: 'SOMETHING_UNLISTED' } }), logs);
    expect(formatted).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logs.text()).toContain('SOMETHING_UNLISTED');
  });

  it('never lets an AppError’s extensions replace its code', () => {
    const error = new AppError('CONFLICT', 'Taken', { field: 'name', extensions: { code: 'SOMETHING_UNLISTED' } });
    const formatted = createErrorFormatter(captureLogger().logger, false)({ message: error.message }, error);
    expect(formatted.extensions).toEqual({ code: 'CONFLICT', field: 'name' });
  });
});
