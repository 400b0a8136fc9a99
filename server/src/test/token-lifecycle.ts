/**
 * Helpers for the token-lifecycle tests: connections seeded straight from the simulator's
 * `issueTokens` (no consent) and stored through ConnectionService, as a connect would store them.
 */
import { randomBytes } from 'node:crypto';
import { Connection } from '../modules/connections/connection.entity.js';
import { ConnectionService } from '../modules/connections/connection.service.js';
import { ConnectionTokens, type ConnectionSecrets } from '../modules/connections/connection-tokens.js';
import type { RunningSimulator, ProviderId, TokenResponse, ZohoDataCenter } from '../simulator/index.js';
import { hexId, numericId } from '../simulator/identity.js';
import { dropboxAccount } from '../simulator/providers/dropbox.js';
import type { TestHub } from './test-hub.js';

export const ZOHO_DC: ZohoDataCenter = 'eu';
export const ALL_PROVIDERS: ProviderId[] = ['google', 'asana', 'dropbox', 'box', 'trello', 'shopify', 'zoho'];
export const REFRESHABLE: ProviderId[] = ['google', 'asana', 'dropbox', 'box', 'shopify', 'zoho'];
/** What the service-token tests send; never logged. */
export const SERVICE_TOKEN = `svc-${randomBytes(24).toString('hex')}`;

/** A new shop domain: Shopify's account is the shop, so each seeded Shopify connection needs its own. */
export const uniqueShop = () => `shop-${randomBytes(5).toString('hex')}.myshopify.com`;

/** The account id the simulator's identity endpoint reports for `login` (Shopify: the shop). */
export function simulatorAccountId(provider: ProviderId, login: string, shop: string): string {
  switch (provider) {
    case 'google':
      return numericId('google', login, 21);
    case 'asana':
      return numericId('asana', login, 15);
    case 'dropbox':
      return dropboxAccount(login).account_id;
    case 'box':
      return numericId('box', login, 11);
    case 'trello':
      return hexId('trello', login, 24);
    case 'shopify':
      return shop;
    case 'zoho':
      return numericId('zoho', login, 9);
  }
}

export const uniqueLogin = (tag: string) => `${tag}-${randomBytes(5).toString('hex')}@example.com`;

export interface Seeded {
  id: string;
  login: string;
  /** Shopify: the shop domain (metadata.shop). */
  shop: string;
  issued: TokenResponse;
  secrets: ConnectionSecrets;
}

/**
 * A live grant at the simulator, stored as `userId`'s connection. `expiresAt` defaults to what the
 * simulator said; pass a past date to make the hub consider it expired (the simulator's token stays valid).
 */
export async function seedConnection(
  t: TestHub,
  sim: RunningSimulator,
  provider: ProviderId,
  options: { userId: string; login?: string; shop?: string; expiresAt?: Date | null; expiresInSeconds?: number },
): Promise<Seeded> {
  const login = options.login ?? uniqueLogin(provider);
  const shop = options.shop ?? uniqueShop();
  const issued = sim.sim.issueTokens(provider, {
    login,
    ...(provider === 'shopify' ? { shop } : {}),
    ...(provider === 'zoho' ? { dataCenter: ZOHO_DC } : {}),
    ...(provider === 'trello' ? { scopes: ['read'] } : {}),
    ...(options.expiresInSeconds !== undefined ? { expiresInSeconds: options.expiresInSeconds } : {}),
  });
  const secrets: ConnectionSecrets =
    provider === 'trello'
      ? { accessToken: String(issued.oauth_token), refreshToken: null, tokenSecret: String(issued.oauth_token_secret) }
      : { accessToken: issued.access_token, refreshToken: issued.refresh_token ?? null, tokenSecret: null };
  const metadata: Record<string, string> =
    provider === 'shopify'
      ? { shop }
      : provider === 'zoho'
        ? { accounts_server: `${sim.url}/zoho/${ZOHO_DC}`, api_domain: String(issued.api_domain) }
        : provider === 'dropbox'
          ? { account_id: dropboxAccount(login).account_id }
          : {};
  const expiresAt =
    options.expiresAt !== undefined ? options.expiresAt : typeof issued.expires_in === 'number' ? new Date(Date.now() + issued.expires_in * 1000) : null;
  const { connection } = await t.hub.services.db.orm.em.fork().transactional((tx) =>
    new ConnectionService(tx, t.hub.services.vault).upsert({
      userId: options.userId,
      provider,
      accountId: simulatorAccountId(provider, login, shop),
      email: login,
      label: login,
      scopes: provider === 'trello' ? ['read'] : ['scope-a'],
      tokenType: provider === 'trello' ? 'oauth1' : 'bearer',
      expiresAt,
      metadata,
      secrets: {
        accessToken: secrets.accessToken,
        ...(secrets.refreshToken ? { refreshToken: secrets.refreshToken } : {}),
        ...(secrets.tokenSecret ? { tokenSecret: secrets.tokenSecret } : {}),
      },
    }),
  );
  return { id: connection.id, login, shop, issued, secrets };
}

/** A stored connection and its decrypted tokens, read fresh from the database. */
export async function readConnection(t: TestHub, id: string): Promise<{ connection: Connection; secrets: ConnectionSecrets } | null> {
  const em = t.hub.services.db.orm.em.fork();
  const connection = await em.findOne(Connection, { id }, { populate: ['accessTokenEnc', 'refreshTokenEnc', 'tokenSecretEnc'] });
  if (!connection) return null;
  return { connection, secrets: await new ConnectionTokens(t.hub.services.vault).read(em, connection) };
}

/** Sets columns of a connection directly (expiry in the past, a status …). */
export async function setConnection(t: TestHub, id: string, sql: string, params: unknown[] = []): Promise<void> {
  await t.sql(`update connections set ${sql} where id = ?`, [...params, id]);
}

export const past = (seconds = 60) => new Date(Date.now() - seconds * 1000);

/** Audit events of a user, oldest first. */
export async function auditOf(t: TestHub, userId: string, action?: string) {
  return t.sql<{ action: string; actor_type: string; outcome: string; reason: string | null; provider: string | null; target_id: string | null }>(
    `select action, actor_type, outcome, reason, provider, target_id from audit_events
      where user_id = ? ${action ? 'and action = ?' : ''} order by created_at, id`,
    action ? [userId, action] : [userId],
  );
}
