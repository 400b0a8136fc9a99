/**
 * The floor of the stack the hub is built on, measured in B1 and B2: the product's fixed
 * frameworks as the hub mounts them, and nothing of the hub's own work — no database, no session
 * lookup, no vault, no audit, no logging. Every answer is computed once at start and kept in memory.
 *
 * - `POST /graphql` (B1): express 5 + express.json + @apollo/server 5 (its express integration,
 *   CSRF prevention, the cache-control plugin off, as the hub) + graphql-js executing the
 *   committed `schema.graphql`; each user's Integrations answer found by the SHA-256 of the
 *   session token and handed to graphql-js as is.
 * - `POST /api/credentials/token` (B2): express 5 + express.json({ limit: '4kb' }) + a service
 *   token comparison; the answer for `{ userId, provider }` (the newest ACTIVE connection, its
 *   access token decrypted at start) sent with res.json.
 *
 * What it answers is what the hub answers (the benchmarks check the bytes), so its req/s, p99 and
 * CPU per request are the best the hub could reach if all of its own code were free: the part of
 * the cost the product's fixed stack sets.
 *
 * Env: PORT, DATABASE_URL, CATALOG_FILE, ENCRYPTION_KEY, HUB_SERVICE_TOKEN.
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
import { CONNECTION_COLUMNS, placeOf } from '../../server/src/vault/encrypted-columns.js';
import { Keyring, Vault } from '../../server/src/vault/index.js';
import { integrationsAnswer, readCatalog, sessionTokenOf, TOKEN_COLUMNS, tokenAnswer, type ConnectionRow, type TokenRow } from './answers.js';

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
// The token answers: per user and provider, the newest ACTIVE connection (as the hub picks it).
const vault = new Vault(Keyring.fromHex(env('ENCRYPTION_KEY'), []));
const tokenRows = await db.query<TokenRow>(
  `select distinct on (user_id, provider) ${TOKEN_COLUMNS}
     from connections where status = 'ACTIVE' and token_type = 'bearer' order by user_id, provider, connected_at desc, id desc`,
);
await db.end();
const tokenAnswers = new Map<string, object>();
for (const c of tokenRows.rows) {
  tokenAnswers.set(`${c.user_id}:${c.provider}`, tokenAnswer(c, vault.decrypt(c.access_token_enc, placeOf(CONNECTION_COLUMNS.accessToken, c.user_id, c.id))));
}
const serviceAuthorization = `Bearer ${env('HUB_SERVICE_TOKEN')}`;
const rowsByUser = new Map<string, ConnectionRow[]>();
for (const r of connections.rows) rowsByUser.set(r.user_id, [...(rowsByUser.get(r.user_id) ?? []), r]);
const answers = new Map<string, ReturnType<typeof integrationsAnswer>>();
for (const s of sessions.rows) answers.set(s.token_hash, integrationsAnswer(catalog, rowsByUser.get(s.user_id) ?? []));

interface Context {
  answer: ReturnType<typeof integrationsAnswer> | undefined;
}

function sessionHash(cookie: string | undefined): string | undefined {
  const token = sessionTokenOf(cookie);
  return token === undefined ? undefined : createHash('sha256').update(token).digest('hex');
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
app.post('/api/credentials/token', express.json({ limit: '4kb' }), (req, res) => {
  res.setHeader('Cache-Control', 'no-store');
  if (req.headers.authorization !== serviceAuthorization) {
    res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'A valid service token is required' } });
    return;
  }
  const { userId, provider } = (req.body ?? {}) as { userId?: string; provider?: string };
  const answer = tokenAnswers.get(`${String(userId).toLowerCase()}:${String(provider)}`);
  if (!answer) {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'Connection not found' } });
    return;
  }
  res.json(answer);
});
const server = app.listen(Number(env('PORT')), '127.0.0.1');
server.keepAliveTimeout = 5_000;
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void apollo.stop().then(() => process.exit(0));
});
