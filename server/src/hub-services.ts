import type { Config } from './config/env.js';
import type { EncryptionKeys } from './vault/key-resolution.js';
import type { Database } from './db/orm.js';
import type { Logger } from './logging/logger.js';
import type { RefreshService } from './modules/token-lifecycle/refresh.service.js';
import type { AuthEvents } from './modules/users/auth.service.js';
import type { OAuthHttp } from './oauth/http.js';
import type { ProviderRegistry } from './providers/registry.js';
import type { Sandbox } from './sandbox/sandbox.js';
import type { Vault } from './vault/index.js';

/**
 * The hub-wide services, built once at start-up and shared by every request
 * (each request still gets its own forked EntityManager in the GraphQL context).
 */
export interface HubServices {
  config: Config;
  logger: Logger;
  db: Database;
  keys: EncryptionKeys;
  /** Seals and opens every stored secret (API keys, OAuth tokens) under the keyring from `keys`. */
  vault: Vault;
  /** Sign-in/out events, recorded by the audit log. */
  authEvents: AuthEvents;
  /** The provider catalog as this hub runs it (overrides, credentials, sandbox applied). */
  providers: ProviderRegistry;
  /** The transport of every request to a provider (timeout, no redirects). */
  oauthHttp: OAuthHttp;
  /** Token refresh: one provider request per needed refresh, in this process and across instances (S17). */
  tokenRefresh: RefreshService;
  /** SANDBOX=1: the provider simulator mounted at /sandbox. */
  sandbox?: Sandbox;
}
