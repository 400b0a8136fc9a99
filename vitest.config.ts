import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// graphql ships CJS and ESM builds; without this alias vitest can load both and type-graphql
// fails with "Cannot use GraphQLObjectType from another module or realm" (docs/stack.md).
const alias = [{ find: /^graphql$/, replacement: 'graphql/index.js' }];

export default defineConfig({
  test: {
    // Child processes and PGlite instances are heavy: two files at a time on a 2-core machine.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 90_000,
    projects: [
      {
        extends: true,
        resolve: { alias },
        test: { name: 'server', include: ['server/src/**/*.test.ts'], environment: 'node', pool: 'forks' },
      },
      {
        extends: true,
        plugins: [react()],
        resolve: { alias },
        test: { name: 'client', include: ['client/src/**/*.test.{ts,tsx}'], environment: 'jsdom', setupFiles: ['client/src/test/setup.ts'] },
      },
      {
        extends: true,
        resolve: { alias },
        test: { name: 'e2e', include: ['e2e/**/*.e2e.test.ts'], environment: 'node', pool: 'forks', testTimeout: 120_000 },
      },
    ],
  },
});
