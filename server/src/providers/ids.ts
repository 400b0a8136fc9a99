import { BUILT_IN_PROVIDERS } from './catalog.js';

/**
 * The built-in provider ids, read off the catalog — the one list of them. A leaf (it imports only
 * the catalog's data), so the configuration can name `<ID>_CLIENT_ID` variables from it without
 * importing the registry, which imports the configuration.
 */
export type BuiltInProviderId = (typeof BUILT_IN_PROVIDERS)[number]['id'];

export const BUILT_IN_PROVIDER_IDS: readonly BuiltInProviderId[] = BUILT_IN_PROVIDERS.map((p) => p.id);

/** The environment variables that configure a built-in provider: `GOOGLE_CLIENT_ID`, `GOOGLE_CLIENT_SECRET`. */
export function credentialVariablesOf(id: string): { clientId: string; clientSecret: string } {
  const prefix = id.toUpperCase();
  return { clientId: `${prefix}_CLIENT_ID`, clientSecret: `${prefix}_CLIENT_SECRET` };
}
