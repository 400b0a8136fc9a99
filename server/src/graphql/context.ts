import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';
import type { LiveSession, SessionMeta, SessionUser } from '../modules/sessions/session.service.js';
import type { HubServices } from '../hub-services.js';

/** What every resolver receives: one forked EntityManager per request, and who is asking. */
export interface GraphQLContext {
  em: EntityManager;
  auth: { user: SessionUser; session: LiveSession } | null;
  meta: SessionMeta;
  log: Logger;
  services: HubServices;
  req: Request;
  res: Response;
}

/** For resolvers behind @Authorized(): the auth checker has already ensured a session. */
export function currentUser(ctx: GraphQLContext): SessionUser {
  if (!ctx.auth) throw new Error('currentUser() called without a session: missing @Authorized()?');
  return ctx.auth.user;
}

/**
 * The context of one HTTP request. `em` and `log` are getters on the prototype, so the fork and the
 * child logger are made only by resolvers that use them: Apollo copies the context's own
 * properties per request (Object.assign), which would call getters defined on the object itself.
 */
export class RequestGraphQLContext implements GraphQLContext {
  readonly auth: GraphQLContext['auth'];
  readonly meta: SessionMeta;

  constructor(
    readonly services: HubServices,
    readonly req: Request,
    readonly res: Response,
  ) {
    this.auth = req.hub.auth ?? null;
    this.meta = req.hub.meta;
  }

  get em(): EntityManager {
    const em = this.req.hub.em;
    if (!em) throw new Error('No EntityManager for this request: is the session middleware mounted?');
    return em;
  }

  get log(): Logger {
    return this.req.hub.log;
  }
}
