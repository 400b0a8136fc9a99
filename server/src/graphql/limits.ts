import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import {
  BREAK,
  GraphQLError,
  Kind,
  OperationTypeNode,
  type ASTNode,
  type ASTVisitor,
  type DefinitionNode,
  type DirectiveNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * Query limits (S33, S34, S35): what one GraphQL document may ask of the hub, checked before any
 * of it runs.
 *
 * - Fields: EVERY selected field counts, fragments expanded — aliases, `__typename` and the fields
 *   of introspection included — so no document buys unbounded work by selecting "free" fields.
 * - Depth: data fields at most MAX_QUERY_DEPTH levels. Fields under `__schema`/`__type` have their
 *   own, higher bound: the standard introspection query (GraphiQL's, 227 fields) is 15 levels deep
 *   through `ofType` chains, which are not lists and cost one object per level; the nesting of
 *   introspection LISTS is bounded by graphql-js's own MaxIntrospectionDepthRule.
 * - `__schema` and `__type` at most once each per operation, and no aliases inside them: each
 *   copy or alias of an introspection list re-reads the schema, and no tool needs one.
 * - At most MAX_DIRECTIVES directives on one field, fragment spread or definition.
 * - One response path (e.g. `me` at the root) at most MAX_FIELD_REPEATS times, fragments
 *   expanded: graphql-js's OverlappingFieldsCanBeMerged compares every pair of fields that share a
 *   response path, so 250 copies of `me { id }` (500 fields) cost it ~30 ms of CPU; 10 copies, nothing.
 * - At most one mutation from EXPENSIVE_MUTATIONS per operation (a request runs one operation).
 * - Tokens per document: MAX_QUERY_TOKENS, enforced by the parser (Apollo's `parseOptions`); see
 *   tokenLimitError for how its error becomes QUERY_TOO_COMPLEX.
 *
 * Linear in the document: each fragment's cost (fields, depth, …) is computed once and reused at
 * every spread, so a chain of fragments that each spread the next one twice costs one visit per
 * fragment, not 2^n; the walk stops at the first budget exceeded; and a fixed number of visits
 * (MAX_NODES_VISITED) bounds the check itself, whatever the document.
 *
 * A refused document is refused WHOLE and FIRST: the rule does all its work when the validator
 * enters the Document node, before any of graphql-js's own rules has looked at a selection set, and
 * then ENDS validation: several of those rules cost far more than this check on a document made to
 * be expensive (OverlappingFieldsCanBeMerged spent ~200 ms on 5 KB of repeated `me { id }` before
 * giving up). A rule cannot throw (Apollo answers 500 to anything thrown out of validation), so it
 * uses graphql-js's documented stop: validation ends once `maxErrors` errors (MAX_VALIDATION_ERRORS)
 * are reported. The refusal is reported first, then STOP markers until graphql-js stops;
 * queryLimitsPlugin then answers the refusal alone.
 * `queryLimit: true` tells the error formatter to keep the limit's own code (LIMIT_CODES), which
 * Apollo relabels GRAPHQL_VALIDATION_FAILED.
 */
export const MAX_QUERY_DEPTH = 10;
export const MAX_INTROSPECTION_DEPTH = 16;
export const MAX_QUERY_FIELDS = 500;
export const MAX_DIRECTIVES = 5;
export const MAX_FIELD_REPEATS = 10;
export const MAX_QUERY_TOKENS = 5_000;
export const MAX_NODES_VISITED = 10_000;
/** Selection sets, inline fragments and spreads nested in one another (bounds the check's own recursion). */
export const MAX_NESTING = 64;
/**
 * Validation errors per document (graphql-js's default is 100). Each costs an error object, a
 * formatted message and its suggestions; more than a few never help anyone. It also bounds what a
 * refusal costs (below).
 */
export const MAX_VALIDATION_ERRORS = 10;

/**
 * Mutations that cost a password hash, an outbound provider call or a stored row per call: at most
 * one of them per request (S35), so one request cannot make 40 accounts or 40 hashes. Add any
 * new mutation of that kind here (a test checks every name is a Mutation field of the schema).
 */
export const EXPENSIVE_MUTATIONS: ReadonlySet<string> = new Set(['signUp', 'signIn', 'connectProvider']);
export const MAX_EXPENSIVE_MUTATIONS = 1;

/** The codes a refused document carries (the error formatter keeps them). */
export const LIMIT_CODES = ['QUERY_TOO_COMPLEX', 'TOO_MANY_OPERATIONS'] as const;
export type LimitCode = (typeof LIMIT_CODES)[number];

export interface QueryLimits {
  maxDepth: number;
  maxIntrospectionDepth: number;
  maxFields: number;
  maxDirectives: number;
  maxFieldRepeats: number;
  maxNodesVisited: number;
  maxNesting: number;
  maxExpensiveMutations: number;
  expensiveMutations: ReadonlySet<string>;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: MAX_QUERY_DEPTH,
  maxIntrospectionDepth: MAX_INTROSPECTION_DEPTH,
  maxFields: MAX_QUERY_FIELDS,
  maxDirectives: MAX_DIRECTIVES,
  maxFieldRepeats: MAX_FIELD_REPEATS,
  maxNodesVisited: MAX_NODES_VISITED,
  maxNesting: MAX_NESTING,
  maxExpensiveMutations: MAX_EXPENSIVE_MUTATIONS,
  expensiveMutations: EXPENSIVE_MUTATIONS,
};

/** Apollo's `parseOptions`: the parser stops at the first token past the cap. */
export const QUERY_PARSE_OPTIONS = { maxTokens: MAX_QUERY_TOKENS } as const;
/** Apollo's `validationOptions`. */
export const QUERY_VALIDATION_OPTIONS = { maxErrors: MAX_VALIDATION_ERRORS } as const;

/** The error a refused document gets. */
export function limitError(message: string, node: ASTNode | undefined, code: LimitCode = 'QUERY_TOO_COMPLEX'): GraphQLError {
  return new GraphQLError(message, { ...(node ? { nodes: [node] } : {}), extensions: { code, queryLimit: true } });
}

export const isLimitCode = (code: unknown): code is LimitCode => (LIMIT_CODES as readonly unknown[]).includes(code);

/** Reported after a refusal until graphql-js ends validation; never shown (queryLimitsPlugin). */
const STOP = new GraphQLError('Validation stopped: the document is over a query limit');
/** More than any sensible maxErrors (graphql-js's default is 100); if it is not reached, the other rules just run. */
const STOP_REPORTS = 1_000;

const onlyLimitErrors: GraphQLRequestListener<BaseContext> = {
  async willSendResponse({ response }) {
    const body = response.body;
    if (body.kind !== 'single') return;
    const errors = body.singleResult.errors;
    const refusals = errors?.filter((e) => isLimitCode(e.extensions?.code));
    if (refusals?.length && refusals.length < errors!.length) body.singleResult = { ...body.singleResult, errors: refusals };
  },
};

/**
 * Answers a document refused by queryLimits with the refusal alone, without the STOP markers and
 * graphql-js's "Too many validation errors" that ended its validation.
 */
export const queryLimitsPlugin: ApolloServerPlugin<BaseContext> = {
  // One shared listener: nothing allocated per request.
  async requestDidStart() {
    return onlyLimitErrors;
  },
};

/**
 * graphql-js's token cap fails the parse with a syntax error ("Document contains more that N
 * tokens. Parsing aborted.", sic); Apollo labels it GRAPHQL_PARSE_FAILED. The formatter calls this
 * to answer it as what it is, a query over a limit.
 */
export function tokenLimitError(message: string): { message: string; code: 'QUERY_TOO_COMPLEX' } | undefined {
  const m = /Document contains more th(?:an|at) (\d+) tokens/.exec(message);
  return m ? { message: `Query is too long: the limit is ${m[1]} tokens`, code: 'QUERY_TOO_COMPLEX' } : undefined;
}

/** What a selection set costs, fragments expanded. Depths count levels below the set (a leaf field is 1). */
interface Cost {
  fields: number;
  /** Deepest data field. */
  depth: number;
  /** Deepest field under `__schema`/`__type` (or in a fragment on an introspection type). */
  introspectionDepth: number;
  schemas: number;
  types: number;
  /** EXPENSIVE_MUTATIONS fields at the top level of the set. */
  expensive: number;
}

const NOTHING: Cost = { fields: 0, depth: 0, introspectionDepth: 0, schemas: 0, types: 0, expensive: 0 };
const isIntrospectionType = (name: string | undefined) => name?.startsWith('__') === true;

export function queryLimits(overrides: Partial<QueryLimits> = {}) {
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...overrides };
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      let refusal: GraphQLError;
      try {
        checkDocument(document.definitions, limits);
        return BREAK; // nothing more for this rule to visit
      } catch (err) {
        // Only a RangeError (stack) could be anything else, which the caps should make impossible: still a refusal.
        refusal = err instanceof GraphQLError ? err : limitError('Query is too complex to check', undefined);
      }
      context.reportError(refusal);
      // graphql-js throws (and catches, in validate) once maxErrors errors are reported.
      for (let i = 0; i < STOP_REPORTS; i++) context.reportError(STOP);
      return BREAK;
    },
  });
}

function checkDocument(definitions: readonly DefinitionNode[], limits: QueryLimits): void {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }

  let visited = 0;
  const visit = (node: ASTNode & { directives?: readonly DirectiveNode[] | undefined }) => {
    if (++visited > limits.maxNodesVisited) {
      throw limitError(`Query is too complex to check: the limit is ${limits.maxNodesVisited} selections visited`, node);
    }
    if ((node.directives?.length ?? 0) > limits.maxDirectives) {
      throw limitError(`Query has too many directives in one place: the limit is ${limits.maxDirectives}`, node);
    }
  };

  const nested = (nesting: number, node: ASTNode) => {
    if (nesting > limits.maxNesting) throw limitError(`Query nests selections too deeply: the limit is ${limits.maxNesting} levels`, node);
  };

  /** Refuses as soon as a cost is over a budget: `node` is where it was found. */
  const check = (c: Cost, node: ASTNode) => {
    if (c.fields > limits.maxFields) throw limitError(`Query selects too many fields: the limit is ${limits.maxFields}`, node);
    if (c.depth > limits.maxDepth) throw limitError(`Query is nested too deeply: the limit is ${limits.maxDepth} levels`, node);
    if (c.introspectionDepth > limits.maxIntrospectionDepth) {
      throw limitError(`Introspection query is nested too deeply: the limit is ${limits.maxIntrospectionDepth} levels`, node);
    }
    if (c.schemas > 1) throw limitError('Query selects __schema more than once: the limit is one per operation', node);
    if (c.types > 1) throw limitError('Query selects __type more than once: the limit is one per operation', node);
  };

  // Each fragment's cost, computed once. `inProgress` guards against cycles (graphql's
  // NoFragmentCycles refuses them; here a spread back into the cycle just costs nothing).
  const memo = new Map<string, Cost>();
  const inProgress = new Set<string>();
  const fragmentCost = (name: string, nesting: number): Cost => {
    const known = memo.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // An unknown fragment is KnownFragmentNames's to report.
    if (!fragment || inProgress.has(name)) return NOTHING;
    inProgress.add(name);
    const cost = setCost(fragment.selectionSet, isIntrospectionType(fragment.typeCondition.name.value), nesting);
    inProgress.delete(name);
    // Any use of the fragment costs at least this much.
    check(cost, fragment);
    memo.set(name, cost);
    return cost;
  };

  const setCost = (set: SelectionSetNode, introspection: boolean, nesting: number): Cost => {
    nested(nesting, set);
    const c = { ...NOTHING };
    const add = (d: Cost) => {
      c.fields += d.fields;
      c.depth = Math.max(c.depth, d.depth);
      c.introspectionDepth = Math.max(c.introspectionDepth, d.introspectionDepth);
      c.schemas += d.schemas;
      c.types += d.types;
      c.expensive += d.expensive;
    };
    for (const sel of set.selections) {
      visit(sel);
      if (sel.kind === Kind.FIELD) {
        const name = sel.name.value;
        const root = name === '__schema' || name === '__type';
        if (introspection && sel.alias) throw limitError('Aliases are not allowed inside __schema and __type', sel);
        const child = sel.selectionSet ? setCost(sel.selectionSet, introspection || root, nesting + 1) : NOTHING;
        c.fields += 1 + child.fields;
        if (introspection || root) {
          c.introspectionDepth = Math.max(c.introspectionDepth, 1 + Math.max(child.depth, child.introspectionDepth));
        } else {
          c.depth = Math.max(c.depth, 1 + child.depth);
          if (child.introspectionDepth > 0) c.introspectionDepth = Math.max(c.introspectionDepth, 1 + child.introspectionDepth);
        }
        c.schemas += child.schemas + (name === '__schema' ? 1 : 0);
        c.types += child.types + (name === '__type' ? 1 : 0);
        if (limits.expensiveMutations.has(name)) c.expensive++;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        add(setCost(sel.selectionSet, introspection || isIntrospectionType(sel.typeCondition?.name.value), nesting + 1));
      } else {
        add(fragmentCost(sel.name.value, nesting + 1));
      }
      check(c, sel);
    }
    return c;
  };

  /**
   * Counts the fields on each response path, fragments expanded (OverlappingFieldsCanBeMerged
   * compares them pairwise). Runs after the costs are within budget, so the expansion is bounded
   * by maxFields, and by the visit cap in any case.
   */
  const checkRepeats = (set: SelectionSetNode) => {
    const paths = new Map<string, { id: number; count: number }>();
    const expanding = new Set<string>();
    // Memoised costs may hide how deep a fragment sits once expanded: the expansion checks nesting again.
    const walk = (s: SelectionSetNode, parent: number, nesting: number) => {
      nested(nesting, s);
      for (const sel of s.selections) {
        visit(sel);
        if (sel.kind === Kind.FIELD) {
          const responseName = sel.alias?.value ?? sel.name.value;
          const key = `${parent} ${responseName}`;
          let path = paths.get(key);
          if (!path) paths.set(key, (path = { id: paths.size + 1, count: 0 }));
          if (++path.count > limits.maxFieldRepeats) {
            throw limitError(`Query selects "${responseName}" too many times in one place: the limit is ${limits.maxFieldRepeats}`, sel);
          }
          if (sel.selectionSet) walk(sel.selectionSet, path.id, nesting + 1);
        } else if (sel.kind === Kind.INLINE_FRAGMENT) {
          walk(sel.selectionSet, parent, nesting + 1);
        } else {
          const fragment = fragments.get(sel.name.value);
          if (!fragment || expanding.has(fragment.name.value)) continue;
          expanding.add(fragment.name.value);
          walk(fragment.selectionSet, parent, nesting + 1);
          expanding.delete(fragment.name.value);
        }
      }
    };
    walk(set, 0, 0);
  };

  for (const def of definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    visit(def);
    for (const variable of def.variableDefinitions ?? []) visit(variable);
    const cost = setCost(def.selectionSet, false, 0);
    check(cost, def);
    if (def.operation === OperationTypeNode.MUTATION && cost.expensive > limits.maxExpensiveMutations) {
      throw limitError(
        `A request may run at most ${limits.maxExpensiveMutations} of ${[...limits.expensiveMutations].join(', ')}: send them one request at a time`,
        def,
        'TOO_MANY_OPERATIONS',
      );
    }
  }
  // Unused fragments too: graphql-js still validates (and compares the fields of) each of them.
  for (const fragment of fragments.values()) {
    visit(fragment);
    fragmentCost(fragment.name.value, 0);
  }
  // Every selection set graphql-js's OverlappingFieldsCanBeMerged will walk from: each operation
  // and each fragment definition.
  for (const def of definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION || def.kind === Kind.FRAGMENT_DEFINITION) checkRepeats(def.selectionSet);
  }
}
