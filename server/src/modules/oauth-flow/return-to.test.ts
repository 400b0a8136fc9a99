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
