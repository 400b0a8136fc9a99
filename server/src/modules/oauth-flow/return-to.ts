/** Longest returnTo kept; the column holds 512. */
export const RETURN_TO_MAX = 512;

const BASE = 'http://hub.invalid';

/** A path browsers read as "another host": `//host`, `/\\host` (and any mix of the two slashes). */
const OTHER_HOST = /^[/\\][/\\]/;

/**
 * A `returnTo` the hub will redirect to after a connect: only a same-origin relative path —
 * one leading `/`, never `//` or `/\` (both mean "another host" to browsers), no backslash or
 * control character anywhere. Anything else is ignored (S08): the caller falls back to the
 * Integrations page rather than failing the connect.
 *
 * The value is checked as given AND as the WHATWG URL parser normalises it (what a browser
 * does with the Location header): dot segments, also percent-encoded ones, can turn
 * `/a/..//evil` or `/%2e%2e//evil` into `//evil`. The parse is against a placeholder origin
 * (the hub's own origin would do the same: only "same origin or not" matters), and the result
 * must be a fixed point — parsed again, it stays the same path on the same origin — and must not
 * name another host once percent-decoded either (`/%2e/%2fevil` → `/%2fevil` → `//evil`).
 */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > RETURN_TO_MAX) return null;
  if (!value.startsWith('/') || OTHER_HOST.test(value) || value.includes('\\')) return null;
  // Browsers strip tabs and newlines from URLs before parsing: `/\t/evil` would become `//evil`.
  if (/[\u0000-\u001f\u007f\s]/.test(value)) return null;
  const normalised = sameOriginPath(value);
  if (normalised === null || !normalised.startsWith('/') || OTHER_HOST.test(normalised)) return null;
  if (sameOriginPath(normalised) !== normalised) return null;
  let decodedPath: string;
  try {
    decodedPath = decodeURIComponent(new URL(normalised, BASE).pathname);
  } catch {
    return null;
  }
  if (OTHER_HOST.test(decodedPath) || /[\u0000-\u001f\u007f]/.test(decodedPath)) return null;
  return normalised;
}

/** path + query + fragment of `value` resolved against the placeholder origin, or null if it leaves it. */
function sameOriginPath(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
