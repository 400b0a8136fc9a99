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

describe('formatRelative: equal durations, equal words', () => {
  const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();
  const words = (text: string) => text.replace(/^in /, '').replace(/ ago$/, '');

  it('a one-hour lifetime reads "in 1 hour" however many seconds have passed, never "in 60 minutes"', () => {
    for (const seconds of [3600, 3599, 3590, 3570]) expect(formatRelative(at(seconds), NOW, 'en'), `${seconds}s`).toBe('in 1 hour');
    expect(formatRelative(at(3569), NOW, 'en')).toBe('in 59 minutes');
  });

  it('a one-day lifetime reads "tomorrow", never "in 24 hours"; seven days "next week", never "in 7 days"', () => {
    for (const seconds of [86_400, 86_340, 84_600]) expect(formatRelative(at(seconds), NOW, 'en'), `${seconds}s`).toBe('tomorrow');
    for (const seconds of [7 * 86_400, 7 * 86_400 - 3600]) expect(formatRelative(at(seconds), NOW, 'en'), `${seconds}s`).toBe('next week');
  });

  it('never shows as many of a unit as make one of the next one, and says the same into the past and the future', () => {
    const unitCounts = /\b(60 minutes|24 hours|7 days|4 weeks|12 months)\b/;
    for (let seconds = 45; seconds < 800 * 86_400; seconds = Math.ceil(seconds * 1.003)) {
      const future = formatRelative(at(seconds), NOW, 'en');
      const past = formatRelative(at(-seconds), NOW, 'en');
      expect(future, `${seconds}s`).not.toMatch(unitCounts);
      if (!/^(tomorrow|yesterday|next|last) ?/.test(future)) expect(words(past), `${seconds}s`).toBe(words(future));
    }
  });
});

describe('formatAbsolute', () => {
  it('formats in the given locale and time zone, and passes through garbage', () => {
    expect(formatAbsolute('2026-11-24T10:05:09.000Z', 'en-GB', 'UTC')).toBe('24 Nov 2026, 10:05:09');
    expect(formatAbsolute('nope', 'en-GB', 'UTC')).toBe('nope');
  });
});
