import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../test/test-hub.js';
import { withoutSubmittedValues } from './errors.js';

describe('GraphQL error messages never echo submitted values', () => {
  it('S14 cuts the value out of graphql-js coercion messages, keeping variable, path and reason', () => {
    expect(
      withoutSubmittedValues('Variable "$input" got invalid value { service: "openai", key: "sk-live-1" }; Field "name" of required type "String!" was not provided.'),
    ).toBe('Variable "$input" has an invalid value; Field "name" of required type "String!" was not provided.');
    expect(withoutSubmittedValues('Variable "$input" got invalid value 42 at "input.key"; String cannot represent a non string value: 42')).toBe(
      'Variable "$input" has an invalid value at "input.key"; String cannot represent a non string value.',
    );
    expect(withoutSubmittedValues('Expected value of type "String!", found 12345.')).toBe('Expected value of type "String!".');
    expect(withoutSubmittedValues('Cannot query field "nope" on type "Query".')).toBe('Cannot query field "nope" on type "Query".');
  });

  describe('through the API', () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startTestHub('pglite');
    });
    afterAll(async () => {
      await t?.close();
    });

    it('S14 a malformed createApiKey input containing a key does not echo the key', async () => {
      const c = t.client();
      await c.signUp();
      const key = 'sk-live-do-not-echo-0123456789';
      const mutation = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { id } }';
      const missingName = await c.gql(mutation, { input: { service: 'openai', key } });
      const unknownField = await c.gql(mutation, { input: { service: 'openai', name: 'n', key, extra: key } });
      const wrongType = await c.gql(mutation, { input: { service: 'openai', name: 'n', key: { value: key } } });
      for (const r of [missingName, unknownField, wrongType]) {
        expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(r.raw).not.toContain(key);
      }
      expect(missingName.errors?.[0]?.message).toBe('Variable "$input" has an invalid value; Field "name" of required type "String!" was not provided.');
      const literal = await c.gql(`mutation { createApiKey(input: { service: "openai", name: 7, key: "${key}" }) { id } }`);
      expect(literal.errors?.length).toBeGreaterThan(0);
      expect(literal.raw).not.toContain(key);
    });
  });
});
