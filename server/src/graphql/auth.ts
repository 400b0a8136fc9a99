import { AuthenticationError, type AuthChecker, type MiddlewareFn } from 'type-graphql';
import type { GraphQLContext } from './context.js';

/**
 * The only operations a signed-out caller may run. Everything else needs a session — both
 * through @Authorized() on resolvers and through `requireSessionByDefault`, so an operation
 * added later without @Authorized() is still closed.
 */
export const PUBLIC_OPERATIONS: ReadonlySet<string> = new Set(['Query.me', 'Mutation.signUp', 'Mutation.signIn']);

export const authChecker: AuthChecker<GraphQLContext> = ({ context }) => context.auth !== null;

export const requireSessionByDefault: MiddlewareFn<GraphQLContext> = async ({ context, info }, next) => {
  const parent = info.parentType.name;
  if ((parent === 'Query' || parent === 'Mutation') && !info.fieldName.startsWith('__')) {
    if (!context.auth && !PUBLIC_OPERATIONS.has(`${parent}.${info.fieldName}`)) throw new AuthenticationError();
  }
  return next();
};
