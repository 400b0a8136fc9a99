import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../test/log-capture.js';
import { entities } from '../modules/entities.js';
import { openDatabase } from './orm.js';

describe('embedded database (PGlite) data directory', () => {
  it('recovers from a first start interrupted half-way (directory without PG_VERSION) and leaves no staging dirs', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'hub-pglite-'));
    await mkdir(path.join(dataDir, 'pglite', 'base'), { recursive: true });
    await writeFile(path.join(dataDir, 'pglite', 'half-written'), 'x');
    const db = await openDatabase({ entities, dataDir, logger: captureLogger().logger });
    try {
      await db.migrate();
      expect(await db.pendingMigrations()).toEqual([]);
      expect(await db.ping()).toBe(true);
    } finally {
      await db.close();
    }
    expect(existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    expect(existsSync(path.join(dataDir, 'pglite', 'half-written'))).toBe(false);
    expect((await readdir(dataDir)).sort()).toEqual(['pglite']);
  });
});
