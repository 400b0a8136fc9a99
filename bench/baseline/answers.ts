import { readFileSync } from 'node:fs';
import type { CatalogEntry } from '../../server/src/modules/connections/catalog-entry.js';

/**
 * The hub's answers built by hand from rows, shared by the bare baseline (server.ts) and the stack
 * floor (stack-floor.ts). For Integrations, the catalog part (names, flags) is static
 * configuration, written by the benchmark from the hub's own provider registry (catalogOf).
 */

export function readCatalog(file: string): CatalogEntry[] {
  return JSON.parse(readFileSync(file, 'utf8')) as CatalogEntry[];
}

export interface ConnectionRow {
  id: string;
  provider: string;
  provider_account_id: string;
  account_email: string | null;
  account_label: string;
  status: string;
  scopes: string[];
  connected_at: Date;
  last_refreshed_at: Date | null;
  expires_at: Date | null;
  last_error: string | null;
}

export const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** The `integrations` list for one user's connection rows (ordered by provider, connected_at, id). */
export function integrationsAnswer(catalog: CatalogEntry[], rows: ConnectionRow[]) {
  const byProvider = new Map<string, ConnectionRow[]>();
  for (const r of rows) byProvider.set(r.provider, [...(byProvider.get(r.provider) ?? []), r]);
  return catalog.map((p) => {
    const connections = byProvider.get(p.provider) ?? [];
    return {
      provider: p.provider,
      displayName: p.displayName,
      description: p.description,
      authMode: p.authMode,
      configured: p.configured,
      sandbox: p.sandbox,
      requiresShop: p.requiresShop,
      connected: connections.length > 0,
      connections: connections.map((c) => ({
        id: c.id,
        provider: c.provider,
        accountId: c.provider_account_id,
        accountEmail: c.account_email,
        accountLabel: c.account_label,
        status: c.status,
        scopes: c.scopes,
        connectedAt: iso(c.connected_at),
        lastRefreshedAt: iso(c.last_refreshed_at),
        expiresAt: iso(c.expires_at),
        lastError: c.last_error,
        __typename: 'Connection',
      })),
      __typename: 'Integration',
    };
  });
}

/** The session token of a Cookie header (`hub_session`), if any. */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  for (const part of cookieHeader?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (part.slice(0, eq).trim() === 'hub_session') return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The columns a token answer needs. */
export interface TokenRow {
  id: string;
  user_id: string;
  provider: string;
  access_token_enc: string;
  token_type: string;
  expires_at: Date | null;
  scopes: string[];
  metadata: Record<string, string>;
}

export const TOKEN_COLUMNS = 'id, user_id, provider, access_token_enc, token_type, expires_at, scopes, metadata';

/** `POST /api/credentials/token`'s answer for a bearer token, key order as the hub's. */
export function tokenAnswer(c: TokenRow, accessToken: string) {
  return { connectionId: c.id, accessToken, tokenType: c.token_type, expiresAt: iso(c.expires_at), scopes: c.scopes, metadata: c.metadata };
}
