import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIENT_CODES_PATH, renderClientCodes } from '../graphql/client-codes.js';
import { buildHubSchema, renderSchema } from '../graphql/schema.js';

/**
 * Writes the root `schema.graphql` from the resolvers (the dashboard's codegen reads it) and the
 * dashboard's copy of the error codes and callback failure reasons.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const outputs: Array<[string, string]> = [
  [path.join(root, 'schema.graphql'), renderSchema(await buildHubSchema())],
  [path.join(root, CLIENT_CODES_PATH), renderClientCodes()],
];
for (const [target, text] of outputs) {
  await writeFile(target, text);
  console.log(`wrote ${path.relative(process.cwd(), target) || target}`);
}
