import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import type { GraphQLSchema } from 'graphql';
import { createErrorFormatter } from '../graphql/errors.js';
import { RequestGraphQLContext, type GraphQLContext } from '../graphql/context.js';
import { QUERY_PARSE_OPTIONS, QUERY_VALIDATION_OPTIONS, queryLimits, queryLimitsPlugin } from '../graphql/limits.js';
import { knownOperationTypes } from '../graphql/known-operation-types.js';
import type { HubServices } from '../hub-services.js';
import { credentialsRoutes } from '../modules/api-keys/credentials.routes.js';
import { serviceRoutesGuard } from './service-auth.js';
import { tokenRoutes } from '../modules/token-lifecycle/token.routes.js';
import { healthRoutes } from '../modules/health/health.routes.js';
import { oauthRoutes } from '../modules/oauth-flow/oauth.routes.js';
import { createErrorHandler } from './error-handler.js';
import { requestContext } from './request-context.js';
import { securityHeaders } from './security-headers.js';
import { sessionMiddleware } from '../modules/accounts/session.middleware.js';
import { staticClient } from './static-client.js';

export const GRAPHQL_BODY_LIMIT = '64kb';

export interface AppParts {
  app: Express;
  apollo: ApolloServer<GraphQLContext>;
}

/**
 * Answers 503 when any error of the operation is DATABASE_UNAVAILABLE (F02), and marks every
 * answer `Cache-Control: no-store` (what Apollo's cache-control plugin wrote for an API without
 * cache hints; that plugin is off: it hooked every resolved field of every answer).
 */
const databaseStatusPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
        const body = response.body;
        if (body.kind === 'single' && body.singleResult.errors?.some((e) => e.extensions?.code === 'DATABASE_UNAVAILABLE')) {
          response.http.status = 503;
        }
      },
    };
  },
};

/** Assembles the express app: health, GraphQL, REST routes, and the dashboard. */
export async function createApp(services: HubServices, schema: GraphQLSchema, clientDir: string): Promise<AppParts> {
  const { config, logger } = services;
  // Stack traces (with file paths) only when NODE_ENV=development is set explicitly (S39).
  const includeStacktrace = config.nodeEnv === 'development';
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM and stops Apollo, HTTP and the database in order.
    stopOnTerminationSignals: false,
    // On in production too: GraphiQL needs it and the schema is public (schema.graphql); the query
    // limits bound what an introspection query may cost (graphql/limits.ts).
    introspection: true,
    includeStacktraceInErrorResponses: includeStacktrace,
    parseOptions: QUERY_PARSE_OPTIONS,
    validationOptions: QUERY_VALIDATION_OPTIONS,
    validationRules: [queryLimits(), knownOperationTypes],
    formatError: createErrorFormatter(logger, includeStacktrace),
    plugins: [databaseStatusPlugin, queryLimitsPlugin, ApolloServerPluginCacheControlDisabled()],
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  // No ETag on API answers: they are per-user and `no-store`, and hashing each body costs CPU on
  // every request. (Dashboard files get theirs from express.static / sendFile, not from this.)
  app.set('etag', false);
  // express's own fallback handlers print stack traces unless its env is 'production' (it reads
  // NODE_ENV, which may be unset): tie them to the hub's notion of development instead.
  app.set('env', includeStacktrace ? 'development' : 'production');
  // A hop count or proxy addresses, never "every hop" (S38): req.ip is then the right-most
  // address no trusted proxy vouches for, whatever the client put in X-Forwarded-For.
  app.set('trust proxy', config.trustProxy);
  app.use(requestContext(logger));
  app.use(securityHeaders(config));

  const json = express.json({ limit: GRAPHQL_BODY_LIMIT });
  const session = sessionMiddleware(services);
  app.use(
    '/graphql',
    json,
    session,
    expressMiddleware(apollo, {
      context: async ({ req, res }) => new RequestGraphQLContext(services, req, res),
    }),
  );

  // Backend services (HUB_SERVICE_TOKEN); own small JSON body limit. Before the SPA fallback.
  // OAuth access tokens (the busier) and API keys, behind one HUB_SERVICE_TOKEN check.
  app.use('/api/credentials', serviceRoutesGuard(config.serviceToken), tokenRoutes(services), credentialsRoutes(services));
  // After the two busiest mounts (GraphQL, service credentials), which never walk its routes.
  app.use(healthRoutes(services.db));
  // Connect flows: initiate (302 to the provider) and callback.
  app.use('/api/oauth', session, oauthRoutes(services));
  // SANDBOX=1: the provider simulator, outside every hub middleware but the request log.
  if (services.sandbox) app.use(services.sandbox.mountPath, services.sandbox.router);

  app.use(staticClient(clientDir));
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No such route' } });
  });
  app.use(createErrorHandler({ includeStacktrace }));
  return { app, apollo };
}
