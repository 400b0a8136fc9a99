import type { Config } from '../config/env.js';
import type { Database } from '../db/orm.js';
import type { Logger } from '../logging/logger.js';
import type { OAuthHttp } from '../oauth/http.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { EncryptionKeys } from '../vault/key-resolution.js';
import type { Vault } from '../vault/index.js';

/**
 * The hub-wide services a module may use, built once at start-up and shared by every request
 * (each request still gets its own forked EntityManager in the GraphQL context).
 * Only layers below the modules appear here: a module that needs another module's service
 * declares it on its own extension of this interface (e.g. `LifecycleServices`), and the
 * composition root (`HubServices`) is the union of them all, so no module imports the root.
 */
export interface ModuleServices {
  config: Config;
  logger: Logger;
  db: Database;
  keys: EncryptionKeys;
  /** Seals and opens every stored secret (API keys, OAuth tokens) under the keyring from `keys`. */
  vault: Vault;
  /** The provider catalog as this hub runs it (overrides, credentials, sandbox applied). */
  providers: ProviderRegistry;
  /** The transport of every request to a provider (timeout, no redirects). */
  oauthHttp: OAuthHttp;
  /** SANDBOX=1: the provider simulator mounted at /sandbox. */
  sandbox?: Sandbox;
}
