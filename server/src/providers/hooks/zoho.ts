import type { ProviderHook } from './hook.js';

/** `https://accounts.zoho.eu/` and `https://accounts.zoho.eu` are the same server. */
export function normalizeAccountsServer(value: string): string {
  return value.trim().replace(/\/+$/, '');
}

/**
 * Zoho: one accounts server per data centre. The callback's `accounts-server` decides where the
 * code (and the client secret) go, so it is checked against the allowlist before any request
 * (S11); token, identity, refresh and revocation all use it afterwards (`{accounts_server}`).
 * Without the parameter (an app not enabled for multiple data centres) the first allowlisted
 * server — where authorization started — is used.
 */
export const zohoHook: ProviderHook = {
  provides: ['accounts_server'],
  connectInput(_input, provider) {
    return { accounts_server: normalizeAccountsServer(provider.definition.accountsServers![0]!) };
  },
  checkCallback({ params, provider }) {
    const allowlist = (provider.definition.accountsServers ?? []).map(normalizeAccountsServer);
    const named = params.getAll('accounts-server');
    if (named.length > 1) return { ok: false, reason: 'untrusted_accounts_server' };
    const server = named.length === 1 ? normalizeAccountsServer(named[0]!) : allowlist[0];
    if (server === undefined || !allowlist.includes(server)) return { ok: false, reason: 'untrusted_accounts_server' };
    return { ok: true, vars: { accounts_server: server }, metadata: { accounts_server: server } };
  },
  storedVars(metadata, provider) {
    if (metadata.accounts_server === undefined) return {};
    const server = normalizeAccountsServer(metadata.accounts_server);
    const allowlist = (provider.definition.accountsServers ?? []).map(normalizeAccountsServer);
    return allowlist.includes(server) ? { accounts_server: server } : undefined;
  },
};
