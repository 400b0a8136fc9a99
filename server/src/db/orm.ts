import { PGlite } from '@electric-sql/pglite';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PGliteDriver, type PGliteConnectionConfig } from 'mikro-orm-pglite';
import pg from 'pg';
import type { Logger } from '../logging/logger.js';
import { maskDatabaseUrl } from '../config/env.js';
import { migrations } from './migrations/index.js';

export type DatabaseKind = 'postgresql' | 'pglite';

export interface Database {
  orm: MikroORM;
  kind: DatabaseKind;
  /** Runs pending migrations (under a cross-process lock on PostgreSQL). */
  migrate(): Promise<void>;
  /** `SELECT 1` with a deadline; false when the database does not answer. */
  ping(timeoutMs?: number): Promise<boolean>;
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

export class DatabaseStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseStartError';
  }
}

/** The entity classes the ORM maps (the modules' list, modules/entities.ts). */
export type DatabaseEntities = NonNullable<Options['entities']>;

export interface DatabaseOptions {
  entities: DatabaseEntities;
  databaseUrl?: string;
  dataDir: string;
  logger: Logger;
  /** Tests pass an in-memory PGlite; otherwise one is opened in `${dataDir}/pglite`. */
  pglite?: PGlite;
  poolMax?: number;
}

const MIGRATION_LOCK_ID = 724_150_311; // arbitrary constant shared by every hub instance

function baseOptions(logger: Logger, entities: DatabaseEntities): Partial<Options> {
  return {
    entities,
    // The explicit list keeps start-up free of folder scans and works identically from src and dist.
    migrations: { migrationsList: migrations, tableName: 'mikro_orm_migrations', transactional: true, allOrNothing: true, snapshot: false },
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    debug: false,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    logger: (msg) => logger.debug({ orm: true }, msg),
  };
}

/** Opens the database the configuration names; throws DatabaseStartError with a clear message. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openPglite(options);
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const masked = maskDatabaseUrl(url);
  let orm: MikroORM;
  try {
    orm = await MikroORM.init({
      ...baseOptions(options.logger, options.entities),
      clientUrl: url,
      pool: { min: 0, max: options.poolMax ?? 10, idleTimeoutMillis: 30_000, acquireTimeoutMillis: 10_000 },
      driverOptions: {
        connection: { connectionTimeoutMillis: 5_000, application_name: 'oauth-hub' },
        // knex would print pool warnings (a dropped connection) to the console; route them to the log.
        log: {
          warn: (m: unknown) => options.logger.warn({ database: 'postgresql' }, String(m)),
          error: (m: unknown) => options.logger.error({ database: 'postgresql' }, String(m)),
          deprecate: (m: unknown) => options.logger.debug({ database: 'postgresql' }, String(m)),
          debug: (m: unknown) => options.logger.debug({ database: 'postgresql' }, String(m)),
        },
      },
    } as Options);
  } catch (err) {
    throw new DatabaseStartError(`Cannot reach the database at DATABASE_URL=${masked}: ${describe(err)}`, { cause: err });
  }
  if (!(await orm.isConnected())) {
    const status = await orm.checkConnection();
    await orm.close(true).catch(() => undefined);
    throw new DatabaseStartError(`Cannot reach the database at DATABASE_URL=${masked}: ${status.ok ? 'unknown error' : status.reason}`);
  }
  return {
    orm,
    kind: 'postgresql',
    async migrate() {
      // Two instances starting together must not both apply migrations: a session-level
      // advisory lock on a dedicated connection serialises them.
      const lockClient = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
      await lockClient.connect();
      try {
        await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await orm.getMigrator().up();
      } finally {
        await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
        await lockClient.end().catch(() => undefined);
      }
    },
    ping: (timeoutMs) => ping(orm, timeoutMs),
    pendingMigrations: async () => (await orm.getMigrator().getPendingMigrations()).map((m) => m.name),
    close: () => orm.close(true),
  };
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  let pglite = options.pglite;
  const owned = !pglite;
  if (!pglite) {
    const dir = path.resolve(options.dataDir, 'pglite');
    try {
      await initializePgliteDir(dir);
      pglite = await PGlite.create(dir);
    } catch (err) {
      throw new DatabaseStartError(`Cannot open the embedded database in ${dir}: ${describe(err)}`, { cause: err });
    }
  }
  const instance = pglite;
  const orm = await MikroORM.init({
    ...baseOptions(options.logger, options.entities),
    driver: PGliteDriver,
    dbName: 'postgres',
    driverOptions: { connection: { pglite: () => instance } satisfies PGliteConnectionConfig },
  } as unknown as Options);
  return {
    orm,
    kind: 'pglite',
    migrate: async () => {
      await orm.getMigrator().up();
    },
    ping: (timeoutMs) => ping(orm, timeoutMs),
    pendingMigrations: async () => (await orm.getMigrator().getPendingMigrations()).map((m) => m.name),
    async close() {
      await orm.close(true);
      // PGlite passed to the driver is "borrowed": orm.close() leaves it open (docs/stack.md).
      if (owned && !instance.closed) await instance.close();
    },
  };
}

/**
 * A first start that is interrupted half-way through PGlite's initdb (Ctrl-C, a dev-mode
 * restart) leaves a data directory that never opens again. So a new directory is created
 * under a temporary name and renamed into place only once fully initialised.
 */
async function initializePgliteDir(dir: string): Promise<void> {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return;
  await mkdir(path.dirname(dir), { recursive: true });
  const staging = `${dir}.initializing-${process.pid}-${Date.now()}`;
  const fresh = await PGlite.create(staging);
  await fresh.close();
  await rm(dir, { recursive: true, force: true }); // an empty or half-made directory
  await rename(staging, dir);
}

async function ping(orm: MikroORM, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const query = orm.em
      .getConnection()
      .execute('select 1 as ok')
      .then(() => true)
      .catch(() => false);
    return await Promise.race([query, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string; errors?: Array<{ message?: string; code?: string }> };
  // AggregateError (IPv4 + IPv6 attempts) hides the useful part in `errors`.
  const first = e.errors?.[0];
  const text = first?.message ?? e.message ?? String(err);
  return text.replace(/postgres(ql)?:\/\/[^\s]+/g, (m) => maskDatabaseUrl(m));
}
