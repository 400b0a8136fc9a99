import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { genericErrorMessage, readError } from './graphql-errors';

const graphqlErrors = (extensions: Record<string, unknown>) =>
  new CombinedGraphQLErrors({ errors: [{ message: 'From the server', extensions }], data: null });

const serverError = (status: number, body: unknown) =>
  new ServerError('Response not successful', { response: new Response(null, { status }), bodyText: JSON.stringify(body) });

describe('readError', () => {
  it('keeps a code from the generated list, and the field', () => {
    expect(readError(graphqlErrors({ code: 'CONFLICT', field: 'name' }))).toEqual({ code: 'CONFLICT', field: 'name', message: 'From the server' });
    expect(readError(serverError(503, { errors: [{ message: 'Down', extensions: { code: 'DATABASE_UNAVAILABLE' } }] }))).toEqual({
      code: 'DATABASE_UNAVAILABLE',
      field: undefined,
      message: 'Down',
    });
  });

  it('reads a code it does not know, or none, as INTERNAL_SERVER_ERROR (the generic message, no guessed branch)', () => {
    for (const extensions of [{ code: 'SOMETHING_NEWER' }, { code: 42 }, {}]) {
      const read = readError(graphqlErrors(extensions));
      expect(read.code).toBe('INTERNAL_SERVER_ERROR');
      expect(genericErrorMessage(read)).toBe('Something went wrong on our side. Please try again.');
    }
    expect(readError(serverError(400, { errors: [{ message: 'x', extensions: { code: 'SOMETHING_NEWER' } }] })).code).toBe('INTERNAL_SERVER_ERROR');
  });

  it('falls back to RATE_LIMITED or NETWORK when the body is not a GraphQL answer', () => {
    expect(readError(serverError(429, 'Too Many Requests')).code).toBe('RATE_LIMITED');
    expect(readError(serverError(502, '<html>Bad Gateway</html>')).code).toBe('NETWORK');
    expect(readError(new TypeError('Failed to fetch')).code).toBe('NETWORK');
  });
});
