import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { AuthenticationError, type AuthChecker } from 'type-graphql';
import type { GraphQLContext } from './context.js';

/**
 * The only operations a signed-out caller may run. Everything else needs a session — both
 * through @Authorized() on resolvers and through `requireSessionByDefault`, so an operation
 * added later without @Authorized() is still closed.
 */
export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set(['Query.me', 'Mutation.signUp', 'Mutation.signIn']);

export const authChecker: AuthChecker<GraphQLContext> = ({ context }) => context.auth !== null;

/**
 * Closes every root field (Query, Mutation) but PUBLIC_OPERATIONS to callers without a session,
 * by wrapping its resolver in the built schema. Only root fields: once an operation is allowed,
 * the fields of its answer need no check of their own.
 *
 * (This used to be a type-graphql global middleware. Those wrap EVERY field of every object type
 * in an async middleware chain — one promise per field of the answer, ~100 for the Integrations
 * query — to act on the root fields only; the profile of benchmark B1 showed that cost.)
 */
export function requireSessionByDefault(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.name.startsWith('__') || PUBLIC_OPERATIONS.has(`${type.name}.${field.name}`)) continue;
      const resolve: GraphQLFieldResolver<unknown, GraphQLContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: GraphQLContext, info) => {
        if (!context.auth) throw new AuthenticationError();
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
