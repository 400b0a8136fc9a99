import { describe, expect, it } from 'vitest';
import type { ReadError } from '../../lib/graphql-errors';
import {
  DUPLICATE_MESSAGE,
  KEY_GONE_MESSAGE,
  placeApiKeyError,
  validateApiKeyInput,
  validateKey,
  validateName,
  validateService,
} from './validation';

describe('validateService (mirrors ^[a-z0-9][a-z0-9_.-]{0,99}$ after trimming)', () => {
  it.each(['openai', 'a', '0day', 'my-service.v2_eu', ' stripe ', 'a'.repeat(100)])('accepts %j', (value) => {
    expect(validateService(value)).toBeUndefined();
  });

  it.each([
    ['', 'Enter the service this key is for.'],
    ['   ', 'Enter the service this key is for.'],
    ['OpenAI', 'Use lower-case letters: “openai”.'],
    ['-leading', 'Service may contain only lower-case letters, digits, “.”, “_” and “-”, and must start with a letter or digit.'],
    ['.dot', 'Service may contain only lower-case letters, digits, “.”, “_” and “-”, and must start with a letter or digit.'],
    ['with space', 'Service may contain only lower-case letters, digits, “.”, “_” and “-”, and must start with a letter or digit.'],
    ['ünïcode', 'Service may contain only lower-case letters, digits, “.”, “_” and “-”, and must start with a letter or digit.'],
    ['a'.repeat(101), 'Service must be at most 100 characters.'],
  ])('%j → %j', (value, message) => {
    expect(validateService(value)).toBe(message);
  });
});

describe('validateName', () => {
  it('requires a value of at most 255 characters without control characters', () => {
    expect(validateName('')).toBe('Enter a name for this key.');
    expect(validateName('  ')).toBe('Enter a name for this key.');
    expect(validateName('x'.repeat(255))).toBeUndefined();
    expect(validateName(` ${'x'.repeat(255)} `)).toBeUndefined();
    expect(validateName('x'.repeat(256))).toBe('Name must be at most 255 characters.');
    expect(validateName('line\nbreak')).toBe('Name contains characters that are not allowed.');
    expect(validateName('Production (EU) — ünïcode ok')).toBeUndefined();
  });
});

describe('validateKey', () => {
  it('requires a value of at most 4096 characters without control characters', () => {
    expect(validateKey('')).toBe('Paste the API key.');
    expect(validateKey(' \n ')).toBe('Paste the API key.');
    expect(validateKey('k'.repeat(4096))).toBeUndefined();
    expect(validateKey('k'.repeat(4097))).toBe('The key must be at most 4096 characters.');
    expect(validateKey('sk-abc\tdef')).toBe('The key contains characters that cannot be part of a key (line breaks, tabs…).');
    expect(validateKey('  sk-pasted-with-spaces\n')).toBeUndefined();
  });
});

describe('validateApiKeyInput', () => {
  it('checks only the fields given and reports all of them at once', () => {
    expect(validateApiKeyInput({ service: '', name: '', key: '' })).toEqual({
      service: 'Enter the service this key is for.',
      name: 'Enter a name for this key.',
      key: 'Paste the API key.',
    });
    expect(validateApiKeyInput({ key: 'sk-1' })).toEqual({});
    expect(validateApiKeyInput({ name: '' })).toEqual({ name: 'Enter a name for this key.' });
  });
});

describe('placeApiKeyError', () => {
  const generic = (e: ReadError) => `generic:${e.code}`;
  const error = (code: ReadError['code'], message: string, field?: string): ReadError => ({ code, message, field });

  it('puts BAD_USER_INPUT under the field the server names, when the form has it', () => {
    expect(placeApiKeyError(error('BAD_USER_INPUT', 'Service is required', 'service'), ['service', 'name', 'key'], generic)).toEqual({
      field: 'service',
      message: 'Service is required',
    });
    expect(placeApiKeyError(error('BAD_USER_INPUT', 'API key is required', 'key'), ['name'], generic)).toEqual({
      message: 'API key is required',
    });
  });

  it('maps CONFLICT to the name field, NOT_FOUND and the rest above the form', () => {
    expect(placeApiKeyError(error('CONFLICT', 'dup', 'name'), ['service', 'name', 'key'], generic)).toEqual({
      field: 'name',
      message: DUPLICATE_MESSAGE,
    });
    expect(placeApiKeyError(error('CONFLICT', 'dup', 'name'), ['key'], generic)).toEqual({ message: DUPLICATE_MESSAGE });
    expect(placeApiKeyError(error('NOT_FOUND', 'API key not found'), ['key'], generic)).toEqual({ message: KEY_GONE_MESSAGE });
    expect(placeApiKeyError(error('NETWORK', 'Failed to fetch'), ['key'], generic)).toEqual({ message: 'generic:NETWORK' });
  });
});
