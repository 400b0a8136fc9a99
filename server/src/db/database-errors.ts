import { AppError } from '../shared/errors.js';

/** Network-level failures that mean "the database is unreachable", as opposed to a bad query. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003']);

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
    const msg = String((e as { message?: unknown }).message ?? '');
    if (/Connection terminated|connect ECONNREFUSED|Timeout acquiring a connection|server closed the connection/i.test(msg)) return true;
    if (Array.isArray((e as { errors?: unknown[] }).errors)) {
      if ((e as { errors: unknown[] }).errors.some((x) => isDatabaseUnavailable(x))) return true;
    }
  }
  return false;
}

export const databaseUnavailable = (cause: unknown) =>
  new AppError('DATABASE_UNAVAILABLE', 'The database is unavailable; try again shortly', { cause });
