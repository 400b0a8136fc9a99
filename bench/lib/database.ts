import pg from 'pg';
import { createPostgresDatabase } from '../../server/src/test/databases.js';

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
  const created = await createPostgresDatabase('hub_bench');
  const pool = new pg.Pool({ connectionString: created.url, max: 4 });
  let dropping: Promise<void> | undefined;
  const db: BenchDatabase = {
    name: created.name,
    url: created.url,
    pool,
    drop() {
      dropping ??= (async () => {
        live.delete(db);
        await pool.end().catch(() => undefined);
        await created.drop();
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
