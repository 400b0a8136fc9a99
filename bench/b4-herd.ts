import { CONNECTION_COLUMNS, placeOf } from '../server/src/vault/encrypted-columns.js';
import { grantConnection } from './lib/grants.js';
import { startBenchHub } from './lib/processes.js';
import { median, type BenchResult } from './lib/report.js';
import { seedConnections, seedUsers } from './lib/seed.js';
import { startStack } from './lib/stack.js';

/**
 * B4: 500 concurrent `POST /api/credentials/token` for ONE expired Box connection (single-use,
 * rotating refresh tokens), split across two hub processes on one PostgreSQL database. Exactly one
 * refresh request may reach the simulator; every caller gets 200 and the same, live token; the
 * stored refresh token is the live one. ROUNDS rounds, each on a fresh expired connection; the
 * latency percentiles are the medians over the rounds.
 */
const REQUESTS = 500;
const ROUNDS = 3;
const log = (line: string) => process.stderr.write(`${line}\n`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function benchHerd(): Promise<BenchResult[]> {
  const stack = await startStack();
  const { pool } = stack.db;
  try {
    const [a, b] = [await startBenchHub(stack.hubEnv), await startBenchHub(stack.hubEnv)];
    try {
      const [user] = await seedUsers(pool, 1, 'b4');
      const rounds: Array<{ p50: number; p99: number; max: number; calls: number; ok: number; tokens: number; live: boolean }> = [];
      for (let r = 0; r < ROUNDS; r++) {
        const [c] = await seedConnections(pool, stack.vault, [grantConnection(stack.sim, 'box', user!.id, `b4-${r}-${Date.now()}@example.com`, new Date(Date.now() - 60_000))]);
        stack.sim.sim.reset();
        const body = JSON.stringify({ userId: user!.id, provider: 'box', connectionId: c!.id });
        const headers = { 'content-type': 'application/json', authorization: `Bearer ${stack.serviceToken}` };
        const results = await Promise.all(
          Array.from({ length: REQUESTS }, async (_, i) => {
            const started = performance.now();
            const res = await fetch(`${(i % 2 ? b : a).url}/api/credentials/token`, { method: 'POST', headers, body });
            const json = (await res.json()) as { accessToken?: string };
            return { status: res.status, token: json.accessToken, ms: performance.now() - started };
          }),
        );
        const ms = results.map((x) => x.ms).sort((x, y) => x - y);
        const tokens = new Set(results.map((x) => x.token));
        const [row] = (await pool.query<{ refresh_token_enc: string; access_token_enc: string }>('select refresh_token_enc, access_token_enc from connections where id = $1', [c!.id])).rows;
        const storedRefresh = stack.vault.decrypt(row!.refresh_token_enc, placeOf(CONNECTION_COLUMNS.refreshToken, user!.id, c!.id));
        const storedAccess = stack.vault.decrypt(row!.access_token_enc, placeOf(CONNECTION_COLUMNS.accessToken, user!.id, c!.id));
        const [token] = tokens;
        const live =
          tokens.size === 1 &&
          token === storedAccess &&
          stack.sim.sim.isAccessTokenValid('box', storedAccess) &&
          stack.sim.sim.isRefreshTokenValid('box', storedRefresh);
        const round = {
          p50: percentile(ms, 50),
          p99: percentile(ms, 99),
          max: ms[ms.length - 1]!,
          calls: stack.sim.sim.count('box', 'token_refresh'),
          ok: results.filter((x) => x.status === 200).length,
          tokens: tokens.size,
          live,
        };
        rounds.push(round);
        log(`  round ${r + 1}: ${round.ok}/${REQUESTS} × 200, refresh calls ${round.calls}, distinct tokens ${round.tokens}, live ${live}, p50 ${round.p50.toFixed(1)} ms, p99 ${round.p99.toFixed(1)} ms`);
      }
      const calls = Math.max(...rounds.map((x) => x.calls));
      const allOk = rounds.every((x) => x.ok === REQUESTS && x.calls === 1 && x.tokens === 1 && x.live);
      return [
        {
          id: 'B4',
          what: `${REQUESTS} concurrent token requests for one expired Box connection across two hub processes (${ROUNDS} rounds)`,
          measured: {
            'provider refresh calls (max of rounds)': calls,
            'answers 200': `${rounds.reduce((s, x) => s + x.ok, 0)}/${REQUESTS * ROUNDS}`,
            'p50 ms': median(rounds.map((x) => x.p50)),
            'p99 ms': median(rounds.map((x) => x.p99)),
          },
          target: 'provider refresh calls exactly 1 (per round); p99 reported',
          met: allOk,
          ...(allOk ? {} : { notes: JSON.stringify(rounds) }),
        },
      ];
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  } finally {
    await stack.close();
  }
}
