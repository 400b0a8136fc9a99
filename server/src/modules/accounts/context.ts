import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import type { ModuleServices } from '../services.js';
import type { Logger } from '../../logging/logger.js';
import type { AuthEvents } from './auth.service.js';
import type { LiveSession, SessionMeta, SessionUser } from './session.service.js';

/**
 * What every resolver receives: one forked EntityManager per request, and who is asking.
 * Declared here, beside the sessions it carries, so the modules' resolvers depend on accounts
 * and not on graphql/ (which imports the modules to build the schema). `S` names the services a
 * resolver uses; the context the hub builds carries all of them (HubServices).
 */
export interface GraphQLContext<S extends ModuleServices = ModuleServices> {
  em: EntityManager;
  auth: { user: SessionUser; session: LiveSession } | null;
  meta: SessionMeta;
  log: Logger;
  services: S;
  req: Request;
  res: Response;
}

/** For resolvers behind @Authorized(): the auth checker has already ensured a session. */
export function currentUser(ctx: Pick<GraphQLContext, 'auth'>): SessionUser {
  if (!ctx.auth) throw new Error('currentUser() called without a session: missing @Authorized()?');
  return ctx.auth.user;
}

/** The services the account resolvers use: the platform's, plus where sign-in events go. */
export interface AccountServices extends ModuleServices {
  /** Sign-in/out events, recorded by the audit log. */
  authEvents: AuthEvents;
}
