import { createHmac, randomBytes } from 'node:crypto';
import { VaultError, type VaultKeySlot } from './errors.js';

const KEY_BYTES = 32; // AES-256
const KEY_HEX = /^[0-9a-fA-F]{64}$/;
const KEY_ID_LABEL = 'oauth-hub key id v1';

/**
 * A short, stable id for a key: the first 8 bytes of HMAC-SHA256(key, label), as hex.
 *
 * Using the key as the HMAC key makes the id a one-way function of it: the id can be
 * stored next to every ciphertext and printed in errors without revealing anything
 * useful about the key, yet the same key always maps to the same id, so a ring
 * rebuilt from configuration still finds the key an old row was sealed with.
 */
export function keyIdFor(key: Buffer): string {
  return createHmac('sha256', key).update(KEY_ID_LABEL, 'utf8').digest().subarray(0, 8).toString('hex');
}

/** A fresh random 256-bit key as 64 hex characters, for `KEY=...` in configuration. */
export function generateKeyHex(): string {
  return randomBytes(KEY_BYTES).toString('hex');
}

/**
 * Key material lives here rather than on the Keyring instance, so logging,
 * inspecting or JSON-serialising a Keyring (or a Vault holding one) cannot print keys.
 */
const material = new WeakMap<Keyring, ReadonlyMap<string, Buffer>>();

/**
 * The key with the given id, or undefined. Internal to the vault: deliberately not
 * re-exported from index.ts.
 */
export function keyById(ring: Keyring, keyId: string): Buffer | undefined {
  return material.get(ring)?.get(keyId);
}

function parseKeyHex(hex: unknown, slot: VaultKeySlot): Buffer {
  // Name the slot (current / previous[i]) but never echo the value, not even its length:
  // a half-pasted key is still mostly key.
  if (typeof hex !== 'string' || !KEY_HEX.test(hex)) {
    const label = slot.kind === 'current' ? 'current' : `previous[${slot.index}]`;
    throw new VaultError('INVALID_KEY', `Vault key ${label} is invalid: expected 64 hex characters (256 bits)`, { slot });
  }
  return Buffer.from(hex, 'hex');
}

/**
 * The set of keys the vault may use: one current key (used for every new encryption)
 * and any number of previous keys (used only to decrypt rows sealed before a rotation, S25).
 */
export class Keyring {
  readonly currentKeyId: string;
  readonly #ids: readonly string[];

  private constructor(current: Buffer, previous: readonly Buffer[]) {
    const keys = new Map<string, Buffer>();
    for (const key of [current, ...previous]) {
      const id = keyIdFor(key);
      const existing = keys.get(id);
      if (existing === undefined) keys.set(id, key);
      // Listing the same key twice is harmless; two different keys sharing a 64-bit id
      // would make decryption ambiguous, so refuse the ring rather than guess.
      else if (!existing.equals(key)) {
        throw new VaultError('INVALID_KEY', `Vault keys collide on key id ${id}`);
      }
    }
    this.currentKeyId = keyIdFor(current);
    this.#ids = [...keys.keys()]; // current first, then previous in the order given
    material.set(this, keys);
  }

  /**
   * Builds a ring from hex keys (64 hex chars = 256 bits each).
   * @throws VaultError('INVALID_KEY') with the offending `slot`, never its value.
   */
  static fromHex(currentHex: string, previousHex: readonly string[] = []): Keyring {
    const current = parseKeyHex(currentHex, { kind: 'current' });
    const previous = previousHex.map((hex, index) => parseKeyHex(hex, { kind: 'previous', index }));
    return new Keyring(current, previous);
  }

  has(keyId: string): boolean {
    return this.#ids.includes(keyId);
  }

  /** All key ids, current first. */
  keyIds(): string[] {
    return [...this.#ids];
  }
}
