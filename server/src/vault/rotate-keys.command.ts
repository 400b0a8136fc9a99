import type { PGlite } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { ConfigError, parseConfig } from '../config/env.js';
import { DatabaseStartError, openDatabase, type Database, type DatabaseEntities } from '../db/orm.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { KEY_FILE_NAME, resolveEncryptionKeys } from './key-resolution.js';
import { formatRotationReport, rotateKeys, type RotateOptions, type RotationAudit, type RotationReport } from './rotation.js';
import { vaultFromKeys } from './vault-from-keys.js';

export interface RotateCommandIO {
  out(text: string): void;
  err(text: string): void;
}

/**
 * What the command needs from the modules, which the vault cannot import (the modules import the
 * vault): the audit log's record of a run, and the entity list the database opens with.
 */
export interface RotateCommandModules {
  audit: RotationAudit;
  entities: DatabaseEntities;
}

export interface RotateCommandOptions extends RotateOptions {
  /** Tests: log here instead of stderr. */
  logger?: Logger;
  /** Tests: an in-memory PGlite instead of `${DATA_DIR}/pglite`. */
  pglite?: PGlite;
}

/**
 * `npm run rotate-keys`: re-encrypts every stored secret under the current key.
 * Reads configuration exactly as the server does (environment after `.env`), opens and migrates
 * the same database, prints a table of values per key id before and after.
 * Exit code: 0 when every value is under the current key; 1 for a configuration or database
 * problem, for values that do not decrypt (listed by table and id, left untouched), or for values
 * that were busy and still use an old key (running the command again finishes them).
 * `modules.audit` records the run (see RotationAudit); the script entry passes the audit log's.
 */
export async function runRotateCommand(
  env: Record<string, string | undefined>,
  io: RotateCommandIO,
  modules: RotateCommandModules,
  options: RotateCommandOptions = {},
): Promise<number> {
  let db: Database | undefined;
  try {
    const config = parseConfig(env);
    const logger = options.logger ?? createLogger({ level: config.logLevel, pretty: false, destination: pino.destination({ dest: 2, sync: true }) });
    // The server would generate a key (and an embedded database) on first start; here that would
    // only report every value as unreadable under a key nobody uses, so refuse instead.
    if (!config.encryptionKey && !existsSync(path.resolve(config.dataDir, KEY_FILE_NAME))) {
      throw new ConfigError([
        `ENCRYPTION_KEY: not set, and there is no key file in DATA_DIR (${path.resolve(config.dataDir)}); run this with the server's configuration`,
      ]);
    }
    if (!config.databaseUrl && !options.pglite && !existsSync(path.resolve(config.dataDir, 'pglite'))) {
      throw new ConfigError([`DATABASE_URL: not set, and there is no embedded database in DATA_DIR (${path.resolve(config.dataDir, 'pglite')})`]);
    }
    const keys = await resolveEncryptionKeys(config, logger);
    const vault = vaultFromKeys(keys);
    db = await openDatabase({
      entities: modules.entities,
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
      dataDir: config.dataDir,
      logger,
      poolMax: 2,
      ...(options.pglite ? { pglite: options.pglite } : {}),
    });
    await db.migrate();
    const report: RotationReport = await rotateKeys(db, vault, logger, modules.audit, options);
    io.out(formatRotationReport(report));
    return report.unreadable.length === 0 && report.remaining === 0 ? 0 : 1;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DatabaseStartError) {
      io.err(err.message);
      return 1;
    }
    throw err;
  } finally {
    await db?.close().catch(() => undefined);
  }
}
