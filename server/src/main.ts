import 'reflect-metadata';
import dotenv from 'dotenv';
import { ConfigError, parseConfig } from './config/env.js';
import { DatabaseStartError } from './db/orm.js';
import { startHub } from './hub.js';
import { createLogger } from './logging/logger.js';

/**
 * Entry point: `.env` (when present) → configuration → hub. Any start-up failure exits
 * non-zero before the port opens, with a message that names the variable to fix.
 */
dotenv.config({ quiet: true });

let config;
try {
  config = parseConfig(process.env);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const logger = createLogger({ level: config.logLevel, pretty: config.nodeEnv === 'development' && process.stdout.isTTY === true });

try {
  const hub = await startHub(config, { logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    hub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  if (err instanceof ConfigError || err instanceof DatabaseStartError) {
    logger.fatal(err.message);
    console.error(err.message);
  } else {
    logger.fatal({ err }, 'the hub failed to start');
  }
  // Let pino flush before exiting.
  setTimeout(() => process.exit(1), 50);
}
