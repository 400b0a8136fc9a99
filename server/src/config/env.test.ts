import { describe, expect, it } from 'vitest';
import { ConfigError, maskDatabaseUrl, parseConfig, publicUrlMismatch } from './env.js';

describe('configuration', () => {
  it('has working defaults with no variables set', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({
      port: 3000,
      publicUrl: 'http://localhost:3000',
      dataDir: './data',
      nodeEnv: undefined,
      trustProxy: false,
      sandbox: false,
      encryptionKeysPrevious: [],
    });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.encryptionKey).toBeUndefined();
  });

  it('PUBLIC_URL follows PORT and HOST when unset; a set PUBLIC_URL wins', () => {
    expect(parseConfig({ PORT: '3907' }).publicUrl).toBe('http://localhost:3907');
    expect(parseConfig({ PORT: '3907', HOST: '0.0.0.0' }).publicUrl).toBe('http://localhost:3907');
    expect(parseConfig({ PORT: '3907', HOST: '::' }).publicUrl).toBe('http://localhost:3907');
    expect(parseConfig({ PORT: '3907', HOST: '127.0.0.1' }).publicUrl).toBe('http://127.0.0.1:3907');
    expect(parseConfig({ PORT: '3907', HOST: '::1' }).publicUrl).toBe('http://[::1]:3907');
    expect(parseConfig({ PORT: '3907', HOST: 'hub.lan' }).publicUrl).toBe('http://hub.lan:3907');
    expect(parseConfig({ PORT: '3907', PUBLIC_URL: '' }).publicUrl).toBe('http://localhost:3907');
    expect(parseConfig({ PORT: '3907', PUBLIC_URL: 'https://hub.example.com' }).publicUrl).toBe('https://hub.example.com');
  });

  it('warns in sandbox mode when PUBLIC_URL names this machine on another port than the hub listens on', () => {
    const sandbox = (env: Record<string, string>) => parseConfig({ SANDBOX: '1', ...env });
    expect(publicUrlMismatch(sandbox({ PORT: '3907', PUBLIC_URL: 'http://localhost:3000' }), 3907)).toMatch(
      /PUBLIC_URL \(http:\/\/localhost:3000\) points at port 3000 .* listens on port 3907/,
    );
    expect(publicUrlMismatch(sandbox({ PUBLIC_URL: 'http://127.0.0.1' }), 3000)).toMatch(/port 80 /);
    expect(publicUrlMismatch(sandbox({ PUBLIC_URL: 'http://[::1]:4000' }), 3000)).toMatch(/port 4000 /);
    expect(publicUrlMismatch(sandbox({ PUBLIC_URL: 'http://hub.localhost:4000' }), 3000)).toMatch(/port 4000 /);
    // Agreeing, defaulted, behind a proxy (not a loopback name) or not in sandbox mode: nothing to say.
    expect(publicUrlMismatch(sandbox({ PORT: '3907', PUBLIC_URL: 'http://localhost:3907' }), 3907)).toBeUndefined();
    expect(publicUrlMismatch(sandbox({ PORT: '3907' }), 3907)).toBeUndefined();
    expect(publicUrlMismatch(sandbox({ PORT: '3907', PUBLIC_URL: 'https://hub.example.com' }), 3907)).toBeUndefined();
    expect(publicUrlMismatch(parseConfig({ PORT: '3907', PUBLIC_URL: 'http://localhost:3000' }), 3907)).toBeUndefined();
  });

  it('lists every invalid variable in one message, without their values', () => {
    const secretish = 'z'.repeat(63);
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', PUBLIC_URL: 'ftp://x', DATABASE_URL: 'mysql://u:pw@h/db', ENCRYPTION_KEY: secretish, LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(':')[0]).sort();
    expect(problems).toEqual(['DATABASE_URL', 'ENCRYPTION_KEY', 'LOG_LEVEL', 'PORT', 'PUBLIC_URL']);
    expect((error as Error).message).not.toContain(secretish);
    expect((error as Error).message).not.toContain('pw@');
  });

  it('S26 rejects a 63-character ENCRYPTION_KEY naming the variable', () => {
    expect(() => parseConfig({ ENCRYPTION_KEY: 'a'.repeat(63) })).toThrow(/ENCRYPTION_KEY: must be 64 hexadecimal characters/);
    expect(parseConfig({ ENCRYPTION_KEY: 'AB'.repeat(32) }).encryptionKey).toBe('ab'.repeat(32));
  });

  it('reads provider credentials, with the older names as aliases that never override the new ones', () => {
    const c = parseConfig({
      ATOM_GDRIVE_CLIENT_ID: 'old-google-id',
      ATOM_GDRIVE_CLIENT_SECRET: 'old-google-secret',
      DROPBOX_APP_KEY: 'old-dropbox-key',
      DROPBOX_APP_SECRET: 'old-dropbox-secret',
      DROPBOX_CLIENT_ID: 'new-dropbox-id',
      BOX_CLIENT_ID: 'box-id',
      BOX_CLIENT_SECRET: 'box-secret',
    });
    expect(c.providerCredentials.google).toEqual({ clientId: 'old-google-id', clientSecret: 'old-google-secret' });
    expect(c.providerCredentials.dropbox).toEqual({ clientId: 'new-dropbox-id', clientSecret: 'old-dropbox-secret' });
    expect(c.providerCredentials.box).toEqual({ clientId: 'box-id', clientSecret: 'box-secret' });
    expect(c.providerCredentials.trello).toEqual({});
  });

  it('parses previous keys and refuses SANDBOX in production', () => {
    expect(parseConfig({ ENCRYPTION_KEYS_PREVIOUS: `${'b'.repeat(64)}, ${'c'.repeat(64)}` }).encryptionKeysPrevious).toEqual([
      'b'.repeat(64),
      'c'.repeat(64),
    ]);
    expect(() => parseConfig({ ENCRYPTION_KEYS_PREVIOUS: 'short' })).toThrow(/ENCRYPTION_KEYS_PREVIOUS/);
    expect(() => parseConfig({ SANDBOX: '1', NODE_ENV: 'production', ENCRYPTION_KEY: 'a'.repeat(64) })).toThrow(
      /SANDBOX: sandbox mode is refused when NODE_ENV=production/,
    );
  });

  it('S39 abuse: unset NODE_ENV is not development (no stack traces); only NODE_ENV=development is', () => {
    expect(parseConfig({}).nodeEnv).toBeUndefined();
    expect(parseConfig({ NODE_ENV: '' }).nodeEnv).toBeUndefined();
    expect(parseConfig({ NODE_ENV: 'development' }).nodeEnv).toBe('development');
    expect(() => parseConfig({ NODE_ENV: 'dev' })).toThrow(/NODE_ENV/);
  });

  it('S38 abuse: TRUST_PROXY takes a hop count or proxy addresses, and refuses "trust everything"', () => {
    expect([undefined, '', '0', 'false'].map((v) => parseConfig({ TRUST_PROXY: v }).trustProxy)).toEqual([false, false, false, false]);
    // `1` is exactly one hop, no longer "trust every hop".
    expect(parseConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(parseConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(parseConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.7, fd00::/8,172.16.0.0/255.240.0.0,uniquelocal' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      '172.16.0.0/255.240.0.0',
      'uniquelocal',
    ]);
    expect(() => parseConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: 'true' \(trust every hop\) is refused: give the number of proxies/);
    for (const bad of ['yes', '10.0.0.0/33', '300.1.1.1', 'loopback,', '11', '-1', '1.5', 'fd00::/129', '10.0.0.1/255.0.0.0.1']) {
      expect(() => parseConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY: (must be a hop count|a hop count must be)/);
    }
  });

  it('strips a trailing slash from PUBLIC_URL and masks database passwords', () => {
    expect(parseConfig({ PUBLIC_URL: 'https://hub.example.com/' }).publicUrl).toBe('https://hub.example.com');
    expect(maskDatabaseUrl('postgres://hub:s3cret@db:5432/hub')).toBe('postgres://hub:****@db:5432/hub');
  });
});
