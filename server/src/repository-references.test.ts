import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Everything a comment, a config or a document points at must be in the repository: a newcomer
 * with a clone has nothing else. Test titles and comments cite security statements by id (S01…,
 * F01…); docs/security.md must define each of them, and the files the docs name must exist.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Folders whose every text file is checked for paths leading out of the repository. */
const SCANNED_DIRS = ['server', 'client', 'e2e', 'bench', 'docs', '.ci'];
/** Root files (configs and the README) checked the same way. */
const SCANNED_ROOT_FILES = [
  'README.md',
  'package.json',
  'tsconfig.json',
  'vitest.config.ts',
  'codegen.yml',
  'Dockerfile',
  'docker-compose.yml',
  '.env.example',
];
/** Folders whose code may cite statement ids (test titles and comments). */
const ID_DIRS = ['server/src', 'client/src', 'e2e'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'data', 'coverage', '.tmp']);
const TEXT_FILE = /(\.(ts|tsx|js|mjs|cjs|json|md|yml|yaml|html|css|sql|sh|txt)|^Dockerfile|^run)$/;
const CODE_FILE = /\.(ts|tsx)$/;

function filesUnder(dir: string, accept: RegExp): string[] {
  const abs = path.join(ROOT, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) out.push(...filesUnder(rel, accept));
    } else if (entry.isFile() && accept.test(entry.name)) {
      out.push(rel);
    }
  }
  return out;
}

const SELF = path.posix.relative(ROOT, fileURLToPath(import.meta.url)).split(path.sep).join('/');
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');

/** Notes that live beside the repository in the maintainers' workspace, never inside it. */
const WORKSPACE_NOTE = /\b(SECURITY|PROVIDERS|STACK|STYLE|DEVELOPERS)\.md\b/;
/**
 * The maintainers' workspace beside the checkout. (A bare `/work/` is allowed: tests assert that
 * answers do not leak the checkout's path.)
 */
const WORKSPACE_PATH = /\/work\/(shared|briefs)\b/;
/** `./x`, `../x`, `../../x/y.md`: a relative path, checked by where it resolves. */
const RELATIVE_PATH = /(?<![\w.\/-])(?:\.\.?\/)+[\w@.\/-]*/g;

/**
 * The places in one file that name something outside the repository, as `file:line: reason`.
 * A relative path is resolved from the file's folder, except in package.json, whose scripts
 * run from the root.
 */
export function outsideReferences(file: string, text: string): string[] {
  const base = path.posix.basename(file) === 'package.json' ? '.' : path.posix.dirname(file);
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    const note = WORKSPACE_NOTE.exec(line);
    if (note) problems.push(`${where}: names ${note[0]}, a note outside the repository (use docs/)`);
    if (WORKSPACE_PATH.test(line)) problems.push(`${where}: names an absolute workspace path`);
    for (const m of line.matchAll(RELATIVE_PATH)) {
      const resolved = path.posix.normalize(path.posix.join(base, m[0]));
      if (resolved === '..' || resolved.startsWith('../')) problems.push(`${where}: ${m[0]} leads out of the repository`);
    }
  });
  return problems;
}

const ID = /\b([SF])(\d{2})\b/g;
/** `S23–S25` cites S24 too. */
const ID_RANGE = /\b([SF])(\d{2})\s*[–-]\s*\1?(\d{2})\b/g;

/** Every statement id a text cites, ranges expanded. */
export function citedIds(text: string): Set<string> {
  const ids = new Set<string>();
  for (const m of text.matchAll(ID)) ids.add(`${m[1]}${m[2]}`);
  for (const m of text.matchAll(ID_RANGE)) {
    const [from, to] = [Number(m[2]), Number(m[3])];
    for (let n = from; n <= to && to - from < 50; n++) ids.add(`${m[1]}${String(n).padStart(2, '0')}`);
  }
  return ids;
}

/** docs/security.md as `### <id> …` sections: id → the section's text. */
export function statementSections(markdown: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = markdown.split(/^### /m).slice(1);
  for (const part of parts) {
    const id = /^([SF]\d{2})\b/.exec(part)?.[1];
    if (id === undefined) continue;
    if (sections.has(id)) throw new Error(`docs/security.md defines ${id} twice`);
    sections.set(id, part.split(/^## /m)[0]!);
  }
  return sections;
}

/** Repository paths a document names in backticks (`server/src/…`, `e2e/…`). */
function namedPaths(markdown: string): string[] {
  return [...markdown.matchAll(/`((?:server|client|e2e|bench|docs)\/[^`\s*{}<>]+?)\/?`/g)].map((m) => m[1]!);
}

describe('repository references', () => {
  it('the detectors flag paths out of the repository and accept paths inside it', () => {
    expect(outsideReferences('server/src/simulator/README.md', 'see `../../../../shared/PROVIDERS.md` here')).toHaveLength(2);
    expect(outsideReferences('server/src/catalog.ts', ' * facts: /work/shared/notes.txt')).toHaveLength(1);
    expect(outsideReferences('server/src/x.test.ts', "expect(raw).not.toContain('/work/');")).toEqual([]);
    expect(outsideReferences('vitest.config.ts', '// a pitfall (STACK.md)')).toHaveLength(1);
    expect(outsideReferences('e2e/x.ts', 'import { y } from "../../y.js";')).toHaveLength(1);
    expect(outsideReferences('server/src/graphql/x.ts', "import { AppError } from '../shared/errors.js'; // docs/stack.md")).toEqual([]);
    expect(outsideReferences('server/src/simulator/README.md', '[providers](../../../docs/providers.md)')).toEqual([]);
    expect(outsideReferences('package.json', '"start": "node ./server/dist/main.js"')).toEqual([]);
    expect([...citedIds('S14 S23–S25 and (F01) but not S3, S100 or XS01')].sort()).toEqual(['F01', 'S14', 'S23', 'S24', 'S25']);
  });

  it('no file in the repository names a path or note outside it', () => {
    const files = [...SCANNED_DIRS.flatMap((d) => filesUnder(d, TEXT_FILE)), ...SCANNED_ROOT_FILES.filter((f) => existsSync(path.join(ROOT, f)))];
    expect(files.length).toBeGreaterThan(100);
    // This file's own examples above are the violations the detectors must catch.
    const problems = files.filter((f) => f !== SELF).flatMap((f) => outsideReferences(f, read(f)));
    expect(problems).toEqual([]);
  });

  it('every statement id cited in code, comments or test titles is defined in docs/security.md', () => {
    const sections = statementSections(read('docs/security.md'));
    const citedBy = new Map<string, string>();
    for (const file of ID_DIRS.flatMap((d) => filesUnder(d, CODE_FILE))) {
      for (const id of citedIds(read(file))) if (!citedBy.has(id)) citedBy.set(id, file);
    }
    expect(citedBy.size).toBeGreaterThan(30);
    const undefinedIds = [...citedBy].filter(([id]) => !sections.has(id)).map(([id, file]) => `${id} (cited in ${file})`);
    expect(undefinedIds).toEqual([]);
  });

  it('docs/security.md defines the 46 security statements and the 4 fault drills, each exactly once', () => {
    const ids = [...statementSections(read('docs/security.md')).keys()];
    const expected = [...Array.from({ length: 46 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`), 'F01', 'F02', 'F03', 'F04'];
    expect([...ids].sort()).toEqual([...expected].sort());
  });

  it('every file the docs name exists, and each test file listed under a statement cites that statement', () => {
    const missing: string[] = [];
    for (const doc of filesUnder('docs', /\.md$/)) {
      for (const p of namedPaths(read(doc))) if (!existsSync(path.join(ROOT, p))) missing.push(`${doc}: ${p}`);
    }
    const notCiting: string[] = [];
    for (const [id, section] of statementSections(read('docs/security.md'))) {
      for (const p of namedPaths(section)) {
        const abs = path.join(ROOT, p);
        if (existsSync(abs) && statSync(abs).isFile() && CODE_FILE.test(p) && !citedIds(read(p)).has(id)) notCiting.push(`${id}: ${p}`);
      }
    }
    expect(missing).toEqual([]);
    expect(notCiting).toEqual([]);
  });
});
