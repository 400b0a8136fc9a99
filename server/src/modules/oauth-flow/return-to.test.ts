import { describe, expect, it } from 'vitest';
import { safeReturnTo } from './return-to.js';

describe('returnTo', () => {
  it.each([
    '//evil.example',
    '//evil.example/integrations',
    'https://evil.example',
    'http:/evil.example',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'integrations',
    ' /integrations',
    '/integrations\n',
    '/\tevil',
    '',
    `/${'a'.repeat(600)}`,
  ])('S08 ignores %j', (value) => {
    expect(safeReturnTo(value)).toBeNull();
  });

  it('S08 ignores non-strings', () => {
    for (const value of [undefined, null, 42, ['/x'], { a: 1 }]) expect(safeReturnTo(value)).toBeNull();
  });

  it.each([
    ['/integrations', '/integrations'],
    ['/settings?tab=keys#top', '/settings?tab=keys#top'],
    ['/a/../b', '/b'],
  ])('S08 keeps the same-origin path %j', (value, kept) => {
    expect(safeReturnTo(value)).toBe(kept);
  });
});

describe('returnTo after normalisation', () => {
  it.each([
    // Dot segments (plain or percent-encoded) that resolve to `//host`.
    '/.//evil.example',
    '/a/..//evil.example',
    '/a/b/../..//evil.example',
    '/%2e%2e//evil.example',
    '/ok/%2e%2e//evil.example',
    '/%2E/%2E%2E//evil.example',
    // `//host` once percent-decoded.
    '/%2e/%2fevil.example',
    '/%2fevil.example',
    '/%2F%2Fevil.example',
    '/%5cevil.example',
    // Backslashes, tabs and newlines that browsers turn into slashes or strip.
    '/./\\evil.example',
    '/a/../\\\\evil.example',
    '/x/%2e%2e/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
  ])('S08 abuse: ignores %j, which names another host after normalisation', (value) => {
    expect(safeReturnTo(value)).toBeNull();
  });

  it('S08 abuse: what it keeps is a fixed point on the same origin that cannot name another host', () => {
    for (const [value, kept] of [
      ['/integrations?status=x', '/integrations?status=x'],
      ['/a/./b/../c', '/a/c'],
      ['/%2e%2e/integrations', '/integrations'],
      ['/a%2fb', '/a%2fb'],
    ] as const) {
      const result = safeReturnTo(value);
      expect(result, value).toBe(kept);
      const url = new URL(result!, 'https://hub.example.com');
      expect(url.origin).toBe('https://hub.example.com');
      expect(safeReturnTo(result)).toBe(result);
      expect(decodeURIComponent(url.pathname)).not.toMatch(/^[/\\]{2}/);
    }
  });
});
