import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test/hub-process.js';
import { CLIENT_CODES_PATH, renderClientCodes } from './client-codes.js';
import { buildHubSchema, renderSchema } from './schema.js';

describe('committed schema.graphql', () => {
  it('equals the schema built from the resolvers (run `npm run schema` after changing the API)', async () => {
    const committed = await readFile(path.join(REPO_ROOT, 'schema.graphql'), 'utf8');
    expect(committed).toBe(renderSchema(await buildHubSchema()));
  });
});

describe('committed client/src/gql/error-codes.ts', () => {
  it('equals the codes rendered from ERROR_CODES and the callback failure reasons (run `npm run schema` after changing them)', async () => {
    const committed = await readFile(path.join(REPO_ROOT, CLIENT_CODES_PATH), 'utf8');
    expect(committed).toBe(renderClientCodes());
  });
});
