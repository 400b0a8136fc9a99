import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * Query limits (S33): nesting depth and total selected fields, counted with fragments expanded.
 * Introspection fields (`__schema`, `__type`) are bounded by the schema itself and are not
 * counted, so GraphiQL and codegen keep working.
 * Apollo relabels every validation error GRAPHQL_VALIDATION_FAILED but keeps other extensions;
 * `queryLimit` lets the error formatter restore QUERY_TOO_COMPLEX.
 */
export const MAX_QUERY_DEPTH = 10;
export const MAX_QUERY_FIELDS = 500;

export function queryLimits(maxDepth = MAX_QUERY_DEPTH, maxFields = MAX_QUERY_FIELDS) {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of context.getDocument().definitions) {
      if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    }
    return {
      OperationDefinition(node) {
        let fields = 0;
        let deepest = 0;
        const walk = (set: SelectionSetNode, depth: number, seen: Set<string>): void => {
          for (const sel of set.selections) {
            if (fields > maxFields || deepest > maxDepth) return;
            if (sel.kind === Kind.FIELD) {
              if (sel.name.value.startsWith('__')) continue;
              fields++;
              deepest = Math.max(deepest, depth);
              if (sel.selectionSet) walk(sel.selectionSet, depth + 1, seen);
            } else if (sel.kind === Kind.INLINE_FRAGMENT) {
              walk(sel.selectionSet, depth, seen);
            } else {
              const frag = fragments.get(sel.name.value);
              // A fragment cycle is reported by graphql's own NoFragmentCycles rule.
              if (frag && !seen.has(frag.name.value)) walk(frag.selectionSet, depth, new Set([...seen, frag.name.value]));
            }
          }
        };
        walk(node.selectionSet, 1, new Set());
        if (deepest > maxDepth) {
          context.reportError(
            new GraphQLError(`Query is nested too deeply: the limit is ${maxDepth} levels`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_COMPLEX', queryLimit: true },
            }),
          );
        } else if (fields > maxFields) {
          context.reportError(
            new GraphQLError(`Query selects too many fields: the limit is ${maxFields}`, {
              nodes: [node],
              extensions: { code: 'QUERY_TOO_COMPLEX', queryLimit: true },
            }),
          );
        }
      },
    };
  };
}
