import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124000000Foundation } from './Migration20261124000000Foundation.js';
import { Migration20261124010000Vault } from './Migration20261124010000Vault.js';
import { Migration20261124020000Connections } from './Migration20261124020000Connections.js';
import { Migration20261204000000AbuseLimits } from './Migration20261204000000AbuseLimits.js';
import { Migration20261204010000RefreshTokenExpiry } from './Migration20261204010000RefreshTokenExpiry.js';

/** Every migration in order. Committed, applied at start-up, never edited once released. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261124000000Foundation', class: Migration20261124000000Foundation },
  { name: 'Migration20261124010000Vault', class: Migration20261124010000Vault },
  { name: 'Migration20261124020000Connections', class: Migration20261124020000Connections },
  { name: 'Migration20261204000000AbuseLimits', class: Migration20261204000000AbuseLimits },
  { name: 'Migration20261204010000RefreshTokenExpiry', class: Migration20261204010000RefreshTokenExpiry },
];
