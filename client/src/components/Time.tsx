/**
 * Dates as people read them: "3 minutes ago" with the exact local time on hover (and for
 * screen readers via <time dateTime>), or the exact time spelled out. Formatting uses the
 * browser's locale and time zone; the pure functions take `now`/`locale` for tests.
 */

/** Smallest first. A count that makes one of the next unit is shown as that unit (see formatRelative). */
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['minute', 60],
  ['hour', 3600],
  ['day', 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['year', 365 * 24 * 3600],
];

/** Rounded to whole units the same way into the past and the future (Math.round alone is not symmetric at .5). */
const countOf = (seconds: number, size: number) => Math.sign(seconds) * Math.round(Math.abs(seconds) / size);

/**
 * "just now", "5 minutes ago", "in 2 hours", "3 days ago"… (past and future). The one formatter
 * for every relative time in the dashboard, so equal lifetimes read the same everywhere: the
 * unit moves up as soon as the rounded count reaches one of the next unit — a token that expires
 * in 59 min 40 s is "in 1 hour", never "in 60 minutes"; 23 h 50 min is "tomorrow", never "in 24 hours".
 */
export function formatRelative(iso: string, now: number = Date.now(), locale?: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  const seconds = countOf(then - now, 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  let [unit, size] = UNITS[0]!;
  for (const [nextUnit, nextSize] of UNITS.slice(1)) {
    if (Math.abs(countOf(seconds, size)) < Math.round(nextSize / size)) break;
    [unit, size] = [nextUnit, nextSize];
  }
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(countOf(seconds, size), unit);
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
