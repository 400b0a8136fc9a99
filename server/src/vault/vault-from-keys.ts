import { ConfigError } from '../config/env.js';
import type { EncryptionKeys } from './key-resolution.js';
import { VaultError } from './errors.js';
import { Keyring } from './keyring.js';
import { Vault } from './vault.js';

/**
 * The hub's vault from its resolved keys. A key the keyring refuses becomes a ConfigError that
 * names the variable to fix (S26), read from the error's `slot`; the message names the slot, never the value.
 */
export function vaultFromKeys(keys: Pick<EncryptionKeys, 'currentHex' | 'previousHex'>): Vault {
  try {
    return new Vault(Keyring.fromHex(keys.currentHex, keys.previousHex));
  } catch (err) {
    if (!(err instanceof VaultError)) throw err;
    const variable = err.slot === undefined ? 'ENCRYPTION_KEY / ENCRYPTION_KEYS_PREVIOUS' : err.slot.kind === 'current' ? 'ENCRYPTION_KEY' : 'ENCRYPTION_KEYS_PREVIOUS';
    throw new ConfigError([`${variable}: ${err.message}`]);
  }
}
