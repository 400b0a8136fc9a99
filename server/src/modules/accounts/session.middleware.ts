import type { NextFunction, Request, Response } from 'express';
import { databaseUnavailable, isDatabaseUnavailable } from '../../db/database-errors.js';
import type { ModuleServices } from '../services.js';
import { SessionService } from './session.service.js';
import { readSessionToken } from './session-cookie.js';

/**
 * Gives the request its EntityManager (a fork, made on first use) and resolves the session cookie
 * to a user.
 * Authorization decisions are made later (GraphQL auth checker, route guards).
 */
export function sessionMiddleware(services: ModuleServices) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    req.hub.useEntityManager(services.db.orm.em);
    req.hub.auth = null;
    const token = readSessionToken(req, services.config);
    if (!token) return next();
    try {
      // Plain statements only (no identity map): the global EntityManager, not a fork per request.
      const session = await new SessionService(services.db.orm.em).resolve(token);
      if (session) {
        req.hub.auth = { user: session.user, session };
        req.hub.bindLog({ userId: session.user.id });
        if (req.hub.logs('debug')) req.hub.log.debug('session resolved');
      } else if (req.hub.logs('debug')) {
        req.hub.log.debug('session cookie did not match a live session');
      }
      next();
    } catch (err) {
      next(isDatabaseUnavailable(err) ? databaseUnavailable(err) : err);
    }
  };
}

/** For REST routes that need a signed-in user. */
export function requireSession(req: Request, res: Response, next: NextFunction) {
  if (req.hub.auth) return next();
  res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first' } });
}
