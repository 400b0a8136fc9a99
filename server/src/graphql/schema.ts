import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker, requireSessionByDefault } from '../modules/accounts/auth-checker.js';
import { resolvers } from './resolvers.js';

/** Built once per process; the same schema is printed to the committed `schema.graphql`. */
export async function buildHubSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    validate: false,
    emitSchemaFile: false,
  });
  return requireSessionByDefault(schema);
}

export const SCHEMA_HEADER = '# Generated from the type-graphql resolvers by `npm run schema`. Do not edit.\n\n';

export function renderSchema(schema: GraphQLSchema): string {
  return SCHEMA_HEADER + printSchema(lexicographicSortSchema(schema)) + '\n';
}
