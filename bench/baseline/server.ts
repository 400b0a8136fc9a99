/**
 * The bare baseline the hub is measured against: node:http + pg, no framework, no ORM, no
 * GraphQL engine. It runs the SQL the hub needs for the measured requests and writes the same
 * JSON bytes the hub writes (the benchmark asserts that once before measuring):
 *
 * - `POST /graphql` (the dashboard's Integrations query): session by SHA-256 of the cookie token
 *   with its user, then the user's connections; the catalog part (names, flags) is static
 *   configuration, read from CATALOG_FILE (written by the benchmark from the hub's own registry).
 * - `POST /api/credentials/token` `{ userId, provider }`: the user's newest ACTIVE connection of the
 *   provider, its access token decrypted with the vault, one audit row — as the hub does for a
 *   token that needs no refresh.
 *
 * Env: PORT, DATABASE_URL, ENCRYPTION_KEY, HUB_SERVICE_TOKEN, CATALOG_FILE.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { CONNECTION_COLUMNS, placeOf } from '../../server/src/vault/encrypted-columns.js';
import { Keyring, Vault } from '../../server/src/vault/index.js';
import { integrationsAnswer, readCatalog, sessionTokenOf, TOKEN_COLUMNS, tokenAnswer, type ConnectionRow, type TokenRow } from './answers.js';

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};
const catalog = readCatalog(env('CATALOG_FILE'));
const vault = new Vault(Keyring.fromHex(env('ENCRYPTION_KEY'), []));
const serviceToken = Buffer.from(`Bearer ${env('HUB_SERVICE_TOKEN')}`);
// The hub's pool: at most 10 connections.
const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 10 });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROVIDER_ID = /^[a-z][a-z0-9_-]{1,39}$/;
const SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) reject(new Error('too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}


async function integrations(req: IncomingMessage, res: ServerResponse) {
  const body = JSON.parse(await readBody(req, 64 * 1024)) as { query?: unknown };
  if (typeof body.query !== 'string') return send(res, 400, '{"errors":[{"message":"query required"}]}\n');
  const token = sessionTokenOf(req.headers.cookie);
  const unauthenticated = () => send(res, 200, '{"errors":[{"message":"Sign in first","extensions":{"code":"UNAUTHENTICATED"}}],"data":null}\n');
  if (!token || !SESSION_TOKEN.test(token)) return unauthenticated();
  const hash = createHash('sha256').update(token).digest('hex');
  const session = await pool.query<{ user_id: string; expires_at: Date }>(
    'select s.id, s.user_id, s.expires_at, s.last_seen_at, u.email from sessions s join users u on u.id = s.user_id where s.token_hash = $1',
    [hash],
  );
  const s = session.rows[0];
  if (!s || s.expires_at.getTime() <= Date.now()) return unauthenticated();
  const { rows } = await pool.query<ConnectionRow>(
    `select id, provider, provider_account_id, account_email, account_label, status, scopes, connected_at, last_refreshed_at, expires_at, last_error
       from connections where user_id = $1 order by provider asc, connected_at asc, id asc`,
    [s.user_id],
  );
  const list = integrationsAnswer(catalog, rows);
  send(res, 200, JSON.stringify({ data: { integrations: list } }) + '\n');
}


async function token(req: IncomingMessage, res: ServerResponse) {
  const auth = Buffer.from(req.headers.authorization ?? '');
  if (auth.length !== serviceToken.length || !timingSafeEqual(auth, serviceToken)) {
    return send(res, 401, '{"error":{"code":"UNAUTHENTICATED","message":"A valid service token is required"}}');
  }
  const body = JSON.parse(await readBody(req, 4 * 1024)) as { userId?: unknown; provider?: unknown };
  const { userId, provider } = body;
  if (typeof userId !== 'string' || !UUID.test(userId) || typeof provider !== 'string' || !PROVIDER_ID.test(provider)) {
    return send(res, 400, '{"error":{"code":"BAD_USER_INPUT","message":"bad input"}}');
  }
  const { rows } = await pool.query<TokenRow>(
    `select ${TOKEN_COLUMNS} from connections
      where user_id = $1 and provider = $2 and status = 'ACTIVE' order by connected_at desc, id desc limit 1`,
    [userId.toLowerCase(), provider],
  );
  const c = rows[0];
  if (!c) return send(res, 404, '{"error":{"code":"NOT_FOUND","message":"Connection not found"}}');
  const accessToken = vault.decrypt(c.access_token_enc, placeOf(CONNECTION_COLUMNS.accessToken, c.user_id, c.id));
  await pool.query(
    `insert into audit_events (id, user_id, actor_type, actor_id, action, target_type, target_id, provider, outcome, reason, ip)
     values ($1, $2, 'service', null, 'oauth.token_read', 'connection', $3, $4, 'success', null, $5)`,
    [randomUUID(), c.user_id, c.id, c.provider, req.socket.remoteAddress ?? null],
  );
  res.setHeader('Cache-Control', 'no-store');
  send(
    res,
    200,
    JSON.stringify(tokenAnswer(c, accessToken)),
  );
}

const server = createServer((req, res) => {
  const route = req.method === 'POST' && req.url === '/graphql' ? integrations : req.method === 'POST' && req.url === '/api/credentials/token' ? token : undefined;
  if (!route) {
    if (req.url === '/healthz') return send(res, 200, '{"ok":true}');
    return send(res, 404, '{"error":{"code":"NOT_FOUND"}}');
  }
  route(req, res).catch((err: unknown) => {
    console.error(err);
    if (!res.headersSent) send(res, 500, '{"error":{"code":"INTERNAL_SERVER_ERROR"}}');
  });
});
server.keepAliveTimeout = 5_000;
server.listen(Number(env('PORT')), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
