import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test/hub-process.js';
import { buildHubSchema, renderSchema } from './schema.js';

describe('committed schema.graphql', () => {
  it('equals the schema built from the resolvers (run `npm run schema` after changing the API)', async () => {
    const committed = await readFile(path.join(REPO_ROOT, 'schema.graphql'), 'utf8');
    expect(committed).toBe(renderSchema(await buildHubSchema()));
  });
});
