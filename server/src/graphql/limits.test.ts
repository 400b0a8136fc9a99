import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { queryLimits } from './limits.js';

const schema = buildSchema(`
  type Node { id: ID!, child: Node, children: [Node!]! }
  type Query { root: Node }
`);

const errorsOf = (query: string, depth = 4, fields = 20) => validate(schema, parse(query), [queryLimits(depth, fields)]).map((e) => e.message);

describe('query limits', () => {
  it('S33 counts depth through fragments and inline fragments', () => {
    expect(errorsOf('{ root { child { child { id } } } }')).toEqual([]);
    expect(errorsOf('{ root { child { child { child { id } } } } }')).toEqual(['Query is nested too deeply: the limit is 4 levels']);
    expect(errorsOf('{ root { ...F } } fragment F on Node { child { ... on Node { child { child { id } } } } }')).toEqual([
      'Query is nested too deeply: the limit is 4 levels',
    ]);
  });

  it('S33 counts selected fields across aliases, and ignores introspection', () => {
    const wide = `{ ${Array.from({ length: 10 }, (_, i) => `r${i}: root { id }`).join(' ')} }`;
    expect(errorsOf(wide, 4, 20)).toEqual([]);
    expect(errorsOf(wide, 4, 19)).toEqual(['Query selects too many fields: the limit is 19']);
    expect(errorsOf('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }', 2, 5)).toEqual([]);
  });
});
