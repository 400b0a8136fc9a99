// The vault: every OAuth token and API key the hub stores is sealed here (S23–S25).
// Rotation (rotation.ts, rotate-keys.command.ts) and key resolution (key-resolution.ts,
// vault-from-keys.ts) open files and databases; they are imported by path, not from here.
export { VaultError, type VaultErrorCode, type VaultKeySlot } from './errors.js';
export { Keyring, keyIdFor, generateKeyHex } from './keyring.js';
export { Vault, type SecretPlace } from './vault.js';
export { API_KEY_COLUMN, CONNECTION_COLUMNS, ENCRYPTED_COLUMNS, PENDING_AUTHORIZATION_COLUMNS, placeOf, type EncryptedColumn } from './encrypted-columns.js';
