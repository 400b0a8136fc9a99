import type { ResolvedProvider } from '../../providers/types.js';
import type { ConnectionState } from '../connections/connection-state.js';

/**
 * "Should we refresh?" as a pure function (STYLE 5): expected outcomes are values, and each one
 * is unit-tested case by case in refresh-decision.test.ts.
 */

export type RefreshReason =
  /** The provider refused the grant before: only a new connect helps. */
  | 'needs_reauth'
  /** The provider has no refresh (Trello), or the connection holds no refresh token. */
  | 'not_refreshable'
  /** The token has no expiry (Shopify non-expiring offline tokens, Trello `never`). */
  | 'no_expiry'
  /** Valid for longer than the margin. */
  | 'fresh'
  /** A transient failure set a retry time that has not come yet (F01). */
  | 'backoff'
  /** Still valid, but for less than the margin. */
  | 'expiring'
  | 'expired';

export interface RefreshDecision {
  should: boolean;
  reason: RefreshReason;
}

/** The parts of a connection (and its provider) the decision looks at. */
export interface RefreshCandidate {
  status: 'ACTIVE' | 'NEEDS_REAUTH';
  expiresAt: Date | null | undefined;
  /** The provider supports refresh AND the connection holds a refresh token. */
  refreshable: boolean;
  refreshFailures: number;
  nextRefreshAt: Date | null | undefined;
}

/**
 * Order matters: a dead grant is never retried (S18); what cannot be refreshed never is; a token
 * good for longer than the margin is left alone; only then does a pending backoff hold a refresh
 * back. `nextRefreshAt` counts as a backoff only after a failure: the background refresher also
 * uses the column as a claim lease, which must not stop an on-demand refresh.
 */
export function shouldRefresh(c: RefreshCandidate, now: Date, marginSeconds: number): RefreshDecision {
  if (c.status === 'NEEDS_REAUTH') return { should: false, reason: 'needs_reauth' };
  if (!c.refreshable) return { should: false, reason: 'not_refreshable' };
  if (c.expiresAt === null || c.expiresAt === undefined) return { should: false, reason: 'no_expiry' };
  const left = c.expiresAt.getTime() - now.getTime();
  if (left > marginSeconds * 1000) return { should: false, reason: 'fresh' };
  if (c.refreshFailures > 0 && c.nextRefreshAt && c.nextRefreshAt.getTime() > now.getTime()) return { should: false, reason: 'backoff' };
  return { should: true, reason: left > 0 ? 'expiring' : 'expired' };
}

export const BACKOFF_BASE_SECONDS = 30;
export const BACKOFF_CAP_SECONDS = 3600;

/**
 * Delay before retry number `failures` (1 = after the first failure): 30 s, 60 s, 120 s … capped
 * at one hour, then "equal jitter" — a random point in the upper half — so instances and
 * connections that failed together do not retry together. `random` is in [0, 1).
 */
export function backoffDelayMs(failures: number, random: number = Math.random()): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceiling = Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** exponent) * 1000;
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(Math.max(random, 0), 1));
}

/** Refresh is possible when the provider supports it and the connection holds a refresh token. */
export function candidateOf(
  c: Pick<ConnectionState, 'status' | 'expiresAt' | 'refreshFailures' | 'nextRefreshAt'>,
  provider: ResolvedProvider | undefined,
  hasRefreshToken: boolean,
): RefreshCandidate {
  return {
    status: c.status,
    expiresAt: c.expiresAt,
    refreshable: provider?.definition.refresh.supported === true && provider.definition.authMode === 'oauth2' && hasRefreshToken,
    refreshFailures: c.refreshFailures,
    nextRefreshAt: c.nextRefreshAt,
  };
}
