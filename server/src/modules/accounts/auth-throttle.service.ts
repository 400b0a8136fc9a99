import type { EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';

/**
 * Limits on sign-in failures within a fixed window per counter (S31, S36). The tight limit is per
 * client address AND email, so an attacker who locks an email out from their address does not
 * lock its owner out from theirs; a looser ceiling per email stops an attack spread over many
 * addresses, and one per address stops a single address from trying many emails.
 */
export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerIpAndEmail: 5,
  maxFailuresPerEmail: 50,
  maxFailuresPerIp: 50,
} as const;

/** Sign-up attempts per address are counted over this window; the limit is SIGNUP_MAX_PER_IP_PER_HOUR. */
export const SIGN_UP_WINDOW_MS = 60 * 60 * 1000;

/** Counter rows older than a day deleted per reservation (more than the 3 rows one can create). */
const SWEEP_BATCH = 10;

/** Requests without a known address (none in practice: express always has the socket's) share one. */
const UNKNOWN_IP = 'unknown';

/** One counter a request must fit under. */
interface Counter {
  key: string;
  limit: number;
  windowMs: number;
}

export type Reservation = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Counters in the database (table auth_throttle), so every hub instance on one database enforces
 * the same limits. An attempt is counted BEFORE the work it guards (the scrypt check, the new
 * account), under row locks taken in one order, so N parallel requests — in one process or in
 * several — get at most `limit` attempts through, never N (S36).
 */
export class AuthThrottleService {
  constructor(private readonly em: EntityManager) {}

  static emailKey(email: string) {
    return `email:${sha256(email)}`;
  }

  static ipKey(ip: string) {
    return `ip:${ip.slice(0, 64)}`;
  }

  /** The address and the email together; hashed, as the email alone is. */
  static ipEmailKey(ip: string, email: string) {
    return `ipemail:${sha256(`${ip}\n${email}`)}`;
  }

  static signUpKey(ip: string) {
    return `signup:${ip.slice(0, 64)}`;
  }

  /**
   * Counts one sign-in attempt against every counter of (email, ip), or none when any of them is
   * at its limit. A failed attempt leaves it counted; `signInSucceeded` gives it back.
   */
  reserveSignIn(email: string, ip: string | undefined): Promise<Reservation> {
    return this.reserve(signInCounters(email, ip));
  }

  /**
   * The password was right: the failures of this address for this email are forgiven, and the
   * attempt reserved on the wider counters is given back (it was not a failure). The per-email
   * ceiling is not reset: a success must not restart an attack spread over other addresses.
   */
  async signInSucceeded(email: string, ip: string | undefined): Promise<void> {
    const connection = this.em.getConnection();
    await connection.execute('delete from auth_throttle where key = ?', [AuthThrottleService.ipEmailKey(ip ?? UNKNOWN_IP, email)]);
    await connection.execute('update auth_throttle set failures = greatest(failures - 1, 0) where key in (?, ?)', [
      AuthThrottleService.emailKey(email),
      AuthThrottleService.ipKey(ip ?? UNKNOWN_IP),
    ]);
  }

  /** Counts one sign-up attempt (accepted or refused later) for the address, or refuses it. */
  reserveSignUp(ip: string | undefined, limitPerHour: number): Promise<Reservation> {
    return this.reserve([{ key: AuthThrottleService.signUpKey(ip ?? UNKNOWN_IP), limit: limitPerHour, windowMs: SIGN_UP_WINDOW_MS }]);
  }

  /**
   * All or nothing, in one short transaction: make sure each counter's row exists, lock the rows
   * in key order (so two requests never wait on each other in a cycle), and either refuse with the
   * longest wait or add one to each. A counter whose window has ended starts a new one at 1.
   */
  private async reserve(counters: Counter[]): Promise<Reservation> {
    const sorted = [...counters].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (!sorted.length) return { ok: true };
    const keys = sorted.map((c) => c.key);
    const marks = keys.map(() => '?').join(', ');
    return this.em.transactional(async (tx) => {
      await tx.execute(`insert into auth_throttle (key, failures, window_started_at) values ${keys.map(() => '(?, 0, now())').join(', ')} on conflict (key) do nothing`, keys);
      const rows = await tx.execute<Array<{ key: string; failures: number; age_ms: number | string }>>(
        `select key, failures, (extract(epoch from (now() - window_started_at)) * 1000)::float8 as age_ms
           from auth_throttle where key in (${marks}) order by key for update`,
        keys,
      );
      let wait = 0;
      const next: Array<{ key: string; restart: boolean }> = [];
      for (const counter of sorted) {
        const row = rows.find((r) => r.key === counter.key);
        const ageMs = Number(row?.age_ms ?? 0);
        const restart = ageMs >= counter.windowMs;
        const used = restart ? 0 : (row?.failures ?? 0);
        if (used >= counter.limit) wait = Math.max(wait, Math.max(1, Math.ceil((counter.windowMs - ageMs) / 1000)));
        next.push({ key: counter.key, restart });
      }
      if (wait > 0) return { ok: false, retryAfterSeconds: wait };
      // Each counted attempt (at most 3 new rows) sweeps up to 10 long-dead rows, so the table
      // stays bounded by the traffic of the last day. SKIP LOCKED: never wait on (or deadlock with) a
      // reservation that holds one of them.
      await tx.execute(
        `delete from auth_throttle where key in (
           select key from auth_throttle where window_started_at < now() - interval '1 day' limit ${SWEEP_BATCH} for update skip locked)`,
      );
      for (const { key, restart } of next) {
        // An upsert, not an update: a row another instance swept meanwhile starts again at 1.
        await tx.execute(
          `insert into auth_throttle (key, failures, window_started_at) values (?, 1, now()) on conflict (key) do update set ${
            restart ? 'failures = 1, window_started_at = now()' : 'failures = auth_throttle.failures + 1'
          }`,
          [key],
        );
      }
      return { ok: true };
    });
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function signInCounters(email: string, ip: string | undefined): Counter[] {
  const { windowMs } = THROTTLE;
  const address = ip ?? UNKNOWN_IP;
  return [
    { key: AuthThrottleService.emailKey(email), limit: THROTTLE.maxFailuresPerEmail, windowMs },
    { key: AuthThrottleService.ipEmailKey(address, email), limit: THROTTLE.maxFailuresPerIpAndEmail, windowMs },
    { key: AuthThrottleService.ipKey(address), limit: THROTTLE.maxFailuresPerIp, windowMs },
  ];
}
