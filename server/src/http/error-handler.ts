import type { NextFunction, Request, Response } from 'express';
import { isDatabaseUnavailable } from '../db/database-errors.js';
import { AppError, type ErrorCode } from '../shared/errors.js';

/**
 * The one REST error mapping. GraphQL requests get a GraphQL-shaped body (`errors` with
 * `extensions.code`) so clients parse every /graphql answer the same way. The stack trace of an
 * unexpected error (file paths included) is added only when `includeStacktrace` —
 * NODE_ENV=development set explicitly (S39); otherwise it goes to the log alone.
 */
export function createErrorHandler({ includeStacktrace }: { includeStacktrace: boolean }) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => errorHandler(err, req, res, next, includeStacktrace);
}

function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction, includeStacktrace: boolean): void {
  let status = 500;
  let code: ErrorCode = 'INTERNAL_SERVER_ERROR';
  let message = 'Internal server error';
  const e = err as { type?: string; status?: number; expose?: boolean };
  if (err instanceof AppError) {
    status = err.status;
    code = err.code;
    message = err.message;
  } else if (e?.type === 'entity.too.large') {
    status = 413;
    code = 'PAYLOAD_TOO_LARGE';
    message = 'Request body is too large';
  } else if (e?.type === 'entity.parse.failed') {
    status = 400;
    code = 'BAD_REQUEST';
    message = 'Request body is not valid JSON';
  } else if (isDatabaseUnavailable(err)) {
    status = 503;
    code = 'DATABASE_UNAVAILABLE';
    message = 'The database is unavailable; try again shortly';
  } else if ((e?.expose || err instanceof URIError) && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    // `expose`: body-parser and friends. URIError with status 400: the router could not decode a
    // path parameter (`/api/oauth/%zz/callback`); found by the callback fuzz drill (was a 500).
    status = e.status;
    code = 'BAD_REQUEST';
    message = 'Bad request';
  }
  const log = req.hub?.log;
  if (status >= 500) log?.error({ err, code }, 'request failed');
  else log?.debug({ code }, 'request rejected');
  if (res.headersSent) return;
  // An AppError is an answer the hub meant to give: its stack says nothing (as in GraphQL's formatter).
  const stacktrace = includeStacktrace && err instanceof Error && !(err instanceof AppError) && err.stack ? { stacktrace: err.stack.split('\n') } : {};
  if (req.path === '/graphql') {
    res.status(status).json({ errors: [{ message, extensions: { code, ...stacktrace } }] });
  } else {
    res.status(status).json({ error: { code, message, ...stacktrace } });
  }
}
