import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/**
 * The dashboard's first-load JS budget: every script index.html loads or modulepreloads,
 * gzipped, must stay under 150 KB, and none of it may be GraphiQL/Monaco (which loads only
 * on /graphiql). Reads the build in dist/client (`npm run build:client` first).
 */
const BUDGET_BYTES = 150 * 1024;
const clientDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/client');

function firstLoadScripts(html: string): string[] {
  const srcs = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] ?? '');
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1] ?? '');
  return [...new Set([...srcs, ...preloads])].filter((src) => src.endsWith('.js'));
}

describe('dashboard bundle', () => {
  it('keeps first-load JS within budget and free of GraphiQL', () => {
    const indexHtml = path.join(clientDist, 'index.html');
    expect(existsSync(indexHtml), `${indexHtml} is missing: build the client first`).toBe(true);
    const scripts = firstLoadScripts(readFileSync(indexHtml, 'utf8'));
    expect(scripts.length).toBeGreaterThan(0);

    let gzipped = 0;
    for (const src of scripts) {
      const code = readFileSync(path.join(clientDist, src), 'utf8');
      expect(code, `${src} pulls GraphiQL/Monaco into the dashboard`).not.toMatch(/monaco|graphiql-container/i);
      gzipped += gzipSync(code).length;
    }
    console.info(`dashboard first-load JS: ${(gzipped / 1024).toFixed(1)} KB gzip in ${scripts.length} file(s)`);
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('builds the GraphiQL page as its own entry with local Monaco workers', () => {
    const graphiqlHtml = path.join(clientDist, 'graphiql.html');
    expect(existsSync(graphiqlHtml), `${graphiqlHtml} is missing: build the client first`).toBe(true);
    const html = readFileSync(graphiqlHtml, 'utf8');
    expect(html).not.toMatch(/https?:\/\//); // no CDN
    const scripts = firstLoadScripts(html);
    const all = scripts.map((src) => readFileSync(path.join(clientDist, src), 'utf8')).join('\n');
    expect(all).toMatch(/editor\.worker-[\w-]+\.js/);
    expect(all).not.toMatch(/esm\.sh|cdn\.jsdelivr|unpkg\.com/);
  });
});
