/**
 * Display names of the built-in providers, keyed by the provider id the server uses
 * (server/src/providers/catalog.ts). Shared because several pages name providers (the
 * Integrations page itself prefers the server's `displayName`, which also covers custom ones).
 */
export const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  google: 'Google Drive',
  asana: 'Asana',
  dropbox: 'Dropbox',
  box: 'Box',
  trello: 'Trello',
  shopify: 'Shopify',
  zoho: 'Zoho CRM',
};

/** A provider's display name; unknown ids (custom providers, API-key services) are shown as is. */
export function providerName(id: string): string {
  return Object.hasOwn(PROVIDER_NAMES, id) ? (PROVIDER_NAMES[id] ?? id) : id;
}
