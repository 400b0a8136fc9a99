import type { ProviderId, RunningSimulator } from '../../server/src/simulator/index.js';
import type { ConnectionSeed } from './seed.js';

/**
 * Connections backed by REAL grants at the simulator (`sim.issueTokens`, one distinct login each,
 * no consent), shaped as a connect stores them: tokens, expiry, and the metadata each provider's
 * refresh needs (Shopify's shop, Zoho's accounts server, Dropbox's account id).
 */
export const REFRESHABLE: readonly ProviderId[] = ['google', 'asana', 'dropbox', 'box', 'shopify', 'zoho'];
const ZOHO_DC = 'eu';

export function grantConnection(
  sim: RunningSimulator,
  provider: ProviderId,
  userId: string,
  login: string,
  expiresAt: Date,
): ConnectionSeed {
  const shop = `${login.split('@')[0]!.replace(/[^a-z0-9-]/g, '-')}.myshopify.com`;
  const issued = sim.sim.issueTokens(provider, {
    login,
    ...(provider === 'shopify' ? { shop } : {}),
    ...(provider === 'zoho' ? { dataCenter: ZOHO_DC } : {}),
  });
  if (!issued.refresh_token) throw new Error(`${provider}: the simulator issued no refresh token`);
  const metadata: Record<string, string> =
    provider === 'shopify'
      ? { shop }
      : provider === 'zoho'
        ? { accounts_server: `${sim.url}/zoho/${ZOHO_DC}`, api_domain: String(issued.api_domain) }
        : provider === 'dropbox'
          ? { account_id: `dbid:${login}` }
          : {};
  return {
    userId,
    provider,
    accountId: provider === 'shopify' ? shop : login,
    email: login,
    label: login,
    scopes: ['scope-a'],
    tokenType: 'bearer',
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token,
    expiresAt,
    metadata,
  };
}
