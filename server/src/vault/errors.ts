/**
 * Errors raised by the vault.
 *
 * Messages are written for operators and end up in logs, so they never contain
 * plaintext, key material or the sealed value (S14). At most they name a key id,
 * which is derived from the key by a one-way function (see keyIdFor).
 */
export type VaultErrorCode = 'MALFORMED' | 'UNKNOWN_KEY' | 'DECRYPT_FAILED' | 'INVALID_KEY';

export class VaultError extends Error {
  readonly code: VaultErrorCode;

  constructor(code: VaultErrorCode, message: string) {
    super(message);
    this.name = 'VaultError';
    this.code = code;
  }
}
