import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Keyring, Vault, VaultError, generateKeyHex, keyIdFor, type SecretPlace } from './index.js';

const K1 = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const K2 = 'f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff';
const K3 = generateKeyHex();
const place: SecretPlace = { ownerId: 'user-1', kind: 'apiKey', recordId: 'key-7', field: 'value' };

function vaultError(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VaultError);
    return err as VaultError;
  }
  throw new Error('expected a VaultError, nothing was thrown');
}

describe('key ids (S25)', () => {
  it('S25 keyIdFor is a short, stable id that differs between keys and does not contain key material', () => {
    const k1 = Buffer.from(K1, 'hex');
    const id = keyIdFor(k1);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdFor(Buffer.from(K1, 'hex'))).toBe(id);
    expect(keyIdFor(Buffer.from(K2, 'hex'))).not.toBe(id);
    expect(K1).not.toContain(id);
    expect(Keyring.fromHex(K1).currentKeyId).toBe(id);
    expect(Keyring.fromHex(K1.toUpperCase()).currentKeyId).toBe(id); // hex case does not matter
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (a, b) => {
        const same = Buffer.from(a).equals(Buffer.from(b));
        expect(keyIdFor(Buffer.from(a)) === keyIdFor(Buffer.from(b))).toBe(same);
      }),
    );
  });

  it('S25 generateKeyHex gives fresh 256-bit keys that a keyring accepts', () => {
    const keys = Array.from({ length: 50 }, generateKeyHex);
    for (const k of keys) expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(keys.length);
    const v = new Vault(Keyring.fromHex(keys[0] ?? ''));
    expect(v.decrypt(v.encrypt('x', place), place)).toBe('x');
  });

  it('S25 keyIds lists the current key first, then previous keys; has() answers for each', () => {
    const ring = Keyring.fromHex(K3, [K2, K1]);
    const ids = [K3, K2, K1].map((k) => keyIdFor(Buffer.from(k, 'hex')));
    expect(ring.currentKeyId).toBe(ids[0]);
    expect(ring.keyIds()).toEqual(ids);
    for (const id of ids) expect(ring.has(id)).toBe(true);
    expect(ring.has('0000000000000000')).toBe(false);
    ring.keyIds().pop(); // a copy: callers cannot change the ring
    expect(ring.keyIds()).toHaveLength(3);
    expect(Keyring.fromHex(K2, [K1, K2, K1]).keyIds()).toEqual([ids[1], ids[2]]); // repeats are harmless
  });

  it('S26 S14 inspecting or serialising a keyring or vault does not reveal key material', () => {
    const ring = Keyring.fromHex(K2, [K1]);
    const dumps = [inspect(ring, { showHidden: true, depth: 10 }), JSON.stringify(ring), inspect(new Vault(ring), { showHidden: true, depth: 10 })];
    for (const dump of dumps) {
      for (const k of [K1, K2]) {
        expect(dump).not.toContain(k);
        expect(dump.replace(/\s/g, '')).not.toContain(k.slice(0, 16)); // not as a Buffer dump either
      }
    }
  });
});

describe('rotation (S25)', () => {
  it('S25 after rotation old values decrypt, new writes use the new key, reencrypt moves values to it', () => {
    const before = new Vault(Keyring.fromHex(K1));
    const sealedK1 = before.encrypt('old-refresh-token', place);
    const k1Id = Keyring.fromHex(K1).currentKeyId;
    const k2Id = Keyring.fromHex(K2).currentKeyId;
    expect(before.keyIdOf(sealedK1)).toBe(k1Id);

    const after = new Vault(Keyring.fromHex(K2, [K1]));
    expect(after.decrypt(sealedK1, place)).toBe('old-refresh-token');
    expect(after.needsReencryption(sealedK1)).toBe(true);

    const fresh = after.encrypt('new-token', place);
    expect(after.keyIdOf(fresh)).toBe(k2Id);
    expect(after.needsReencryption(fresh)).toBe(false);

    const moved = after.reencrypt(sealedK1, place);
    expect(after.keyIdOf(moved)).toBe(k2Id);
    expect(after.needsReencryption(moved)).toBe(false);
    expect(after.decrypt(moved, place)).toBe('old-refresh-token');
    // Once moved, the old key can leave the ring.
    expect(new Vault(Keyring.fromHex(K2)).decrypt(moved, place)).toBe('old-refresh-token');
    // reencrypt still checks the place: it will not move a value into another row.
    expect(vaultError(() => after.reencrypt(sealedK1, { ...place, recordId: 'key-8' })).code).toBe('DECRYPT_FAILED');
  });

  it('S25 a ring with only the new key fails with UNKNOWN_KEY on a value sealed under the old key', () => {
    const sealedK1 = new Vault(Keyring.fromHex(K1)).encrypt('secret', place);
    const err = vaultError(() => new Vault(Keyring.fromHex(K2)).decrypt(sealedK1, place));
    expect(err.code).toBe('UNKNOWN_KEY');
    expect(err.message).toContain(Keyring.fromHex(K1).currentKeyId); // names the missing key by id only
  });

  it('S25 re-encrypting every row (the rotate command) leaves every value readable under the new key alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text: fc.string({ unit: 'binary' }), recordId: fc.uuid(), old: fc.constantFrom(K1, K2) }), { maxLength: 20 }),
        (rows) => {
          const stored = rows.map((r) => {
            const at = { ...place, recordId: r.recordId };
            return { at, text: r.text, sealed: new Vault(Keyring.fromHex(r.old)).encrypt(r.text, at) };
          });
          const rotating = new Vault(Keyring.fromHex(K3, [K2, K1]));
          const migrated = stored.map((s) => ({
            ...s,
            sealed: rotating.needsReencryption(s.sealed) ? rotating.reencrypt(s.sealed, s.at) : s.sealed,
          }));
          const onlyK3 = new Vault(Keyring.fromHex(K3));
          for (const m of migrated) {
            expect(onlyK3.needsReencryption(m.sealed)).toBe(false);
            expect(onlyK3.decrypt(m.sealed, m.at)).toBe(m.text);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * The same bytes spelled differently: a 16-byte tag is 22 base64url characters, and the last one
 * carries only 2 data bits, so setting its lowest (padding) bit leaves the decoded bytes unchanged.
 */
function nonCanonical(tag: string): string {
  const last = B64URL.indexOf(tag.slice(-1));
  return tag.slice(0, -1) + B64URL[last ^ 1];
}

describe('malformed input and invalid keys (S25, S26)', () => {
  const vault = new Vault(Keyring.fromHex(K2, [K1]));
  const good = vault.encrypt('secret', place);
  const [version, keyId, iv, ct, tag] = good.split('.') as [string, string, string, string, string];

  const malformed: Record<string, string> = {
    'empty string': '',
    'plaintext passed by mistake': 'ya29.some-token',
    'four parts': [version, keyId, iv, ct].join('.'),
    'six parts': [version, keyId, iv, ct, tag, tag].join('.'),
    'bad version': ['v2', keyId, iv, ct, tag].join('.'),
    'upper-case version': ['V1', keyId, iv, ct, tag].join('.'),
    'key id not 16 lower-case hex': [version, keyId.toUpperCase().replace(/[0-9]/g, 'A'), iv, ct, tag].join('.'),
    'short key id': [version, keyId.slice(1), iv, ct, tag].join('.'),
    'standard base64 characters': [version, keyId, `${iv.slice(0, -1)}+`, ct, tag].join('.'),
    'base64 padding': [version, keyId, iv, ct, `${tag}==`].join('.'),
    'invalid character': [version, keyId, iv, `${ct}!`, tag].join('.'),
    'impossible base64url length': [version, keyId, iv, 'AAAAA', tag].join('.'), // 5 chars cannot encode whole bytes
    'non-canonical base64url': [version, keyId, iv, ct, nonCanonical(tag)].join('.'),
    'short tag': [version, keyId, iv, ct, Buffer.alloc(12).toString('base64url')].join('.'),
    'empty tag': [version, keyId, iv, ct, ''].join('.'),
    'short iv': [version, keyId, Buffer.alloc(8).toString('base64url'), ct, tag].join('.'),
  };

  it.each(Object.entries(malformed))('S25 malformed sealed value (%s) is MALFORMED for decrypt, keyIdOf and needsReencryption', (_name, sealed) => {
    expect(vaultError(() => vault.decrypt(sealed, place)).code).toBe('MALFORMED');
    expect(vaultError(() => vault.keyIdOf(sealed)).code).toBe('MALFORMED');
    expect(vaultError(() => vault.needsReencryption(sealed)).code).toBe('MALFORMED');
    expect(vaultError(() => vault.reencrypt(sealed, place)).code).toBe('MALFORMED');
  });

  it('S25 a non-string sealed value is MALFORMED', () => {
    expect(vaultError(() => vault.decrypt(undefined as unknown as string, place)).code).toBe('MALFORMED');
  });

  it('S25 the well-formed control value still decrypts', () => {
    expect(vault.decrypt(good, place)).toBe('secret');
    // Sanity: the non-canonical spelling really decodes to the same tag bytes.
    expect(nonCanonical(tag)).not.toBe(tag);
    expect(Buffer.from(nonCanonical(tag), 'base64url').equals(Buffer.from(tag, 'base64url'))).toBe(true);
  });

  const invalidKeys: Record<string, string> = {
    '63 hex chars': K1.slice(0, 63),
    '65 hex chars': `${K1}a`,
    'non-hex character': `${K1.slice(0, 63)}g`,
    'empty': '',
    'trailing newline': `${K1}\n`,
    '0x prefix': `0x${K1.slice(2)}`,
    'base64 of 32 bytes': Buffer.from(K1, 'hex').toString('base64'),
  };

  it.each(Object.entries(invalidKeys))('S26 invalid current key (%s) is INVALID_KEY naming "current" without echoing it', (_name, hex) => {
    const err = vaultError(() => Keyring.fromHex(hex));
    expect(err.code).toBe('INVALID_KEY');
    expect(err.slot).toEqual({ kind: 'current' });
    expect(err.message).toContain('current');
    if (hex.trim().length > 0) expect(err.message).not.toContain(hex.trim());
    expect(err.message).not.toContain(K1.slice(2, 40));
  });

  it.each(Object.entries(invalidKeys))('S26 invalid previous key (%s) is INVALID_KEY naming previous[i] without echoing it', (_name, hex) => {
    const err = vaultError(() => Keyring.fromHex(K2, [K3, hex]));
    expect(err.code).toBe('INVALID_KEY');
    expect(err.slot).toEqual({ kind: 'previous', index: 1 });
    expect(err.message).toContain('previous[1]');
    for (const s of [hex.trim(), K2, K3].filter((s) => s.length > 0)) expect(err.message).not.toContain(s);
    expect(err.message).not.toContain(K1.slice(2, 40));
  });
});
