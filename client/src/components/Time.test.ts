import { describe, expect, it } from 'vitest';
import { formatAbsolute, formatRelative } from './Time';

const NOW = Date.parse('2026-11-24T12:00:00.000Z');

describe('formatRelative', () => {
  it.each([
    ['2026-11-24T11:59:30.000Z', 'just now'],
    ['2026-11-24T12:00:20.000Z', 'just now'],
    ['2026-11-24T11:55:00.000Z', '5 minutes ago'],
    ['2026-11-24T09:00:00.000Z', '3 hours ago'],
    ['2026-11-23T12:00:00.000Z', 'yesterday'],
    ['2026-11-10T12:00:00.000Z', '2 weeks ago'],
    ['2026-11-24T14:00:00.000Z', 'in 2 hours'],
    ['2025-11-24T12:00:00.000Z', 'last year'],
    ['not a date', 'not a date'],
  ])('%s → %s', (iso, expected) => {
    expect(formatRelative(iso, NOW, 'en')).toBe(expected);
  });
});

describe('formatAbsolute', () => {
  it('formats in the given locale and time zone, and passes through garbage', () => {
    expect(formatAbsolute('2026-11-24T10:05:09.000Z', 'en-GB', 'UTC')).toBe('24 Nov 2026, 10:05:09');
    expect(formatAbsolute('nope', 'en-GB', 'UTC')).toBe('nope');
  });
});
