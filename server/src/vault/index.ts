// The vault: every OAuth token and API key the hub stores is sealed here (S23–S25).
export { VaultError, type VaultErrorCode } from './errors.js';
export { Keyring, keyIdFor, generateKeyHex } from './keyring.js';
export { Vault, type SecretPlace } from './vault.js';
