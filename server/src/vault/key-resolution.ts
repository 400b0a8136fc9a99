import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, type Config } from '../config/env.js';

export const KEY_FILE_NAME = 'encryption.key';

export interface EncryptionKeys {
  currentHex: string;
  previousHex: string[];
  source: 'environment' | 'file' | 'generated';
}

/**
 * Where the master key comes from.
 * - `ENCRYPTION_KEY` set: that key (already validated by the config schema).
 * - Unset in production: refuse to start (S26) — a generated key would silently make every
 *   stored secret unreadable on the next container.
 * - Unset elsewhere: a key kept in `DATA_DIR/encryption.key` (mode 0600), generated on first
 *   start, so `npm start` works on a fresh machine and secrets survive restarts.
 */
export async function resolveEncryptionKeys(config: Config, logger: Logger): Promise<EncryptionKeys> {
  const previousHex = config.encryptionKeysPrevious.map((k) => k.toLowerCase());
  if (config.encryptionKey) return { currentHex: config.encryptionKey, previousHex, source: 'environment' };
  if (config.nodeEnv === 'production') {
    throw new ConfigError([
      'ENCRYPTION_KEY: required when NODE_ENV=production (64 hexadecimal characters; generate one with: openssl rand -hex 32)',
    ]);
  }
  const file = path.resolve(config.dataDir, KEY_FILE_NAME);
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (!/^[0-9a-f]{64}$/i.test(stored)) {
      throw new ConfigError([`ENCRYPTION_KEY: the key file ${file} is not 64 hexadecimal characters`]);
    }
    return { currentHex: stored.toLowerCase(), previousHex, source: 'file' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(path.dirname(file), { recursive: true });
  const generated = randomBytes(32).toString('hex');
  // 'wx' fails if another process created the file meanwhile: then use theirs.
  try {
    await writeFile(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return resolveEncryptionKeys(config, logger);
    throw err;
  }
  logger.warn(
    { keyFile: file },
    `ENCRYPTION_KEY is not set: generated a new key and stored it in ${file} (mode 0600). ` +
      'Back this file up; set ENCRYPTION_KEY in production.',
  );
  return { currentHex: generated, previousHex, source: 'generated' };
}
