import 'reflect-metadata';
import dotenv from 'dotenv';
import { auditVaultRotation } from '../modules/audit/vault-rotation.js';
import { entities } from '../modules/entities.js';
import { runRotateCommand } from '../vault/rotate-keys.command.js';

/**
 * `npm run rotate-keys`: after restarting every hub with the new ENCRYPTION_KEY and the old one in
 * ENCRYPTION_KEYS_PREVIOUS, re-encrypt every stored secret under the new key. Then the old key
 * can be dropped from ENCRYPTION_KEYS_PREVIOUS. With the embedded database (no DATABASE_URL),
 * stop the hub first: PGlite allows one process at a time.
 * The command lives in vault/; this entry only wires it to the audit log and the entity list,
 * which the vault cannot import (the modules import the vault).
 */
dotenv.config({ quiet: true });

process.exitCode = await runRotateCommand(
  process.env,
  {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  },
  { audit: auditVaultRotation, entities },
);
