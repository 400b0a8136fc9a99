import 'reflect-metadata';
import type { PGlite } from '@electric-sql/pglite';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicUrlMismatch, type Config } from './config/env.js';
import { resolveEncryptionKeys } from './vault/key-resolution.js';
import { openDatabase, type Database } from './db/orm.js';
import { buildHubSchema } from './graphql/schema.js';
import type { HubServices } from './hub-services.js';
import { createApp } from './http/app.js';
import type { Logger } from './logging/logger.js';
import { auditAuthEvents } from './modules/audit/auth-events.js';
import { entities } from './modules/entities.js';
import { AuditService } from './modules/audit/audit.service.js';
import { BackgroundRefresher } from './modules/token-lifecycle/background-refresher.js';
import { RefreshService } from './modules/token-lifecycle/refresh.service.js';
import { OAuthHttp } from './oauth/http.js';
import { BUILT_IN_PROVIDERS } from './providers/catalog.js';
import { loadProviderRegistry, providersWithoutPkce } from './providers/registry.js';
import type { ProviderDefinition } from './providers/types.js';
import type { SimulatedProvider } from './simulator/index.js';
import { vaultFromKeys } from './vault/vault-from-keys.js';

/** dist/server/hub.js → dist/client; server/src/hub.ts → dist/client as well. */
export const DEFAULT_CLIENT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/client');

export interface HubOptions {
  logger: Logger;
  /** Tests inject an in-memory PGlite. */
  pglite?: PGlite;
  clientDir?: string;
  /** Listen on config.port (default) or not at all (tests that only need the app). */
  listen?: boolean;
  /**
   * Providers added in memory (tests): catalog entries after the built-in ones and, for sandbox
   * mode, their simulator entries — a new plain OAuth 2 provider needs nothing else.
   */
  extraProviders?: { catalog: readonly ProviderDefinition[]; simulated?: readonly SimulatedProvider[] };
}

export interface ServerTimeouts {
  /** The whole request head must arrive within this (slowloris). */
  headersMs: number;
  /** The whole request, body included, must arrive within this. */
  requestMs: number;
  /** An idle keep-alive socket is closed after this. */
  keepAliveMs: number;
  /** How often node checks sockets against the two limits above (its default, 30 s, would let them run long). */
  checkIntervalMs: number;
}

/**
 * HTTP server limits (S39): a slow client cannot hold a socket forever. Headers within 20 s,
 * the whole request within 60 s (bodies are at most 64 KB), idle keep-alive 5 s (also keeps
 * shutdown short).
 */
export const SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 20_000, requestMs: 60_000, keepAliveMs: 5_000, checkIntervalMs: 1_000 };
/** Request header lines kept (node's default is 2,000; browsers send about 20). */
export const SERVER_MAX_HEADERS = 100;

export interface Hub {
  services: HubServices;
  server: Server;
  /** The background token refresher; absent with REFRESHER_ENABLED=0. */
  refresher?: BackgroundRefresher;
  /** http://host:port the hub actually listens on. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the hub: key, database (migrated), schema, HTTP. Every step that can fail does so
 * before the port is opened, with a message naming what to fix.
 */
export async function startHub(config: Config, options: HubOptions): Promise<Hub> {
  const { logger } = options;
  const keys = await resolveEncryptionKeys(config, logger);
  // A key the keyring refuses stops start-up here, before the database opens (ConfigError naming the variable).
  const vault = vaultFromKeys(keys);
  // A bad OAUTH_PROVIDERS_FILE (or catalog) stops start-up too, naming the entry and key.
  // The simulator is loaded only in sandbox mode: production never has it in memory.
  const extra = options.extraProviders;
  const sandbox = config.sandbox ? (await import('./sandbox/sandbox.js')).createSandbox(config, { providers: extra?.simulated ?? [] }) : undefined;
  const providers = await loadProviderRegistry(config, sandbox?.overrides, extra ? [...BUILT_IN_PROVIDERS, ...extra.catalog] : undefined);
  // Without PKCE a leaked authorization code can be injected through another user's callback
  // (docs/security.md, S05): say so for each provider that runs that way.
  for (const provider of providersWithoutPkce(providers)) {
    logger.warn({ provider }, `provider ${provider} runs without PKCE: an authorization code leaked from one user can be redeemed in another user's session`);
  }
  const db: Database = await openDatabase({
    entities,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
    logger,
    ...(options.pglite ? { pglite: options.pglite } : {}),
  });
  let services: HubServices;
  try {
    await db.migrate();
    const oauthHttp = new OAuthHttp();
    services = {
      config,
      logger,
      db,
      keys,
      vault,
      authEvents: auditAuthEvents(db, new AuditService()),
      providers,
      oauthHttp,
      tokenRefresh: new RefreshService({ config, logger, db, vault, providers, oauthHttp }),
      ...(sandbox ? { sandbox } : {}),
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  const schema = await buildHubSchema();
  const { app, apollo } = await createApp(services, schema, options.clientDir ?? DEFAULT_CLIENT_DIR);
  const { headersMs, requestMs, keepAliveMs, checkIntervalMs } = SERVER_TIMEOUTS;
  const server = createServer({ headersTimeout: headersMs, requestTimeout: requestMs, connectionsCheckingInterval: checkIntervalMs }, app);
  // Keep-alive sockets must not hold shutdown open for long.
  server.keepAliveTimeout = keepAliveMs;
  server.maxHeadersCount = SERVER_MAX_HEADERS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  logger.info({ url, publicUrl: config.publicUrl, database: db.kind }, 'hub listening');
  const mismatch = publicUrlMismatch(config, address.port);
  if (mismatch) logger.warn(mismatch);
  const refresher = config.refresher.enabled ? new BackgroundRefresher(services) : undefined;
  refresher?.start();

  let closing: Promise<void> | undefined;
  return {
    services,
    server,
    ...(refresher ? { refresher } : {}),
    url,
    close() {
      closing ??= (async () => {
        // No new background refreshes; the batch in progress is awaited before the database closes.
        const refresherStopped = refresher?.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 3_000).unref();
        });
        // Simulated slow answers end now instead of holding shutdown for their delay.
        sandbox?.sim.shutdown();
        await refresherStopped;
        await apollo.stop();
        await db.close();
        logger.info('hub stopped');
      })();
      return closing;
    },
  };
}
