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
