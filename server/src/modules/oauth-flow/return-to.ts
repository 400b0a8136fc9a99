/** Longest returnTo kept; the column holds 512. */
export const RETURN_TO_MAX = 512;

const BASE = 'http://hub.invalid';

/**
 * A `returnTo` the hub will redirect to after a connect: only a same-origin relative path —
 * one leading `/`, never `//` or `/\` (both mean "another host" to browsers), no backslash or
 * control character anywhere. Anything else is ignored (S08): the caller falls back to the
 * Integrations page rather than failing the connect.
 */
export function safeReturnTo(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > RETURN_TO_MAX) return null;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return null;
  if (/[\u0000-\u001f\u007f\s]/.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}
