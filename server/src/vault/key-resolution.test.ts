import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureLogger } from '../test/log-capture.js';
import { parseConfig } from '../config/env.js';
import { KEY_FILE_NAME, resolveEncryptionKeys } from './key-resolution.js';

describe('encryption key resolution', () => {
  it('outside production generates a key into DATA_DIR/encryption.key (0600), warns once, and reuses it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hub-key-'));
    const capture = captureLogger('info');
    const first = await resolveEncryptionKeys(parseConfig({ DATA_DIR: dir }), capture.logger);
    expect(first.source).toBe('generated');
    expect(first.currentHex).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(dir, KEY_FILE_NAME);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.currentHex);

    const second = await resolveEncryptionKeys(parseConfig({ DATA_DIR: dir }), capture.logger);
    expect(second).toEqual({ ...first, source: 'file' });
    const warnings = capture.lines.filter((l) => l.includes('ENCRYPTION_KEY is not set'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(file);
    expect(capture.text()).not.toContain(first.currentHex);
  });

  it('S26 in production refuses to start without ENCRYPTION_KEY, naming the variable', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hub-key-'));
    await expect(resolveEncryptionKeys(parseConfig({ DATA_DIR: dir, NODE_ENV: 'production' }), captureLogger().logger)).rejects.toThrow(
      /ENCRYPTION_KEY: required when NODE_ENV=production/,
    );
  });

  it('prefers ENCRYPTION_KEY and rejects a corrupt key file without printing it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hub-key-'));
    const fromEnv = await resolveEncryptionKeys(parseConfig({ DATA_DIR: dir, ENCRYPTION_KEY: 'd'.repeat(64) }), captureLogger().logger);
    expect(fromEnv).toEqual({ currentHex: 'd'.repeat(64), previousHex: [], source: 'environment' });
    await writeFile(path.join(dir, KEY_FILE_NAME), 'not-a-key-0123');
    const err = await resolveEncryptionKeys(parseConfig({ DATA_DIR: dir }), captureLogger().logger).catch((e: Error) => e);
    expect(String(err)).toMatch(/is not 64 hexadecimal characters/);
    expect(String(err)).not.toContain('not-a-key-0123');
  });
});
