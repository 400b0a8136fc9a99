import { PGlite } from '@electric-sql/pglite';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Integration tests run on both databases the hub supports: a real PostgreSQL server and
 * the embedded PGlite. Never a mock. PostgreSQL must be reachable: a missing server fails
 * the run (it is not skipped).
 */
export type TestDatabaseKind = 'postgresql' | 'pglite';
export const TEST_DATABASE_KINDS: readonly TestDatabaseKind[] = ['postgresql', 'pglite'];

/** The maintenance connection: PostgreSQL on 127.0.0.1:5432, trust auth, database `test`. */
export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  kind: TestDatabaseKind;
  /** Set for PostgreSQL. */
  url?: string;
  /** Set for PGlite (in memory). */
  pglite?: PGlite;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database (`<prefix>_<time>_<random>`) for one test file or benchmark run, dropped afterwards. */
export async function createPostgresDatabase(prefix = 'hub_test'): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is required for the integration tests and benchmarks at ${ADMIN_DATABASE_URL} (set TEST_DATABASE_URL to change it): ${(err as Error).message}`,
    );
  }
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export async function createTestDatabase(kind: TestDatabaseKind): Promise<TestDatabase> {
  if (kind === 'postgresql') {
    const db = await createPostgresDatabase();
    return { kind, url: db.url, drop: db.drop };
  }
  const pglite = await PGlite.create();
  return {
    kind,
    pglite,
    async drop() {
      if (!pglite.closed) await pglite.close();
    },
  };
}
