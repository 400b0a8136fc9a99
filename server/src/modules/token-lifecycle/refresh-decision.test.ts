import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_SECONDS, backoffDelayMs, shouldRefresh, type RefreshCandidate } from './refresh-decision.js';

const NOW = new Date('2026-11-24T12:00:00.000Z');
const MARGIN = 300;
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const base: RefreshCandidate = { status: 'ACTIVE', expiresAt: at(3600), refreshable: true, refreshFailures: 0, nextRefreshAt: null };
const decide = (patch: Partial<RefreshCandidate>) => shouldRefresh({ ...base, ...patch }, NOW, MARGIN);

describe('shouldRefresh', () => {
  it('fresh: valid for longer than the margin', () => {
    expect(decide({})).toEqual({ should: false, reason: 'fresh' });
    expect(decide({ expiresAt: at(MARGIN + 1) })).toEqual({ should: false, reason: 'fresh' });
  });

  it('expiring: valid, but for the margin or less', () => {
    expect(decide({ expiresAt: at(MARGIN) })).toEqual({ should: true, reason: 'expiring' });
    expect(decide({ expiresAt: at(1) })).toEqual({ should: true, reason: 'expiring' });
  });

  it('expired: at or past the expiry', () => {
    expect(decide({ expiresAt: at(0) })).toEqual({ should: true, reason: 'expired' });
    expect(decide({ expiresAt: at(-86_400) })).toEqual({ should: true, reason: 'expired' });
  });

  it('S18 needs_reauth: a connection the provider refused never refreshes, whatever its expiry', () => {
    expect(decide({ status: 'NEEDS_REAUTH', expiresAt: at(-10) })).toEqual({ should: false, reason: 'needs_reauth' });
    expect(decide({ status: 'NEEDS_REAUTH', expiresAt: null, refreshable: false })).toEqual({ should: false, reason: 'needs_reauth' });
  });

  it('not_refreshable: Trello, or a connection without a refresh token, never refreshes', () => {
    expect(decide({ refreshable: false, expiresAt: null })).toEqual({ should: false, reason: 'not_refreshable' });
    expect(decide({ refreshable: false, expiresAt: at(-10) })).toEqual({ should: false, reason: 'not_refreshable' });
  });

  it('no_expiry: a token without an expiry (Shopify non-expiring offline token) never refreshes', () => {
    expect(decide({ expiresAt: null })).toEqual({ should: false, reason: 'no_expiry' });
    expect(decide({ expiresAt: undefined })).toEqual({ should: false, reason: 'no_expiry' });
  });

  it('F01 backoff: after a failure, not before next_refresh_at', () => {
    expect(decide({ expiresAt: at(-10), refreshFailures: 2, nextRefreshAt: at(30) })).toEqual({ should: false, reason: 'backoff' });
    expect(decide({ expiresAt: at(10), refreshFailures: 1, nextRefreshAt: at(1) })).toEqual({ should: false, reason: 'backoff' });
    // Its time has come.
    expect(decide({ expiresAt: at(-10), refreshFailures: 2, nextRefreshAt: at(0) })).toEqual({ should: true, reason: 'expired' });
    expect(decide({ expiresAt: at(10), refreshFailures: 2, nextRefreshAt: at(-1) })).toEqual({ should: true, reason: 'expiring' });
  });

  it('a claim lease in next_refresh_at without a failure is not a backoff', () => {
    expect(decide({ expiresAt: at(-10), refreshFailures: 0, nextRefreshAt: at(300) })).toEqual({ should: true, reason: 'expired' });
  });

  it('a backoff never makes a fresh token refresh, nor hides that it is fresh', () => {
    expect(decide({ expiresAt: at(3600), refreshFailures: 3, nextRefreshAt: at(60) })).toEqual({ should: false, reason: 'fresh' });
  });

  it('a margin of 0 refreshes only what has expired', () => {
    expect(shouldRefresh({ ...base, expiresAt: at(1) }, NOW, 0)).toEqual({ should: false, reason: 'fresh' });
    expect(shouldRefresh({ ...base, expiresAt: at(0) }, NOW, 0)).toEqual({ should: true, reason: 'expired' });
  });

  it('refreshes exactly when ACTIVE, refreshable, expiring within the margin and not backing off', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'ACTIVE' | 'NEEDS_REAUTH'>('ACTIVE', 'NEEDS_REAUTH'),
        fc.option(fc.integer({ min: -100_000, max: 100_000 })),
        fc.boolean(),
        fc.integer({ min: 0, max: 10 }),
        fc.option(fc.integer({ min: -100_000, max: 100_000 })),
        (status, expiresIn, refreshable, refreshFailures, nextIn) => {
          const c: RefreshCandidate = {
            status,
            expiresAt: expiresIn === null ? null : at(expiresIn),
            refreshable,
            refreshFailures,
            nextRefreshAt: nextIn === null ? null : at(nextIn),
          };
          const expected =
            status === 'ACTIVE' && refreshable && expiresIn !== null && expiresIn <= MARGIN && !(refreshFailures > 0 && nextIn !== null && nextIn > 0);
          expect(shouldRefresh(c, NOW, MARGIN).should).toBe(expected);
        },
      ),
    );
  });
});

describe('backoffDelayMs', () => {
  it('F01 doubles from 30 s per failure up to one hour, with jitter in the upper half', () => {
    const schedule = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => [backoffDelayMs(n, 0), backoffDelayMs(n, 0.999999)]);
    expect(schedule.map(([low]) => low! / 1000)).toEqual([15, 30, 60, 120, 240, 480, 960, 1800, 1800]);
    expect(schedule.map(([, high]) => Math.round(high! / 1000))).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });

  it('never exceeds the cap and never goes below half the step, for any failure count and random value', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (failures, random) => {
        const d = backoffDelayMs(failures, random);
        expect(d).toBeGreaterThanOrEqual(15_000);
        expect(d).toBeLessThanOrEqual(BACKOFF_CAP_SECONDS * 1000);
      }),
    );
  });
});
