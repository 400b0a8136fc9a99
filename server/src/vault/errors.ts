/**
 * Errors raised by the vault.
 *
 * Messages are written for operators and end up in logs, so they never contain
 * plaintext, key material or the sealed value (S14). At most they name a key id,
 * which is derived from the key by a one-way function (see keyIdFor).
 *
 * Callers branch on the structured fields, never on the message: `code` says what failed,
 * `slot` (INVALID_KEY only) which configured key it was.
 */
export type VaultErrorCode =
  /** The sealed value is not in the vault's format (truncated, re-encoded, wrong version …). */
  | 'MALFORMED'
  /** The value was sealed with a key that is not in the keyring (rotated out too early). */
  | 'UNKNOWN_KEY'
  /** Authentication failed: the value, its place or the key does not match (tampered or moved). */
  | 'DECRYPT_FAILED'
  /** A configured key is unusable: not 256 bits of hex, or two keys collide on one key id. */
  | 'INVALID_KEY';

/** Which configured key an INVALID_KEY error is about; absent when it is about no single key (a collision). */
export type VaultKeySlot = { kind: 'current' } | { kind: 'previous'; index: number };

export class VaultError extends Error {
  readonly code: VaultErrorCode;
  readonly slot: VaultKeySlot | undefined;

  constructor(code: VaultErrorCode, message: string, options: { slot?: VaultKeySlot } = {}) {
    super(message);
    this.name = 'VaultError';
    this.code = code;
    this.slot = options.slot;
  }
}
