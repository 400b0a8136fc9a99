import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The server's folders form layers: protocol and data code below, the modules (one folder per
 * capability) above them, and the HTTP and GraphQL adapters plus the composition root
 * (hub.ts, main.ts) on top. A folder-level import cycle means two folders can only be understood
 * (and changed) together, so this test keeps the folder graph acyclic and the layers one-way.
 */

const SRC = path.dirname(fileURLToPath(import.meta.url));

/** Test code (not part of the build): test files, the test helpers and the drills. */
const TEST_FILE = /\.test\.ts$/;
const TEST_DIRS = new Set(['test', 'drills']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!(dir === SRC && TEST_DIRS.has(entry.name))) out.push(...sourceFiles(abs));
    } else if (entry.isFile() && entry.name.endsWith('.ts') && !TEST_FILE.test(entry.name)) {
      out.push(abs);
    }
  }
  return out;
}

/** `server/src/modules/accounts/x.ts` → `modules/accounts/x.ts`. */
const rel = (abs: string) => path.relative(SRC, abs).split(path.sep).join('/');

/**
 * The folder unit of a file: its top-level folder under server/src, or `modules/<domain>` for
 * the modules. A top-level file (hub.ts, main.ts, hub-services.ts) is a unit of its own, and so is
 * a file directly in modules/ (services.ts, below every domain; entities.ts, above them all).
 */
export function unitOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 1) return file;
  if (parts[0] === 'modules') return parts.length > 2 ? `modules/${parts[1]}` : file;
  return parts[0]!;
}

/**
 * Every relative module a file names: static imports and re-exports (type-only ones included:
 * a type dependency couples the folders just the same) and dynamic `import('…')`.
 */
export function relativeImports(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName).filter((name) => name.startsWith('.'));
}

/** `./x.js` from `a/b.ts` → `a/x.ts` (or `a/x/index.ts`), relative to server/src. */
function resolveImport(fromAbs: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(fromAbs), specifier);
  const stem = base.replace(/\.(js|ts)$/, '');
  for (const candidate of [`${stem}.ts`, path.join(stem, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

interface ImportEdge {
  from: string;
  to: string;
}

function importEdges(): { edges: ImportEdge[]; unresolved: string[] } {
  const edges: ImportEdge[] = [];
  const unresolved: string[] = [];
  for (const abs of sourceFiles(SRC)) {
    for (const specifier of relativeImports(readFileSync(abs, 'utf8'))) {
      const target = resolveImport(abs, specifier);
      if (target === undefined) unresolved.push(`${rel(abs)} → ${specifier}`);
      else if (target.startsWith(SRC + path.sep)) edges.push({ from: rel(abs), to: rel(target) });
    }
  }
  return { edges, unresolved };
}

/**
 * One cycle per group of mutually dependent units (strongly connected component), as the path
 * `a → b → … → a`: the shortest cycle through the group's first unit. Fixing that cycle and
 * running again shows the next one, without a flood of overlapping paths.
 */
export function findCycles(graph: Map<string, Set<string>>): string[][] {
  return cycleGroups(graph).map((group) => group.cycle);
}

/** The groups of mutually dependent units, each with one cycle through them. */
export function cycleGroups(graph: Map<string, Set<string>>): Array<{ members: string[]; cycle: string[] }> {
  const next = (node: string) => [...(graph.get(node) ?? [])].sort();
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next(node)) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);

  const groups: Array<{ members: string[]; cycle: string[] }> = [];
  for (const component of components.sort((a, b) => a[0]!.localeCompare(b[0]!))) {
    const start = component[0]!;
    const selfLoop = graph.get(start)?.has(start) ?? false;
    if (component.length < 2 && !selfLoop) continue;
    // Breadth-first search inside the component for the shortest way back to `start`.
    const members = new Set(component);
    const parent = new Map<string, string>();
    const queue = [start];
    let last: string | undefined;
    while (queue.length > 0 && last === undefined) {
      const node = queue.shift()!;
      for (const to of next(node)) {
        if (to === start) {
          last = node;
          break;
        }
        if (members.has(to) && !parent.has(to)) {
          parent.set(to, node);
          queue.push(to);
        }
      }
    }
    const path = [start];
    for (let node = last!; node !== start; node = parent.get(node)!) path.splice(1, 0, node);
    groups.push({ members: component, cycle: [...path, start] });
  }
  return groups;
}

function unitGraph(edges: ImportEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = unitOf(from);
    const b = unitOf(to);
    if (!graph.has(a)) graph.set(a, new Set());
    if (!graph.has(b)) graph.set(b, new Set());
    if (a !== b) graph.get(a)!.add(b);
  }
  return graph;
}

/** The file imports behind one unit-level step, for the failure message. */
function witnesses(edges: ImportEdge[], a: string, b: string): string[] {
  return edges.filter((e) => unitOf(e.from) === a && unitOf(e.to) === b).map((e) => `${e.from} → ${e.to}`);
}

function describeCycle(edges: ImportEdge[], cycle: string[]): string {
  const steps = cycle.slice(1).map((b, i) => `  ${cycle[i]} → ${b}: ${witnesses(edges, cycle[i]!, b).join(', ')}`);
  return [cycle.join(' → '), ...steps].join('\n');
}

/** The lower layers: they are used by the adapters and the composition root, never the reverse. */
const LOWER = ['modules', 'oauth', 'providers', 'vault', 'db', 'config', 'logging', 'shared', 'simulator'];
/** The adapters and the composition root. */
const UPPER = ['http', 'graphql', 'hub.ts', 'main.ts'];

const top = (file: string) => file.split('/')[0]!;

describe('architecture: folder-level imports', () => {
  const { edges, unresolved } = importEdges();

  it('reads the real import graph (every relative import resolves to a file)', () => {
    expect(unresolved).toEqual([]);
    // Guards against a parser that silently finds nothing: the graph is the server's, not empty.
    expect(edges.length).toBeGreaterThan(100);
    expect(edges).toContainEqual({ from: 'hub.ts', to: 'http/app.ts' });
    // hub.ts loads the sandbox only with a dynamic import().
    expect(edges).toContainEqual({ from: 'hub.ts', to: 'sandbox/sandbox.ts' });
  });

  it('counts type-only imports, re-exports, side-effect and dynamic imports, not comments or strings', () => {
    const text = [
      "import type { A } from './a.js';",
      "export { b } from '../b.js';",
      "export * from './c/index.js';",
      "const d = await import('./d.js');",
      "import './e.js';",
      "import { z } from 'zod';",
      "// import { x } from './commented.js';",
      "const s = \"from './string.js'\";",
    ].join('\n');
    expect(relativeImports(text)).toEqual(['./a.js', '../b.js', './c/index.js', './d.js', './e.js']);
  });

  it('the cycle detector finds a cycle in a synthetic graph, with its path', () => {
    const graph = new Map<string, Set<string>>([
      ['http', new Set(['modules/a'])],
      ['modules/a', new Set(['modules/b', 'shared'])],
      ['modules/b', new Set(['http'])],
      ['shared', new Set()],
    ]);
    expect(findCycles(graph)).toEqual([['http', 'modules/a', 'modules/b', 'http']]);
    graph.get('modules/b')!.delete('http');
    expect(findCycles(graph)).toEqual([]);
    // Two units importing each other (type-only imports included) are a cycle too.
    graph.set('oauth', new Set(['providers']));
    graph.set('providers', new Set(['oauth', 'shared']));
    expect(findCycles(graph)).toEqual([['oauth', 'providers', 'oauth']]);
  });

  it('maps files to folder units', () => {
    expect(unitOf('modules/accounts/auth.service.ts')).toBe('modules/accounts');
    expect(unitOf('http/app.ts')).toBe('http');
    expect(unitOf('vault/index.ts')).toBe('vault');
    expect(unitOf('hub-services.ts')).toBe('hub-services.ts');
    expect(unitOf('modules/services.ts')).toBe('modules/services.ts');
  });

  it('has no cycle between folder units', () => {
    const cycles = cycleGroups(unitGraph(edges)).map(
      ({ members, cycle }) => `units that depend on each other: ${members.join(', ')}\n${describeCycle(edges, cycle)}`,
    );
    expect(cycles, `folder-level import cycles:\n${cycles.join('\n')}`).toEqual([]);
  });

  it('lower layers never import http/, graphql/, hub.ts or main.ts', () => {
    const violations = edges
      .filter((e) => LOWER.includes(top(e.from)) && UPPER.includes(top(e.to)))
      .map((e) => `${e.from} → ${e.to}`);
    expect(violations).toEqual([]);
  });

  it('vault/ imports nothing from modules/', () => {
    const violations = edges.filter((e) => top(e.from) === 'vault' && top(e.to) === 'modules').map((e) => `${e.from} → ${e.to}`);
    expect(violations).toEqual([]);
  });
});
