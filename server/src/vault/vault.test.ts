import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Keyring, Vault, VaultError, generateKeyHex, type SecretPlace } from './index.js';
import { associatedData } from './vault.js';

const K1 = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const vault = new Vault(Keyring.fromHex(K1));
const place: SecretPlace = { ownerId: 'user-1', kind: 'connection', recordId: 'conn-42', field: 'accessToken' };

const placeArb: fc.Arbitrary<SecretPlace> = fc.record({
  ownerId: fc.string({ unit: 'binary' }),
  kind: fc.string(),
  recordId: fc.string({ unit: 'binary' }),
  field: fc.string(),
});

type Part = 'iv' | 'ciphertext' | 'tag';
const PART_INDEX: Record<Part, number> = { iv: 2, ciphertext: 3, tag: 4 };

/** Decodes one base64url part of a sealed value, lets `edit` change the bytes, re-encodes. */
function editPart(sealed: string, part: Part, edit: (bytes: Buffer) => Buffer): string {
  const parts = sealed.split('.');
  const i = PART_INDEX[part];
  parts[i] = edit(Buffer.from(parts[i] ?? '', 'base64url')).toString('base64url');
  return parts.join('.');
}

function flipByte(sealed: string, part: Part, index: number, mask: number): string {
  return editPart(sealed, part, (bytes) => {
    const copy = Buffer.from(bytes);
    copy[index % copy.length] = (copy[index % copy.length] ?? 0) ^ mask;
    return copy;
  });
}

/** Runs `fn`, expects a VaultError and returns it. */
function vaultError(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VaultError);
    return err as VaultError;
  }
  throw new Error('expected a VaultError, nothing was thrown');
}

describe('vault encryption (S23)', () => {
  it('S23 round trip of arbitrary strings (code points and graphemes) at arbitrary places', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()), placeArb, (text, at) => {
        expect(vault.decrypt(vault.encrypt(text, at), at)).toBe(text);
      }),
    );
  });

  it('S23 round trip of the empty string, unicode and a 100,000-character value', () => {
    const samples = ['', 'ya29.a0AfH6SMB-token', '🔑 žluťoučký kůň 鍵 🇨🇿 e\u0301', '\u0000', 'x'.repeat(100_000), '😀'.repeat(100_000)];
    for (const text of samples) {
      expect(vault.decrypt(vault.encrypt(text, place), place)).toBe(text);
    }
    expect('😀'.repeat(100_000)).toHaveLength(200_000); // the astral case really is 100,000 code points
  });

  it('S23 sealed values have the format v1.<keyId>.<iv>.<ciphertext>.<tag> with a 96-bit IV and a 128-bit tag', () => {
    const text = 'refresh-token-value';
    const sealed = vault.encrypt(text, place);
    const parts = sealed.split('.');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe('v1');
    expect(parts[1]).toBe(Keyring.fromHex(K1).currentKeyId);
    for (const p of parts.slice(2)) expect(p).toMatch(/^[A-Za-z0-9_-]*$/);
    expect(Buffer.from(parts[2] ?? '', 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[3] ?? '', 'base64url')).toHaveLength(Buffer.byteLength(text));
    expect(Buffer.from(parts[4] ?? '', 'base64url')).toHaveLength(16);
    expect(sealed).not.toContain(text);
  });

  it('S23 encrypting the same plaintext twice gives different ciphertexts', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const a = vault.encrypt(text, place);
        const b = vault.encrypt(text, place);
        expect(a).not.toBe(b);
        expect(a.split('.')[2]).not.toBe(b.split('.')[2]); // fresh IV each time
        expect(vault.decrypt(a, place)).toBe(text);
        expect(vault.decrypt(b, place)).toBe(text);
      }),
    );
    const ivs = new Set(Array.from({ length: 1000 }, () => vault.encrypt('same', place).split('.')[2]));
    expect(ivs.size).toBe(1000);
  });

  it('S23 flipping any single byte of IV, tag or ciphertext fails with DECRYPT_FAILED (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 1 }),
        fc.constantFrom<Part>('iv', 'ciphertext', 'tag'),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (text, part, index, mask) => {
          const tampered = flipByte(vault.encrypt(text, place), part, index, mask);
          expect(vaultError(() => vault.decrypt(tampered, place)).code).toBe('DECRYPT_FAILED');
        },
      ),
    );
  });

  it('S23 flipping each byte of IV, tag and ciphertext in turn fails with DECRYPT_FAILED (exhaustive)', () => {
    const sealed = vault.encrypt('a short secret', place);
    for (const part of ['iv', 'ciphertext', 'tag'] as const) {
      const length = Buffer.from(sealed.split('.')[PART_INDEX[part]] ?? '', 'base64url').length;
      expect(length).toBeGreaterThan(0);
      for (let i = 0; i < length; i++) {
        for (const mask of [0x01, 0x80, 0xff]) {
          const err = vaultError(() => vault.decrypt(flipByte(sealed, part, i, mask), place));
          expect(err.code).toBe('DECRYPT_FAILED');
        }
      }
    }
  });

  it('S23 a truncated or extended tag, or an IV of the wrong length, is rejected as MALFORMED before decrypting', () => {
    const sealed = vault.encrypt('secret', place);
    for (const len of [0, 4, 8, 12, 15]) {
      const short = editPart(sealed, 'tag', (tag) => tag.subarray(0, len));
      expect(vaultError(() => vault.decrypt(short, place)).code).toBe('MALFORMED');
    }
    const long = editPart(sealed, 'tag', (tag) => Buffer.concat([tag, Buffer.from([0])]));
    expect(vaultError(() => vault.decrypt(long, place)).code).toBe('MALFORMED');
    for (const len of [0, 8, 11, 13, 16]) {
      const badIv = editPart(sealed, 'iv', () => randomBytes(len));
      expect(vaultError(() => vault.decrypt(badIv, place)).code).toBe('MALFORMED');
    }
  });

  it('S23 a lone surrogate in the plaintext is refused instead of being silently changed', () => {
    expect(() => vault.encrypt('abc\uD800', place)).toThrow(TypeError);
    expect(() => vault.encrypt('\uDC00abc', place)).toThrow(TypeError);
  });
});

describe('binding to the row with AAD (S24)', () => {
  it('S24 changing any field of the place (owner, kind, record id, field) fails with DECRYPT_FAILED', () => {
    fc.assert(
      fc.property(
        fc.string(),
        placeArb,
        fc.constantFrom<keyof SecretPlace>('ownerId', 'kind', 'recordId', 'field'),
        fc.string({ unit: 'binary' }),
        (text, at, key, replacement) => {
          fc.pre(replacement !== at[key]);
          const sealed = vault.encrypt(text, at);
          const elsewhere = { ...at, [key]: replacement };
          expect(vaultError(() => vault.decrypt(sealed, elsewhere)).code).toBe('DECRYPT_FAILED');
        },
      ),
    );
  });

  it('S24 a ciphertext copied into another row, another owner or another field fails to decrypt', () => {
    const sealed = vault.encrypt('token-of-user-1', place);
    const others: SecretPlace[] = [
      { ...place, ownerId: 'user-2' },
      { ...place, kind: 'apiKey' },
      { ...place, recordId: 'conn-43' },
      { ...place, field: 'refreshToken' },
      { ownerId: place.recordId, kind: place.kind, recordId: place.ownerId, field: place.field }, // swapped values
    ];
    for (const other of others) {
      expect(vaultError(() => vault.decrypt(sealed, other)).code).toBe('DECRYPT_FAILED');
    }
  });

  it('S24 the AAD encoding is unambiguous: ("ab","c") differs from ("a","bc") and boundaries cannot shift', () => {
    const keyId = Keyring.fromHex(K1).currentKeyId;
    const p1 = { ownerId: 'ab', kind: 'c', recordId: 'r', field: 'f' };
    const p2 = { ownerId: 'a', kind: 'bc', recordId: 'r', field: 'f' };
    expect(associatedData('v1', keyId, p1).equals(associatedData('v1', keyId, p2))).toBe(false);
    const sealed = vault.encrypt('secret', p1);
    expect(vaultError(() => vault.decrypt(sealed, p2)).code).toBe('DECRYPT_FAILED');
    // Separator characters and lone surrogates inside a field do not collide either.
    const p3 = { ownerId: 'a","b', kind: '', recordId: 'r', field: 'f' };
    const p4 = { ownerId: 'a', kind: 'b', recordId: 'r', field: 'f' };
    expect(associatedData('v1', keyId, p3).equals(associatedData('v1', keyId, p4))).toBe(false);
    const p5 = { ...p4, field: '\uD800' };
    const p6 = { ...p4, field: '\uFFFD' };
    expect(associatedData('v1', keyId, p5).equals(associatedData('v1', keyId, p6))).toBe(false);
  });

  it('S24 distinct (version, key id, place) tuples give distinct AAD (property)', () => {
    const tuple = fc.tuple(fc.constantFrom('v1', 'v2'), fc.constantFrom('0011223344556677', '8899aabbccddeeff'), placeArb);
    fc.assert(
      fc.property(tuple, tuple, ([v1, k1, a], [v2, k2, b]) => {
        const same = v1 === v2 && k1 === k2 && JSON.stringify(a) === JSON.stringify(b);
        expect(associatedData(v1, k1, a).equals(associatedData(v2, k2, b))).toBe(same);
      }),
    );
  });

  it('S24 S25 the header is authenticated: a ciphertext whose AAD named another key id or version fails under the right key', () => {
    const ring = Keyring.fromHex(K1);
    const key = Buffer.from(K1, 'hex');
    // Seal by hand with the right key but AAD that names a different header.
    const forge = (aadVersion: string, aadKeyId: string): string => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      cipher.setAAD(associatedData(aadVersion, aadKeyId, place));
      const ct = Buffer.concat([cipher.update('secret', 'utf8'), cipher.final()]);
      return ['v1', ring.currentKeyId, iv, ct, cipher.getAuthTag()]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    };
    expect(vault.decrypt(forge('v1', ring.currentKeyId), place)).toBe('secret'); // the control passes
    expect(vaultError(() => vault.decrypt(forge('v1', '0123456789abcdef'), place)).code).toBe('DECRYPT_FAILED');
    expect(vaultError(() => vault.decrypt(forge('v0', ring.currentKeyId), place)).code).toBe('DECRYPT_FAILED');
  });

  it('S24 a place with a non-string field is refused rather than encoded as null', () => {
    const bad = { ...place, recordId: undefined } as unknown as SecretPlace;
    expect(() => vault.encrypt('secret', bad)).toThrow(TypeError);
  });
});

describe('error messages (S14, S23–S25)', () => {
  it('S14 S23 S25 error messages never contain the plaintext, the key hex or the sealed value', () => {
    const secret = 'ya29.SUPER-SECRET-ACCESS-TOKEN-do-not-log';
    const other = generateKeyHex();
    const rotated = new Vault(Keyring.fromHex(other, [K1]));
    const onlyOther = new Vault(Keyring.fromHex(other));
    const sealed = vault.encrypt(secret, place);
    const [, , iv, ct, tag] = sealed.split('.');

    const errors: VaultError[] = [
      vaultError(() => vault.decrypt(sealed, { ...place, field: 'other' })), // DECRYPT_FAILED
      vaultError(() => vault.decrypt(flipByte(sealed, 'ciphertext', 3, 1), place)), // DECRYPT_FAILED
      vaultError(() => onlyOther.decrypt(sealed, place)), // UNKNOWN_KEY
      vaultError(() => vault.decrypt(sealed.replace(/^v1/, 'v9'), place)), // MALFORMED
      vaultError(() => vault.decrypt(`${sealed}.extra`, place)), // MALFORMED
      vaultError(() => vault.decrypt(editPart(sealed, 'tag', (t) => t.subarray(0, 8)), place)), // MALFORMED
      vaultError(() => vault.keyIdOf(secret)), // MALFORMED: a plaintext passed by mistake
      vaultError(() => Keyring.fromHex(K1.slice(1))), // INVALID_KEY
      vaultError(() => Keyring.fromHex(other, [K1, `${K1}0`])), // INVALID_KEY
    ];
    expect(rotated.decrypt(sealed, place)).toBe(secret);
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['DECRYPT_FAILED', 'UNKNOWN_KEY', 'MALFORMED', 'INVALID_KEY']));
    const forbidden = [secret, K1, K1.toUpperCase(), K1.slice(1), other, sealed, iv, ct, tag].filter(
      (s): s is string => s !== undefined && s.length > 0,
    );
    for (const err of errors) {
      for (const s of forbidden) expect(err.message).not.toContain(s);
      expect(String(err.stack)).not.toContain(secret);
    }
  });

  it('S23 every decryption failure has the same message for a given key, whatever part was changed', () => {
    const sealed = vault.encrypt('secret', place);
    const messages = new Set([
      vaultError(() => vault.decrypt(flipByte(sealed, 'iv', 0, 1), place)).message,
      vaultError(() => vault.decrypt(flipByte(sealed, 'ciphertext', 0, 1), place)).message,
      vaultError(() => vault.decrypt(flipByte(sealed, 'tag', 0, 1), place)).message,
      vaultError(() => vault.decrypt(sealed, { ...place, ownerId: 'someone-else' })).message,
    ]);
    expect(messages.size).toBe(1);
  });
});
