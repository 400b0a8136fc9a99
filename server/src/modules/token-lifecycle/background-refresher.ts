import { claimDueConnections, releaseClaims } from '../connections/connection.repository.js';
import type { LifecycleServices } from './refresh.service.js';
import type { RefreshOutcome } from './refresh.service.js';

/** How long a claim keeps other instances off a row: longer than a whole batch can take. */
export const CLAIM_LEASE_SECONDS = 300;
/**
 * Refreshes at a time per instance. Each holds a pool connection (the row lock) while it waits
 * for the provider, so this stays well below the pool size (10) to leave room for requests.
 */
export const REFRESHER_CONCURRENCY = 4;

export interface RefresherPass {
  claimed: number;
  refreshed: number;
  skipped: number;
  failed: number;
}

interface Claim {
  id: string;
  until: Date;
}

/**
 * Renews tokens before they expire (F04). Every REFRESHER_INTERVAL_SECONDS it claims up to
 * REFRESHER_BATCH_SIZE ACTIVE, refreshable connections whose token expires within the margin
 * and whose next_refresh_at (backoff or an older claim) has passed — one UPDATE whose subquery
 * takes the rows `FOR UPDATE SKIP LOCKED` and writes a lease into next_refresh_at — then
 * refreshes each through the same single-flight, row-locked path as on-demand requests.
 * Two instances on one PostgreSQL database therefore claim disjoint rows, and even a row
 * refreshed meanwhile by a request is not refreshed twice (it is read again under the lock).
 * On PGlite there is one instance per data directory, and SKIP LOCKED never skips.
 */
export class BackgroundRefresher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly services: LifecycleServices,
    private readonly options: { intervalMs: number; batchSize: number; concurrency?: number } = {
      intervalMs: services.config.refresher.intervalSeconds * 1000,
      batchSize: services.config.refresher.batchSize,
    },
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops ticking and waits for the batch in progress (unstarted refreshes of it are released). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    // ±10 % so instances started together drift apart.
    const delay = Math.round(this.options.intervalMs * (0.9 + Math.random() * 0.2));
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .catch((err: unknown) => this.services.logger.warn({ err }, 'background refresh pass failed'))
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, delay);
    this.timer.unref();
  }

  /** One pass: claims and refreshes batches until a claim comes back short (or the refresher stops). */
  async runOnce(): Promise<RefresherPass> {
    const total: RefresherPass = { claimed: 0, refreshed: 0, skipped: 0, failed: 0 };
    while (!this.stopped) {
      const claims = await this.claim();
      total.claimed += claims.length;
      const pass = await this.process(claims);
      total.refreshed += pass.refreshed;
      total.skipped += pass.skipped;
      total.failed += pass.failed;
      if (claims.length < this.options.batchSize) break;
    }
    if (total.claimed > 0) this.services.logger.info(total, 'background refresh pass');
    return total;
  }

  /** Providers whose connections can be refreshed by this instance. */
  private refreshableProviders(): string[] {
    return this.services.providers
      .list()
      .filter((p) => p.definition.authMode === 'oauth2' && p.definition.refresh.supported && p.credentials !== undefined)
      .map((p) => p.definition.id);
  }

  private async claim(): Promise<Claim[]> {
    const providers = this.refreshableProviders();
    if (providers.length === 0) return [];
    const now = Date.now();
    const until = new Date(now + CLAIM_LEASE_SECONDS * 1000);
    const horizon = new Date(now + this.services.config.refreshMarginSeconds * 1000);
    const ids = await claimDueConnections(this.services.db.orm.em, {
      providers,
      until,
      horizon,
      now: new Date(now),
      limit: this.options.batchSize,
    });
    return ids.map((id) => ({ id, until }));
  }

  private async process(claims: Claim[]): Promise<Omit<RefresherPass, 'claimed'>> {
    const counts = { refreshed: 0, skipped: 0, failed: 0 };
    const queue = [...claims];
    const worker = async () => {
      while (!this.stopped) {
        const next = queue.shift();
        if (!next) return;
        let outcome: RefreshOutcome;
        try {
          outcome = await this.services.tokenRefresh.refresh(next.id, { trigger: 'background', claimedUntil: next.until });
        } catch (err) {
          // A bug or a database error: the lease expires and another pass tries again.
          this.services.logger.error({ err, connectionId: next.id }, 'background refresh failed unexpectedly');
          counts.failed++;
          continue;
        }
        if (outcome.kind === 'refreshed') counts.refreshed++;
        else if (outcome.kind === 'failed') counts.failed++;
        else counts.skipped++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? REFRESHER_CONCURRENCY, claims.length) }, worker));
    if (queue.length > 0) await this.release(queue);
    return counts;
  }

  /** Stopping mid-batch: the rows not started are given back (their backoff, if any, had passed). */
  private async release(claims: Claim[]): Promise<void> {
    const until = claims[0]!.until;
    await releaseClaims(
      this.services.db.orm.em,
      until,
      claims.map((c) => c.id),
    ).catch((err: unknown) => this.services.logger.warn({ err }, 'could not release claimed connections'));
  }
}
