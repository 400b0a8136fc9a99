/**
 * Deep redaction for log objects. pino's path-based `redact` cannot express "any field named
 * like a token, secret or key", so every logged object passes through here (pino's
 * `formatters.log`). Values are replaced, never partially shown.
 */
export const REDACTED = '[redacted]';

// Matches accessToken, refresh_token, clientSecret, apiKey, password, authorization, cookie,
// code (OAuth authorization codes), code_verifier, state, hmac, signature…
const SENSITIVE_KEY =
  /(token|secret|passw(or)?d|api[-_]?key|^key$|private[-_]?key|encryption[-_]?key|authorization|cookie|^code$|code[-_]?verifier|verifier|^state$|hmac|signature|credential|session[-_]?id)/i;

// Error codes (ECONNREFUSED, 23505, INVALID_GRANT) are useful and not secret; an OAuth
// authorization code is mixed-case random text. So `code` is kept only when it looks like the former.
const ERROR_CODE_VALUE = /^[A-Z0-9_]{1,40}$/;

export function isSensitiveKey(key: string, value?: unknown): boolean {
  if (key === 'code' && typeof value === 'string' && ERROR_CODE_VALUE.test(value)) return false;
  if (key === 'code' && typeof value === 'number') return false;
  return SENSITIVE_KEY.test(key);
}

export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[truncated]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    // Errors keep their class, code and message; messages are written never to hold secrets.
    const out: Record<string, unknown> = { type: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.stack) out.stack = value.stack;
    if (value.cause !== undefined) out.cause = redactDeep(value.cause, depth + 1, seen);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSensitiveKey(k, v) && v !== undefined && v !== null && typeof v !== 'boolean' ? REDACTED : redactDeep(v, depth + 1, seen);
  }
  return out;
}
