import fc from 'fast-check';
import { parse, specifiedRules, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_PARSE_OPTIONS, QUERY_VALIDATION_OPTIONS, queryLimits } from '../graphql/limits.js';
import { buildHubSchema } from '../graphql/schema.js';
import type { GraphQLSchema } from 'graphql';
import { startTestHub, type TestHub } from '../test/test-hub.js';

/**
 * GraphQL-document fuzzer (S34; fast-check, fixed seed so a failure reproduces): random documents
 * made of fragments (chains, fan-out, cycles, unknown names, unused ones), spreads, inline
 * fragments, aliases, nesting, directives and introspection fields, sent anonymously to an
 * in-process hub on PostgreSQL. Invariants: never a 5xx and never INTERNAL_SERVER_ERROR; every
 * error has a code; and parsing + validating the document as Apollo does (graphql-js's rules and
 * the query limits, with the hub's parse and validation options) costs at most CPU_BUDGET_MS.
 */
const CPU_BUDGET_MS = 50;

const ALLOWED_CODES = new Set(['QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_USER_INPUT', 'UNAUTHENTICATED', 'TOO_MANY_OPERATIONS', 'PAYLOAD_TOO_LARGE']);

const name = fc.constantFrom('a', 'b', 'x1', 'me', 'id', '__typename', 'zz');
const directive = fc.constantFrom('@include(if: true)', '@skip(if: false)', '@include(if: false)', '@deprecated', '@nope', '@skip(if: $v)');
const directives = fc
  .oneof({ weight: 8, arbitrary: fc.constant([] as string[]) }, { weight: 2, arbitrary: fc.array(directive, { maxLength: 2 }) }, { weight: 1, arbitrary: fc.array(directive, { maxLength: 8 }) })
  .map((d) => d.join(' '));
const alias = fc.option(name, { nil: undefined, freq: 2 }).map((a) => (a ? `${a}: ` : ''));

/** Selections valid on Query (and plenty that are not), nested. `f` is the number of fragment names in play. */
function selections(f: number) {
  const { sel } = fc.letrec<{ sel: string; set: string }>((tie) => ({
    set: fc
      .tuple(fc.array(tie('sel'), { minLength: 1, maxLength: 5 }), fc.nat(100))
      // Sometimes a short selection repeated many times (up to 640 copies; only short ones, so sizes stay bounded).
      .map(([sels, r]) => `{ ${r > 92 && sels[0]!.length < 200 ? Array.from({ length: (r - 92) * 80 }, () => sels[0]).join(' ') : sels.join(' ')} }`),
    sel: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 5, arbitrary: fc.tuple(alias, fc.constantFrom('__typename', '__typename', 'id', 'email', 'createdAt', 'nope'), directives).map(([a, n, d]) => `${a}${n} ${d}`) },
      { weight: 3, arbitrary: fc.tuple(alias, directives, tie('set')).map(([a, d, s]) => `${a}me ${d} ${s}`) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(alias, fc.constantFrom('__schema { types { name fields { name type { name ofType { name } } } } }', '__type(name: "User") { name fields { name } }', '__schema { queryType { name } }'), directives)
          .map(([a, s, d]) => `${a}${s.replace(/^(__\w+(?:\([^)]*\))?)/, `$1 ${d}`)}`),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(fc.nat(Math.max(f - 1, 0)), fc.integer({ min: 1, max: 2 }), directives)
          .map(([i, times, d]) => (f === 0 ? '__typename' : Array.from({ length: times }, () => `...F${i} ${d}`).join(' '))),
      },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom('... on Query', '... on Query', '... on User', '...', '... on __Type'), directives, tie('set')).map(([on, d, s]) => `${on} ${d} ${s}`) },
      { weight: 1, arbitrary: fc.tuple(alias, fc.constantFrom('integrations', 'apiKeys'), tie('set')).map(([a, n, s]) => `${a}${n} ${s}`) },
    ),
  }));
  return sel;
}

/** A document: an operation, fragments F0..Fn-1 (F<i> mostly spreads later ones: chains; sometimes earlier: cycles). */
const document = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 2 }) }, fc.integer({ min: 3, max: 8 })).chain((f) =>
  fc
    .tuple(
      fc.array(selections(f), { minLength: 1, maxLength: 5 }),
      fc.array(fc.tuple(fc.constantFrom('Query', 'Query', 'Query', 'User', '__Type', 'Nope'), fc.array(selections(f), { minLength: 1, maxLength: 3 }), directives), { minLength: f, maxLength: f }),
      fc.constantFrom('query Q($v: Boolean = true)', 'query Q($v: Boolean = true)', 'query', '', '', 'mutation', 'subscription'),
      fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))), // a chain in one document of four
    )
    .map(([op, frags, head, chain]) => {
      const fragments = frags.map(
        ([on, sels, d], i) =>
          `fragment F${i} on ${on} ${d} { ${sels.join(' ')} ${chain && i + 1 < f ? `...F${i + 1} ...F${i + 1}` : ''} }`,
      );
      return `${head} { ${op.join(' ')} ${chain && f > 0 ? '...F0' : ''} }\n${fragments.join('\n')}`;
    }),
);

/** Fragment chains of random depth and fan-out, the shape that once took seconds. */
const chainDocument = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('__typename', 'me { id }', '__schema { queryType { name } }')).map(([n, fan, leaf]) => {
  const lines = ['{ ...F0 }'];
  for (let i = 0; i < n; i++) lines.push(`fragment F${i} on Query { ${Array.from({ length: fan }, () => `...F${i + 1}`).join(' ')} }`);
  lines.push(`fragment F${n} on Query { ${leaf} }`);
  return lines.join('\n');
});

/** CPU of parsing and validating `query` exactly as the hub's Apollo does. */
function validationCpuMs(schema: GraphQLSchema, query: string): number {
  const before = process.cpuUsage();
  try {
    validate(schema, parse(query, QUERY_PARSE_OPTIONS), [...specifiedRules, queryLimits()], QUERY_VALIDATION_OPTIONS);
  } catch {
    // A parse error: refused at parse, as the hub does.
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

describe('fuzz: GraphQL documents are answered within the CPU budget and never with a 5xx (PostgreSQL)', () => {
  let t: TestHub;
  let schema: GraphQLSchema;
  const outcomes = new Map<string, number>();
  let slowest = 0;

  beforeAll(async () => {
    t = await startTestHub('postgresql');
    schema = await buildHubSchema();
  });
  afterAll(async () => {
    console.log(`fuzz documents: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}; slowest validation ${slowest.toFixed(1)} ms CPU`);
    await t?.close();
  });

  const property = async (query: string) => {
    // Measured twice when over budget: a GC pause or a preemption on a busy machine is not the document's cost.
    let ms = validationCpuMs(schema, query);
    if (ms > CPU_BUDGET_MS) ms = Math.min(ms, validationCpuMs(schema, query));
    slowest = Math.max(slowest, ms);
    expect(ms, query.slice(0, 400)).toBeLessThanOrEqual(CPU_BUDGET_MS);

    const r = await t.client().gql(query);
    expect(r.status, r.raw.slice(0, 300)).toBeLessThan(500);
    const codes = (r.errors ?? []).map((e) => e.extensions?.code);
    for (const code of codes) expect(ALLOWED_CODES, `${code}: ${r.raw.slice(0, 300)}`).toContain(code);
    const first = r.errors?.[0];
    const key = !first ? 'accepted' : first.extensions?.code === 'QUERY_TOO_COMPLEX' ? `QUERY_TOO_COMPLEX (${first.message.replace(/[:"].*$/, '')})` : String(codes[0]);
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  };

  it('S34 abuse: random documents (fragments, spreads, aliases, nesting, directives, introspection)', async () => {
    await fc.assert(fc.asyncProperty(document, property), { numRuns: 300, seed: 3_401 });
    // A fuzz that never gets a document accepted, or never one refused by a limit, proves little.
    expect(outcomes.get('accepted') ?? 0).toBeGreaterThan(0);
    expect([...outcomes.keys()].filter((k) => k.startsWith('QUERY_TOO_COMPLEX')).length).toBeGreaterThan(0);
  }, 300_000);

  it('S34 abuse: random fragment chains (depth up to 40, fan-out up to 4)', async () => {
    await fc.assert(fc.asyncProperty(chainDocument, property), { numRuns: 80, seed: 3_402 });
  }, 120_000);
});
