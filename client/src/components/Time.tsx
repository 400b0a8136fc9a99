/**
 * Dates as people read them: "3 minutes ago" with the exact local time on hover (and for
 * screen readers via <time dateTime>), or the exact time spelled out. Formatting uses the
 * browser's locale and time zone; the pure functions take `now`/`locale` for tests.
 */

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "just now", "5 minutes ago", "in 2 hours", "3 days ago"… (past and future). */
export function formatRelative(iso: string, now: number = Date.now(), locale?: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'minute') {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(seconds, 'second');
}

/** "24 Nov 2026, 10:00:00" in the viewer's locale and time zone. */
export function formatAbsolute(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(
    date,
  );
}

export interface TimeProps {
  value: string;
  /** 'relative' (default): relative text, exact time as a tooltip. 'both': relative, then exact below. */
  display?: 'relative' | 'both';
}

export function Time({ value, display = 'relative' }: TimeProps) {
  const absolute = formatAbsolute(value);
  const relative = formatRelative(value);
  if (display === 'both') {
    return (
      <time className="time time-both" dateTime={value} title={absolute}>
        <span className="time-relative">{relative}</span>
        <span className="time-absolute">{absolute}</span>
      </time>
    );
  }
  return (
    <time className="time" dateTime={value} title={absolute}>
      {relative}
    </time>
  );
}
