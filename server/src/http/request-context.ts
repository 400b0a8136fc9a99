import type { EntityManager } from '@mikro-orm/postgresql';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import type { LiveSession, SessionMeta, SessionUser } from '../modules/sessions/session.service.js';

/** What the hub attaches to each request. */
export interface HubRequestState {
  id: string;
  log: Logger;
  meta: SessionMeta;
  em?: EntityManager;
  auth?: { user: SessionUser; session: LiveSession } | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    hub: HubRequestState;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * A request id (the caller's `X-Request-Id` when well-formed, else a new one), a child logger
 * carrying it, and one log line per request. Only the path is logged, never the query string:
 * OAuth callbacks carry codes and state there.
 */
export function requestContext(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.get('x-request-id');
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ reqId: id });
    req.hub = { id, log, meta: { ip: req.ip, userAgent: req.get('user-agent') } };
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    const path = req.originalUrl.split('?')[0];
    log.debug({ method: req.method, path }, 'request started');
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const level = res.statusCode >= 500 ? 'error' : 'info';
      log[level]({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request finished');
    });
    next();
  };
}
