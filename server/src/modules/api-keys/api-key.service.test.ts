import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import { apiKeyHint, checkKey, checkName, checkService, isUuid } from './api-key.service.js';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BAD_USER_INPUT');
    return (err as AppError).field;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('API key hint', () => {
  it('S27 is the last 4 characters of a normal key', () => {
    expect(apiKeyHint('sk-proj-abcdefghijklmnop1234')).toBe('1234');
    expect(apiKeyHint('0123456789abcdef')).toBe('cdef');
  });

  it('S27 never shows more than a quarter of the key, nor more than 4 characters, and is its suffix', () => {
    expect(apiKeyHint('abc')).toBe('');
    expect(apiKeyHint('abcd')).toBe('d');
    expect(apiKeyHint('abcdefgh')).toBe('gh');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 0, maxLength: 64 }), (key) => {
        const hint = apiKeyHint(key);
        const chars = Array.from(key);
        const hintChars = Array.from(hint);
        expect(hintChars.length).toBeLessThanOrEqual(4);
        expect(hintChars.length * 4).toBeLessThanOrEqual(chars.length);
        expect(key.endsWith(hint)).toBe(true);
      }),
    );
  });

  it('counts characters, not UTF-16 units (no half emoji)', () => {
    expect(apiKeyHint('key-with-emoji-😀😀😀😀')).toBe('😀😀😀😀');
  });
});

describe('API key input rules', () => {
  it('service: lower-case slug up to 100 characters', () => {
    for (const ok of ['openai', 'a', 'my-service.v2_x', '9lives', `a${'b'.repeat(99)}`]) expect(checkService(ok)).toBe(ok);
    expect(checkService('  openai ')).toBe('openai');
    for (const bad of ['', ' ', 'OpenAI', '-x', '.x', '_x', 'a b', 'a/b', `a${'b'.repeat(100)}`, 'é']) expect(fieldOf(() => checkService(bad))).toBe('service');
  });

  it('name: 1..255 characters after trimming, no control characters', () => {
    expect(checkName('  My key ')).toBe('My key');
    expect(checkName('n'.repeat(255))).toBe('n'.repeat(255));
    for (const bad of ['', '   ', 'n'.repeat(256), 'a\nb', 'a\u0000b', '\ud800']) expect(fieldOf(() => checkName(bad))).toBe('name');
  });

  it('key: 1..4096 characters after trimming, no control characters or lone surrogates', () => {
    expect(checkKey(' sk-1 \n')).toBe('sk-1');
    expect(checkKey('k'.repeat(4096))).toHaveLength(4096);
    for (const bad of ['', '\t\n', 'k'.repeat(4097), 'a\u0000b', 'a\u0007b', 'x\udc00']) expect(fieldOf(() => checkKey(bad))).toBe('key');
  });

  it('messages never echo the key', () => {
    for (const secret of [`secret-${'z'.repeat(5000)}`, 'secret-\u0000-with-nul']) {
      let message = '';
      try {
        checkKey(secret);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^API key /);
      expect(message).not.toContain('secret-');
    }
  });

  it('isUuid accepts any-case uuids only', () => {
    expect(isUuid('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(isUuid('0F8FAD5B-D9CB-469F-A165-70867728950E')).toBe(true);
    for (const bad of ['', 'x', '0f8fad5b-d9cb-469f-a165-70867728950', '0f8fad5b-d9cb-469f-a165-70867728950e ', "' or 1=1 --"]) expect(isUuid(bad)).toBe(false);
  });
});
