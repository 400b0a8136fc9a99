import type { Config } from './config/env.js';
import type { EncryptionKeys } from './config/encryption-key.js';
import type { Database } from './db/orm.js';
import type { Logger } from './logging/logger.js';
import type { AuthEvents } from './modules/users/auth.service.js';

/**
 * The hub-wide services, built once at start-up and shared by every request
 * (each request still gets its own forked EntityManager in the GraphQL context).
 */
export interface HubServices {
  config: Config;
  logger: Logger;
  db: Database;
  keys: EncryptionKeys;
  /** Sign-in/out events, recorded by the audit log. */
  authEvents: AuthEvents;
}
