import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ProxyOptions } from 'vite';

const clientDir = fileURLToPath(new URL('.', import.meta.url));
const hubUrl = process.env['HUB_URL'] ?? 'http://localhost:3000';

// Regexes, not plain prefixes: Vite matches a plain key with startsWith, so '/api' would also
// swallow the dashboard's own /api-keys route (and '/healthz' a future '/healthzone').
const proxiedPaths = ['/graphql', '/api', '/healthz', '/readyz', '/sandbox'];
const proxy: Record<string, ProxyOptions> = Object.fromEntries(
  proxiedPaths.map((path) => [`^${path}(?:[/?#]|$)`, { target: hubUrl, xfwd: true }]),
);

export default defineConfig({
  root: clientDir,
  // Absolute asset URLs: the server serves graphiql.html at /graphiql and index.html at
  // any history-fallback path (/api-keys/…), so relative URLs would break.
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/client', import.meta.url)),
    emptyOutDir: true,
    // Only GraphiQL's Monaco chunks pass 500 kB, and they load only on /graphiql. The
    // dashboard's real limit (150 KB gzip first-load JS) is e2e/bundle-size.e2e.test.ts.
    chunkSizeWarningLimit: 3000,
    rolldownOptions: {
      input: {
        // The dashboard. Its first-load JS budget is 150 KB gzip: keep GraphiQL out of it.
        index: fileURLToPath(new URL('index.html', import.meta.url)),
        // The self-hosted GraphiQL playground (~2 MB with Monaco): loaded only on its page.
        graphiql: fileURLToPath(new URL('graphiql.html', import.meta.url)),
      },
      onwarn(warning, warn) {
        // GraphiQL ships React-compiler "use no memo" directives; bundling them is harmless.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('use no memo')) return;
        warn(warning);
      },
    },
  },
  // Dev server only (the build bundles everything). The pre-bundler (Rolldown) cannot
  // follow the `?worker` imports inside GraphiQL's worker setup module, so that module is
  // served as-is and Vite's worker plugin handles them. The GraphQL worker's module graph
  // is then not scanned: its CommonJS dependencies must be pre-bundled explicitly, or the
  // worker fails and Monaco falls back to running the language service on the main thread.
  optimizeDeps: {
    exclude: ['graphiql/setup-workers/vite', '@graphiql/react/setup-workers/vite'],
    include: [
      'graphiql > @graphiql/react > graphql-language-service > nullthrows',
      'graphiql > @graphiql/react > monaco-graphql > picomatch-browser',
    ],
  },
  server: { port: 5173, strictPort: true, proxy },
  preview: { port: 4173, proxy },
});
