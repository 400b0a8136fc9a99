import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';

/**
 * Refuses an operation whose type the schema does not have (this API has no subscriptions), as
 * graphql-js 17's KnownOperationTypesRule does. graphql-js 16 lets such a document through
 * validation and fails it in execution with an error that has no code, which the hub would answer
 * as INTERNAL_SERVER_ERROR; found by the GraphQL-document fuzzer (`subscription { __typename }`).
 */
export function knownOperationTypes(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  return {
    OperationDefinition(node) {
      if (!schema.getRootType(node.operation)) {
        context.reportError(new GraphQLError(`The ${node.operation} operation is not supported by the schema.`, { nodes: [node] }));
      }
    },
  };
}
