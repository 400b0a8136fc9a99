import { addTypenameToDocument } from '@apollo/client/utilities';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getIntrospectionQuery, parse, specifiedRules, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test/hub-process.js';
import {
  EXPENSIVE_MUTATIONS,
  MAX_DIRECTIVES,
  MAX_FIELD_REPEATS,
  MAX_QUERY_FIELDS,
  MAX_QUERY_TOKENS,
  QUERY_PARSE_OPTIONS,
  queryLimits,
  tokenLimitError,
  type QueryLimits,
} from './limits.js';
import { buildHubSchema } from './schema.js';

const toy = buildSchema(`
  type Node { id: ID!, child: Node, children: [Node!]! }
  type Query { root: Node }
`);
const hub = buildSchema(readFileSync(path.join(REPO_ROOT, 'schema.graphql'), 'utf8'));

/**
 * Validates as Apollo does (graphql-js's rules, then ours). A refusal is the first error, and ends
 * validation: only STOP markers and graphql-js's own "Too many validation errors" follow it.
 */
function check(query: string | DocumentNode, limits: Partial<QueryLimits> = {}, schema = hub) {
  const doc = typeof query === 'string' ? parse(query) : query;
  const errors = validate(schema, doc, [...specifiedRules, queryLimits(limits)]);
  const refusal = errors.find((e) => e.extensions.queryLimit === true);
  if (!refusal) return { errors: errors.map((e) => e.message), refused: undefined, code: undefined };
  const rest = new Set(errors.filter((e) => e !== refusal).map((e) => e.message));
  expect([...rest]).toEqual(['Validation stopped: the document is over a query limit', 'Too many validation errors, error limit reached. Validation aborted.']);
  return { errors: [], refused: refusal.message, code: refusal.extensions.code };
}
const toyLimits = { maxDepth: 4, maxFields: 20 };

/** CPU (user + system) this process spends in `fn`, in ms. */
function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** `{ ...F0 }` where F<i> spreads F<i+1> twice: 2^n copies of the leaf once expanded. */
export function fragmentChain(n: number, leaf = '__typename'): string {
  const lines = ['query Chain { ...F0 }'];
  for (let i = 0; i < n; i++) lines.push(`fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  lines.push(`fragment F${n} on Query { ${leaf} }`);
  return lines.join('\n');
}

describe('query limits', () => {
  it('S33 counts depth through fragments and inline fragments', () => {
    expect(check('{ root { child { child { id } } } }', toyLimits, toy)).toMatchObject({ errors: [], refused: undefined });
    expect(check('{ root { child { child { child { id } } } } }', toyLimits, toy)).toMatchObject({
      refused: 'Query is nested too deeply: the limit is 4 levels',
      code: 'QUERY_TOO_COMPLEX',
    });
    expect(check('{ root { ...F } } fragment F on Node { child { ... on Node { child { child { id } } } } }', toyLimits, toy).refused).toBe(
      'Query is nested too deeply: the limit is 4 levels',
    );
  });

  it('S34 abuse: every selected field counts — aliases, __typename and introspection fields', () => {
    const wide = `{ ${Array.from({ length: 10 }, (_, i) => `r${i}: root { id }`).join(' ')} }`;
    expect(check(wide, toyLimits, toy).refused).toBeUndefined();
    expect(check(wide, { ...toyLimits, maxFields: 19 }, toy).refused).toBe('Query selects too many fields: the limit is 19');
    const typenames = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    expect(check(typenames(MAX_QUERY_FIELDS)).refused).toBeUndefined();
    expect(check(typenames(MAX_QUERY_FIELDS + 1))).toMatchObject({ refused: `Query selects too many fields: the limit is ${MAX_QUERY_FIELDS}`, code: 'QUERY_TOO_COMPLEX' });
    // 3,000 aliased __typename: refused by the field count (the token cap refuses them too, at parse).
    expect(check(typenames(3_000)).refused).toBe(`Query selects too many fields: the limit is ${MAX_QUERY_FIELDS}`);
    // Fields inside introspection count: 6 here.
    expect(check('{ __schema { types { name fields { name } } } __typename }', { maxFields: 6 }).refused).toBeUndefined();
    expect(check('{ __schema { types { name fields { name } } } __typename }', { maxFields: 5 }).refused).toBe('Query selects too many fields: the limit is 5');
  });

  it('S34 abuse: fragment fan-out — a chain of 30 fragments, each spreading the next twice, is refused in under 50 ms of CPU', () => {
    check(fragmentChain(5)); // warm up the code paths
    for (const leaf of ['__typename', 'me { id }', '__schema { queryType { name } }']) {
      let result: ReturnType<typeof check> | undefined;
      const ms = cpuMs(() => (result = check(fragmentChain(30, leaf))));
      expect(result!.code, leaf).toBe('QUERY_TOO_COMPLEX');
      expect(ms, leaf).toBeLessThan(50);
    }
    // Ten levels is 1,024 leaves: still over 500 fields.
    expect(check(fragmentChain(10)).refused).toBe(`Query selects too many fields: the limit is ${MAX_QUERY_FIELDS}`);
    // Three levels is 8 copies of one field: accepted; eight levels is 256 copies on one response path.
    expect(check(fragmentChain(3)).refused).toBeUndefined();
    expect(check(fragmentChain(8)).refused).toBe(`Query selects "__typename" too many times in one place: the limit is ${MAX_FIELD_REPEATS}`);
    // Each fragment's cost is computed once: 50 levels (2^50 leaves) are as cheap to refuse, and the
    // visit cap is not what stops them.
    let deep: ReturnType<typeof check> | undefined;
    const ms = cpuMs(() => (deep = check(fragmentChain(50), { maxNodesVisited: 1e9 })));
    expect(deep!.refused).toBe(`Query selects too many fields: the limit is ${MAX_QUERY_FIELDS}`);
    expect(ms).toBeLessThan(50);
    // A long chain of single spreads is refused by the nesting cap, whatever its fields.
    expect(check(fragmentChain(0).replace('{ ...F0 }', `{ ${'... on Query { '.repeat(100)} __typename ${'} '.repeat(100)} }`)).refused).toBe(
      'Query nests selections too deeply: the limit is 64 levels',
    );
  });

  it('S34 abuse: __schema and __type at most once each per operation, and no aliases inside them', () => {
    expect(check('{ __schema { queryType { name } } __type(name: "User") { name } }').refused).toBeUndefined();
    expect(check('{ __schema { queryType { name } } s2: __schema { queryType { name } } }').refused).toBe(
      'Query selects __schema more than once: the limit is one per operation',
    );
    expect(check('{ ...A ...A } fragment A on Query { __schema { queryType { name } } }').refused).toBe(
      'Query selects __schema more than once: the limit is one per operation',
    );
    expect(check('{ a: __type(name: "User") { name } b: __type(name: "Query") { name } }').refused).toBe(
      'Query selects __type more than once: the limit is one per operation',
    );
    expect(check('{ __schema { t1: types { name } t2: types { name } } }').refused).toBe('Aliases are not allowed inside __schema and __type');
    expect(check('{ __schema { ...T } } fragment T on __Schema { a: types { name } }').refused).toBe('Aliases are not allowed inside __schema and __type');
  });

  it(`S34 abuse: more than ${MAX_DIRECTIVES} directives on one selection are refused`, () => {
    const directives = (n: number) => Array.from({ length: n }, () => '@include(if: true)').join(' ');
    // Five repeats of one non-repeatable directive: graphql-js refuses that itself, our limit is not involved.
    expect(check(`{ me ${directives(MAX_DIRECTIVES)} { id } }`).refused).toBeUndefined();
    expect(check(`{ me ${directives(MAX_DIRECTIVES + 1)} { id } }`)).toMatchObject({
      refused: `Query has too many directives in one place: the limit is ${MAX_DIRECTIVES}`,
      code: 'QUERY_TOO_COMPLEX',
    });
    expect(check(`{ ...F ${directives(MAX_DIRECTIVES + 1)} } fragment F on Query { me { id } }`).code).toBe('QUERY_TOO_COMPLEX');
    expect(check(`query Q ${directives(MAX_DIRECTIVES + 1)} { me { id } }`).code).toBe('QUERY_TOO_COMPLEX');
  });

  it(`S34 abuse: one response path more than ${MAX_FIELD_REPEATS} times is refused before graphql-js compares every pair`, () => {
    const copies = (n: number) => `{ ${'me { id } '.repeat(n)} }`;
    expect(check(copies(MAX_FIELD_REPEATS)).refused).toBeUndefined();
    expect(check(copies(MAX_FIELD_REPEATS + 1)).refused).toBe(`Query selects "me" too many times in one place: the limit is ${MAX_FIELD_REPEATS}`);
    // 250 copies (500 fields, within the field budget) cost OverlappingFieldsCanBeMerged tens of ms: refused first.
    let r: ReturnType<typeof check> | undefined;
    check(copies(20));
    // The least of three runs: a preemption on a busy machine is not the document's cost.
    const ms = Math.min(...[1, 2, 3].map(() => cpuMs(() => (r = check(copies(250))))));
    expect(r!.code).toBe('QUERY_TOO_COMPLEX');
    expect(ms).toBeLessThan(15);
    // Through fragments and at depth.
    expect(check(`{ ${'...F '.repeat(1)} ${'...G '.repeat(1)} } fragment F on Query { ${'me { id } '.repeat(6)} } fragment G on Query { ${'me { id } '.repeat(5)} }`).refused).toMatch(/"me" too many times/);
    expect(check(`{ me { ${'id '.repeat(MAX_FIELD_REPEATS + 1)} } }`).refused).toMatch(/"id" too many times/);
    // Unused fragments are validated by graphql-js too, so they are checked as well.
    expect(check(`{ me { id } } fragment U on Query { ${'me { id } '.repeat(MAX_FIELD_REPEATS + 1)} }`).refused).toMatch(/"me" too many times/);
  });

  it('S34 the visit cap bounds the check itself', () => {
    const q = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect(check(q).refused).toBeUndefined();
    expect(check(q, { maxNodesVisited: 100 }).refused).toBe('Query is too complex to check: the limit is 100 selections visited');
  });

  it('S34 the standard introspection query (GraphiQL, codegen tools) and every dashboard operation pass the limits', async () => {
    for (const options of [{}, { inputValueDeprecation: true, schemaDescription: true }, { specifiedByUrl: true, directiveIsRepeatable: true, oneOf: true }]) {
      expect(check(getIntrospectionQuery(options))).toEqual({ errors: [], refused: undefined, code: undefined });
    }
    // The dashboard's generated documents, with the __typename Apollo Client adds to every selection.
    const generated = readFileSync(path.join(REPO_ROOT, 'client/src/gql/graphql.ts'), 'utf8');
    const documents = [...generated.matchAll(/^export const \w+Document = (\{.*\}) as unknown as DocumentNode/gm)].map((m) => JSON.parse(m[1]!) as DocumentNode);
    expect(documents.length).toBeGreaterThan(5);
    for (const doc of documents) expect(check(addTypenameToDocument(doc))).toEqual({ errors: [], refused: undefined, code: undefined });
  });

  it('S34 abuse: the token cap refuses a long document at parse, and its error reads as QUERY_TOO_COMPLEX', () => {
    const long = `{ ${'__typename '.repeat(MAX_QUERY_TOKENS)} }`;
    expect(() => parse(long)).not.toThrow();
    let message = '';
    try {
      parse(long, QUERY_PARSE_OPTIONS);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(tokenLimitError(message)).toEqual({ message: `Query is too long: the limit is ${MAX_QUERY_TOKENS} tokens`, code: 'QUERY_TOO_COMPLEX' });
    expect(tokenLimitError('Syntax Error: Expected Name, found <EOF>.')).toBeUndefined();
    // The introspection query is far below it.
    expect(() => parse(getIntrospectionQuery({ inputValueDeprecation: true }), QUERY_PARSE_OPTIONS)).not.toThrow();
  });

  it('S35 abuse: at most one expensive mutation per operation, counting aliases, fragments and inline fragments', () => {
    const signUp = (alias: string) => `${alias}: signUp(input: { email: "${alias}@example.com", password: "correct horse battery" }) { id }`;
    expect(check(`mutation { ${signUp('a')} }`).refused).toBeUndefined();
    expect(check(`mutation { ${signUp('a')} signOut }`).refused).toBeUndefined();
    const many = `mutation { ${Array.from({ length: 40 }, (_, i) => signUp(`a${i}`)).join(' ')} }`;
    expect(check(many)).toMatchObject({
      code: 'TOO_MANY_OPERATIONS',
      refused: 'A request may run at most 1 of signUp, signIn, connectProvider: send them one request at a time',
    });
    const signIn = 'signIn(input: { email: "a@example.com", password: "x" }) { id }';
    expect(check(`mutation { a: ${signIn} b: ${signIn} }`).code).toBe('TOO_MANY_OPERATIONS');
    expect(check(`mutation { ${signUp('a')} c: connectProvider(provider: "google") { authorizationUrl } }`).code).toBe('TOO_MANY_OPERATIONS');
    expect(check(`mutation { ...M ... on Mutation { ${signUp('b')} } } fragment M on Mutation { ${signUp('a')} }`).code).toBe('TOO_MANY_OPERATIONS');
    expect(check(`mutation { ...M ...M } fragment M on Mutation { ${signUp('a')} }`).code).toBe('TOO_MANY_OPERATIONS');
    // Each operation of a document is its own request (only the one named by operationName runs).
    expect(check(`mutation A { ${signUp('a')} } mutation B { ${signUp('b')} }`).refused).toBeUndefined();
  });

  it('S35 every EXPENSIVE_MUTATIONS name is a mutation of the hub schema', async () => {
    const mutations = (await buildHubSchema()).getMutationType()!.getFields();
    for (const name of EXPENSIVE_MUTATIONS) expect(Object.keys(mutations), name).toContain(name);
    expect([...EXPENSIVE_MUTATIONS]).toEqual(expect.arrayContaining(['signUp', 'signIn', 'connectProvider']));
  });
});
