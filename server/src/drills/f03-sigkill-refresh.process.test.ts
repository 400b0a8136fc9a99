import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESHER_CONCURRENCY } from '../modules/token-lifecycle/background-refresher.js';
import { writeProvidersFile } from '../test/connect-flow.js';
import { sandboxOverrides } from '../sandbox/sandbox.js';
import { CONNECTION_COLUMNS, placeOf } from '../vault/encrypted-columns.js';
import { startSimulator, type RunningSimulator } from '../simulator/index.js';
import { createPostgresDatabase } from '../test/databases.js';
import { startHubProcess, type HubProcess } from '../test/hub-process.js';
import { TEST_ENCRYPTION_KEY } from '../test/test-hub.js';
import { Keyring, Vault } from '../vault/index.js';

/**
 * F03: the hub process is SIGKILLed in the middle of a background refresh burst over 1,000 Box
 * connections (single-use refresh tokens that rotate on every refresh), then started again.
 *
 * To make the dangerous moment certain rather than likely, Box's token endpoint sits behind a
 * proxy in this process. Mid-burst the proxy starts HOLDING answers: each refresh request still
 * reaches the simulator, which rotates the refresh token, but the answer never comes back — as if
 * the process died between the provider's answer and the commit. Once every refresher worker
 * waits on a held answer, the hub is killed. Those connections' stored refresh tokens are dead
 * at Box now; nothing can bring them back.
 *
 * After the restart every connection is fetched through POST /api/credentials/token and must be
 * EITHER ACTIVE with a token that works at the simulator (and a stored refresh token that is
 * live), OR NEEDS_REAUTH (409). None silently broken. Box documents a grace for a just-used
 * refresh token (the same pair comes back until the new refresh token is used; docs/providers.md),
 * and the simulator models it: the restarted hub's retry with the old refresh token recovers the
 * pair it never saved, so every lost rotation ends ACTIVE and none needs a new connect.
 *
 * Needs the built hub (`npm test` builds first; `npm run build:server` before running this alone).
 */
const N = 1_000;
const USERS = 10;
const SERVICE_TOKEN = `svc-${randomUUID()}${randomUUID()}`;

interface HoldingProxy {
  url: string;
  /** 'pass': forward and relay; 'hold': forward, let the simulator answer, never relay it. */
  mode: 'pass' | 'hold';
  /** Refresh tokens of the requests whose answers were withheld. */
  held: string[];
  /** Sockets of held requests, cut when the test is done with them. */
  dropHeld(): void;
  close(): Promise<void>;
}

async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const heldSockets = new Set<Socket>();
  const proxy: HoldingProxy = {
    url: '',
    mode: 'pass',
    held: [],
    dropHeld: () => {
      for (const s of heldSockets) s.destroy();
      heldSockets.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const hold = proxy.mode === 'hold';
      if (hold) {
        proxy.held.push(new URLSearchParams(body).get('refresh_token') ?? '');
        heldSockets.add(req.socket);
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      fetch(`${target}${req.url}`, { method: req.method!, headers, body })
        .then(async (upstream) => {
          const text = await upstream.text();
          if (hold) return; // the provider has answered (and rotated); the hub never hears of it
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        })
        .catch(() => {
          if (!hold && !res.headersSent) res.writeHead(502).end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('F03 SIGKILL during a burst of refreshes of rotating (Box) tokens, then restart', () => {
  let sim: RunningSimulator;
  let proxy: HoldingProxy;
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let sql: pg.Pool;
  let file: Awaited<ReturnType<typeof writeProvidersFile>>;
  let env: Record<string, string>;
  const hubs: HubProcess[] = [];
  const vault = new Vault(Keyring.fromHex(TEST_ENCRYPTION_KEY, []));

  beforeAll(async () => {
    sim = await startSimulator({ maxRecordedRequests: 4 * N });
    proxy = await startHoldingProxy(sim.url);
    db = await createPostgresDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 4 });
    const overrides = sandboxOverrides(sim.url);
    file = await writeProvidersFile({ ...overrides, box: { ...overrides.box, tokenUrl: `${proxy.url}/box/oauth2/token` } });
    env = {
      DATABASE_URL: db.url,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      OAUTH_PROVIDERS_FILE: file.path,
      HUB_SERVICE_TOKEN: SERVICE_TOKEN,
      LOG_LEVEL: 'warn',
      REFRESHER_ENABLED: '1',
      REFRESHER_INTERVAL_SECONDS: '1',
      REFRESHER_BATCH_SIZE: '50',
    };
  });
  afterAll(async () => {
    proxy?.dropHeld();
    // stop() after a SIGKILL only waits and removes the data directory.
    for (const h of hubs) await h.stop();
    await sql?.end();
    await db?.drop();
    await proxy?.close();
    await sim?.close();
    await file?.remove();
  });

  it('F03 after a SIGKILL mid-burst and a restart, every connection is ACTIVE with a working token or NEEDS_REAUTH; with Box\'s refresh grace the lost rotations recover; none silently broken', async () => {
    // The first start migrates the database; then 1,000 live Box grants, not due yet.
    const first = await startHubProcess({ env });
    hubs.push(first);
    const userIds = Array.from({ length: USERS }, () => randomUUID());
    await sql.query(`insert into users (id, email, password_hash) select id, id::text || '@f03.example', 'x' from unnest($1::uuid[]) as id`, [userIds]);
    const rows = Array.from({ length: N }, (_, i) => {
      const issued = sim.sim.issueTokens('box', { login: `f03-${i}@example.com` });
      const id = randomUUID();
      const userId = userIds[i % USERS]!;
      return {
        id,
        userId,
        account: `f03-${i}`,
        access: vault.encrypt(issued.access_token, placeOf(CONNECTION_COLUMNS.accessToken, userId, id)),
        refresh: vault.encrypt(issued.refresh_token!, placeOf(CONNECTION_COLUMNS.refreshToken, userId, id)),
        refreshToken: issued.refresh_token!,
      };
    });
    await sql.query(
      `insert into connections (id, user_id, provider, provider_account_id, account_label, scopes, access_token_enc, refresh_token_enc, token_type, expires_at, metadata, connected_at)
       select id, user_id, 'box', account, account, '["root_readonly"]', access, refresh, 'bearer', now() + interval '1 day', '{}', now()
         from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[]) as t(id, user_id, account, access, refresh)`,
      [rows.map((r) => r.id), rows.map((r) => r.userId), rows.map((r) => r.account), rows.map((r) => r.access), rows.map((r) => r.refresh)],
    );
    const byRefreshToken = new Map(rows.map((r) => [r.refreshToken, r.id]));
    sim.sim.reset();

    // The burst: everything due at once. Mid-burst, answers start being withheld; once every
    // refresher worker waits on one, the process is killed.
    await sql.query(`update connections set expires_at = now() + interval '60 seconds'`);
    const refreshed = async () => (await sql.query<{ n: number }>('select count(*)::int as n from connections where last_refreshed_at is not null')).rows[0]!.n;
    await waitFor('the burst to be under way', async () => (await refreshed()) >= N / 4, 60_000);
    proxy.mode = 'hold';
    await waitFor('every refresher worker to wait on a withheld answer', () => proxy.held.length >= REFRESHER_CONCURRENCY, 20_000);
    first.kill('SIGKILL');
    await first.exited;
    const before = await refreshed();
    const lostIds = new Set(proxy.held.map((t) => byRefreshToken.get(t) ?? (t ? `rotated-by-the-hub:${t.slice(0, 4)}` : 'none')));
    // The held refreshes did reach Box: their old refresh tokens are no longer Box's current ones.
    for (const t of proxy.held) expect(sim.sim.isRefreshTokenValid('box', t)).toBe(false);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(N);
    proxy.dropHeld();
    proxy.mode = 'pass';

    // Restart; let its refresher work, then ask for every connection's token.
    const second = await startHubProcess({ env });
    hubs.push(second);
    const outcome = { active: 0, needsReauth: 0, broken: [] as string[] };
    const needsReauth = new Set<string>();
    const queue = [...rows];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let r = queue.shift(); r; r = queue.shift()) {
          const res = await fetch(`${second.url}/api/credentials/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVICE_TOKEN}` },
            body: JSON.stringify({ userId: r.userId, provider: 'box', connectionId: r.id }),
          });
          const body = (await res.json()) as { accessToken?: string; error?: { code?: string } };
          if (res.status === 200 && body.accessToken && sim.sim.isAccessTokenValid('box', body.accessToken)) outcome.active++;
          else if (res.status === 409 && body.error?.code === 'NEEDS_REAUTH') {
            outcome.needsReauth++;
            needsReauth.add(r.id);
          } else outcome.broken.push(`${r.id}: ${res.status} ${JSON.stringify(body.error ?? {})}`);
        }
      }),
    );
    console.log(
      `F03: killed after ${before}/${N} refreshes with ${proxy.held.length} rotations unsaved; after restart: ` +
        `${outcome.active} ACTIVE with a working token, ${outcome.needsReauth} NEEDS_REAUTH, ${outcome.broken.length} broken`,
    );
    expect(outcome.broken).toEqual([]);
    expect(outcome.active + outcome.needsReauth).toBe(N);
    // Box's grace gave the lost rotations their pair back: nobody needs a new connect.
    expect(lostIds.size).toBeGreaterThan(0);
    expect([...needsReauth]).toEqual([]);

    // The database agrees, and no ACTIVE row holds a dead refresh token.
    const stored = (
      await sql.query<{ id: string; user_id: string; status: string; last_error: string | null; refresh_token_enc: string }>(
        'select id, user_id, status, last_error, refresh_token_enc from connections',
      )
    ).rows;
    expect(stored).toHaveLength(N);
    for (const s of stored) {
      if (needsReauth.has(s.id)) {
        expect({ status: s.status, lastError: s.last_error }).toEqual({ status: 'NEEDS_REAUTH', lastError: 'invalid_grant' });
      } else {
        expect(s.status).toBe('ACTIVE');
        const refreshToken = vault.decrypt(s.refresh_token_enc, placeOf(CONNECTION_COLUMNS.refreshToken, s.user_id, s.id));
        expect(sim.sim.isRefreshTokenValid('box', refreshToken)).toBe(true);
      }
    }
    // No refresh was refused: the lost ones' single retry was answered within Box's grace.
    const refused = sim.sim.requests('box').filter((q) => q.endpoint === 'token_refresh' && q.status === 400).length;
    expect(refused).toBe(0);
  }, 150_000);
});
