import type { EntityManager } from '@mikro-orm/postgresql';
import type { Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';
import type { GraphQLContext } from '../modules/accounts/context.js';
import type { SessionMeta } from '../modules/accounts/session.service.js';
import type { HubServices } from '../hub-services.js';

export type { GraphQLContext };

/**
 * The context of one HTTP request. `em` and `log` are getters on the prototype, so the fork and the
 * child logger are made only by resolvers that use them: Apollo copies the context's own
 * properties per request (Object.assign), which would call getters defined on the object itself.
 */
export class RequestGraphQLContext implements GraphQLContext<HubServices> {
  readonly auth: GraphQLContext<HubServices>['auth'];
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
