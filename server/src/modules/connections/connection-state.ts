import type { ResolvedProvider, TemplateVars } from '../../providers/types.js';
import { hookOf } from '../../providers/hooks/index.js';
import type { Connection, ConnectionStatus } from './connection.entity.js';

/**
 * A plain copy of the non-secret columns of a connection, taken under the row lock. It is
 * what a refresh hands to every caller waiting on it (they share one result), so it must not be
 * a managed entity of somebody else's EntityManager.
 */
export interface ConnectionState {
  id: string;
  userId: string;
  provider: string;
  providerAccountId: string;
  status: ConnectionStatus;
  tokenType: string;
  expiresAt: Date | null;
  scopes: string[];
  metadata: Record<string, string>;
  lastError: string | null;
  refreshFailures: number;
  nextRefreshAt: Date | null;
}

export function stateOf(c: Connection): ConnectionState {
  return {
    id: c.id,
    userId: c.user.id,
    provider: c.provider,
    providerAccountId: c.providerAccountId,
    status: c.status,
    tokenType: c.tokenType,
    expiresAt: c.expiresAt ?? null,
    scopes: [...c.scopes],
    metadata: { ...c.metadata },
    lastError: c.lastError ?? null,
    refreshFailures: c.refreshFailures,
    nextRefreshAt: c.nextRefreshAt ?? null,
  };
}

/**
 * The template variables a stored connection gives its provider's URLs ({shop}, {accounts_server}),
 * checked again before a token leaves the hub (S19): the shop must still be a valid
 * `*.myshopify.com` domain and the accounts server must still be on the provider's allowlist.
 * Undefined when the stored metadata fails those checks or lacks a variable a URL needs.
 */
export function connectionVars(provider: ResolvedProvider, metadata: Record<string, string>, templates: readonly string[]): TemplateVars | undefined {
  // Each hook re-checks what it wrote (Shopify: a *.myshopify.com shop; Zoho: an allowlisted accounts server).
  const hook = hookOf(provider.definition);
  const vars: TemplateVars | undefined = hook?.storedVars ? hook.storedVars(metadata, provider) : {};
  if (!vars) return undefined;
  for (const template of templates) {
    for (const [, name] of template.matchAll(/\{([a-z_]+)\}/g)) {
      if (name !== 'token' && vars[name as keyof TemplateVars] === undefined) return undefined;
    }
  }
  return vars;
}
