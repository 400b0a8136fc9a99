import { readFileSync } from 'node:fs';

/**
 * The Integrations answer built by hand from rows, shared by the bare baseline (server.ts) and the
 * stack floor (stack-floor.ts): the catalog part (names, flags) is static configuration, written
 * by the benchmark from the hub's own provider registry.
 */
export interface CatalogEntry {
  provider: string;
  displayName: string;
  description: string;
  authMode: string;
  configured: boolean;
  sandbox: boolean;
  requiresShop: boolean;
}

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
