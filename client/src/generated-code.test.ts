// @vitest-environment node
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('committed codegen output (client/src/gql)', () => {
  it('equals a fresh generation from schema.graphql (run `npm run codegen` after changing documents or the schema)', () => {
    const run = spawnSync(process.execPath, ['node_modules/@graphql-codegen/cli/cjs/bin.js', '--config', 'codegen.yml', '--check'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stdout + run.stderr).not.toMatch(/would have changed|Error/);
    expect(run.status).toBe(0);
  });
});
