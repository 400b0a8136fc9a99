import type { EncryptionKeys } from '../config/encryption-key.js';
import { ConfigError } from '../config/env.js';
import { Keyring, Vault, VaultError } from '../vault/index.js';

/**
 * The hub's vault from its resolved keys. A key the keyring refuses becomes a ConfigError that
 * names the variable to fix (S26); the VaultError's message names the slot, never the value.
 */
export function vaultFromKeys(keys: Pick<EncryptionKeys, 'currentHex' | 'previousHex'>): Vault {
  try {
    return new Vault(Keyring.fromHex(keys.currentHex, keys.previousHex));
  } catch (err) {
    if (!(err instanceof VaultError)) throw err;
    const variable = /previous\[\d+\]/.test(err.message) ? 'ENCRYPTION_KEYS_PREVIOUS' : /current/.test(err.message) ? 'ENCRYPTION_KEY' : 'ENCRYPTION_KEY / ENCRYPTION_KEYS_PREVIOUS';
    throw new ConfigError([`${variable}: ${err.message}`]);
  }
}
