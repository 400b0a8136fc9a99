/**
 * The floor of the stack the hub is built on, measured in B1: express 5 + express.json +
 * @apollo/server 5 (its express integration, CSRF prevention, the cache-control plugin off, as the
 * hub) + graphql-js executing the committed `schema.graphql` — and nothing of the hub's own work.
 * No database, no session lookup, no logging: every user's Integrations answer is loaded into
 * memory at start (by the SHA-256 of the session token) and handed to graphql-js as is.
 *
 * What it answers per request is what the hub answers (the benchmark checks the bytes), so its
 * req/s and p99 are the best the hub could reach if all of its own code were free: the part of
 * B1's cost the product's fixed stack sets.
 *
 * Env: PORT, DATABASE_URL, CATALOG_FILE.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { buildSchema, GraphQLError } from 'graphql';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { integrationsAnswer, readCatalog, type ConnectionRow } from './integrations-answer.js';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const catalog = readCatalog(env('CATALOG_FILE'));

// Every answer, loaded once.
const db = new pg.Client({ connectionString: env('DATABASE_URL') });
await db.connect();
const sessions = await db.query<{ token_hash: string; user_id: string }>('select token_hash, user_id from sessions');
const connections = await db.query<ConnectionRow & { user_id: string }>(
  `select user_id, id, provider, provider_account_id, account_email, account_label, status, scopes, connected_at, last_refreshed_at, expires_at, last_error
     from connections order by provider asc, connected_at asc, id asc`,
);
await db.end();
const rowsByUser = new Map<string, ConnectionRow[]>();
for (const r of connections.rows) rowsByUser.set(r.user_id, [...(rowsByUser.get(r.user_id) ?? []), r]);
const answers = new Map<string, ReturnType<typeof integrationsAnswer>>();
for (const s of sessions.rows) answers.set(s.token_hash, integrationsAnswer(catalog, rowsByUser.get(s.user_id) ?? []));

interface Context {
  answer: ReturnType<typeof integrationsAnswer> | undefined;
}

function sessionHash(cookie: string | undefined): string | undefined {
  for (const part of cookie?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (part.slice(0, eq).trim() === 'hub_session') return createHash('sha256').update(decodeURIComponent(part.slice(eq + 1).trim())).digest('hex');
  }
  return undefined;
}

const schema = buildSchema(readFileSync(path.join(repoRoot, 'schema.graphql'), 'utf8'));
const apollo = new ApolloServer<Context>({
  schema,
  csrfPrevention: true,
  rootValue: {
    integrations: (_args: unknown, ctx: Context) => {
      if (!ctx.answer) throw new GraphQLError('Sign in first', { extensions: { code: 'UNAUTHENTICATED' } });
      return ctx.answer;
    },
  },
  plugins: [ApolloServerPluginCacheControlDisabled()],
});
await apollo.start();

const app = express();
app.set('etag', false);
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
app.use(
  '/graphql',
  express.json({ limit: '64kb' }),
  expressMiddleware(apollo, { context: async ({ req }) => ({ answer: answers.get(sessionHash(req.headers.cookie) ?? '') }) }),
);
const server = app.listen(Number(env('PORT')), '127.0.0.1');
server.keepAliveTimeout = 5_000;
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void apollo.stop().then(() => process.exit(0));
});
