import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ADMIN_DATABASE_URL } from '../../server/src/test/databases.js';

/**
 * A fresh PostgreSQL database for one benchmark run, uniquely named `hub_bench_<time>_<random>`
 * and dropped afterwards (also on Ctrl-C: see `dropOnExit`).
 */
export interface BenchDatabase {
  name: string;
  url: string;
  /** A pool for seeding and checks (closed by drop()). */
  pool: pg.Pool;
  drop(): Promise<void>;
}

const live = new Set<BenchDatabase>();

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `hub_bench_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  let dropping: Promise<void> | undefined;
  const db: BenchDatabase = {
    name,
    url: url.toString(),
    pool,
    drop() {
      dropping ??= (async () => {
        live.delete(db);
        await pool.end().catch(() => undefined);
        const c = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
        await c.connect();
        try {
          await c.query(`drop database if exists "${name}" with (force)`);
        } finally {
          await c.end();
        }
      })();
      return dropping;
    },
  };
  live.add(db);
  return db;
}

/** Drops every database this process created and has not dropped yet. */
export async function dropAllBenchDatabases(): Promise<void> {
  await Promise.allSettled([...live].map((db) => db.drop()));
}
