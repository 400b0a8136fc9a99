/**
 * A handful of 24×24 stroke icons drawn inline (no icon font, no library: each is a few
 * hundred bytes). Decorative only: callers give the surrounding control its text.
 */
const PATHS = {
  plug: 'M9 2v5m6-5v5M6 7h12v4a6 6 0 0 1-12 0V7Zm6 10v5',
  key: 'M7.5 12a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7ZM10 13l9-9m-3 3 2 2m-4 0 2 2',
  activity: 'M3 12h4l3-8 4 16 3-8h4',
  logout: 'M15 4h4a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1h-4M10 17l5-5-5-5m5 5H4',
  code: 'm8 16-4-4 4-4m8 0 4 4-4 4M14 4l-4 16',
  hub: 'M12 3v4m0 10v4M3 12h4m10 0h4M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
