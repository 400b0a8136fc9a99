import type { BadgeTone } from '../../components';
import type { IntegrationView } from './types';

export interface StatusBadge {
  label: string;
  tone: BadgeTone;
}

/**
 * The badges of an integration card, most important first: whether it can be used at all,
 * whether an account needs attention, and whether it talks to the simulator.
 */
export function integrationBadges(integration: IntegrationView): StatusBadge[] {
  const badges: StatusBadge[] = [];
  if (!integration.configured) {
    badges.push({ label: 'Not configured', tone: 'neutral' });
  } else if (integration.connections.some((c) => c.status === 'NEEDS_REAUTH')) {
    badges.push({ label: 'Needs reconnect', tone: 'warning' });
  } else if (integration.connected || integration.connections.length > 0) {
    badges.push({ label: 'Connected', tone: 'success' });
  } else {
    badges.push({ label: 'Not connected', tone: 'neutral' });
  }
  if (integration.sandbox) badges.push({ label: 'Sandbox', tone: 'info' });
  return badges;
}

/**
 * The environment variables a built-in provider reads its client credentials from
 * (server/src/providers/registry.ts: `<ID>_CLIENT_ID`, `<ID>_CLIENT_SECRET`). The connect
 * mutation's PROVIDER_NOT_CONFIGURED error names the missing ones; until it is called, this
 * is what the card can say.
 */
export function credentialVariables(provider: string): [string, string] {
  const prefix = provider.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return [`${prefix}_CLIENT_ID`, `${prefix}_CLIENT_SECRET`];
}
