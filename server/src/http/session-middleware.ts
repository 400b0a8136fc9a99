import type { NextFunction, Request, Response } from 'express';
import { databaseUnavailable, isDatabaseUnavailable } from '../db/database-errors.js';
import type { HubServices } from '../hub-services.js';
import { SessionService } from '../modules/sessions/session.service.js';
import { readSessionToken } from './session-cookie.js';

/**
 * Forks one EntityManager for the request and resolves the session cookie to a user.
 * Authorization decisions are made later (GraphQL auth checker, route guards).
 */
export function sessionMiddleware(services: HubServices) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const em = services.db.orm.em.fork();
    req.hub.em = em;
    req.hub.auth = null;
    const token = readSessionToken(req, services.config);
    if (!token) return next();
    try {
      const session = await new SessionService(em).resolve(token);
      if (session) {
        req.hub.auth = { user: session.user, session };
        req.hub.log = req.hub.log.child({ userId: session.user.id });
        req.hub.log.debug('session resolved');
      } else {
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
