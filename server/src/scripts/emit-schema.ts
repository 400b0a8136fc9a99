import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHubSchema, renderSchema } from '../graphql/schema.js';

/** Writes the root `schema.graphql` from the resolvers (the dashboard's codegen reads it). */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const target = path.join(root, 'schema.graphql');
await writeFile(target, renderSchema(await buildHubSchema()));
console.log(`wrote ${path.relative(process.cwd(), target) || target}`);
