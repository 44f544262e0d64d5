import type { Db } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import type { CaptchaService } from '../captcha/index.js';
import { MembersRepository } from '../members/index.js';

/** Failures (per username or per address) after which the captcha and a growing delay apply. */
export const CAPTCHA_AFTER_FAILURES = 5;
/** A counter loses one failure for every 15 minutes without failures (decision 026). */
export const THROTTLE_DRAIN_MS = 15 * 60_000;
/** The most a counter holds: a full one is empty again after 6 hours without failures. */
export const THROTTLE_MAX_FAILURES = 24;
/** After this long without failures every counter is empty again: what the purge may forget. */
export const THROTTLE_MEMORY_MS = THROTTLE_MAX_FAILURES * THROTTLE_DRAIN_MS;
/** Concurrent failures on one counter retry their compare-and-set this many times. */
const MAX_RETRIES = 20;

/** Wait required before the next attempt after n failures: 0 up to 5, then 1 s, 2 s, 4 s … capped at 60 s. */
export function loginDelayMs(failures: number): number {
  if (failures < CAPTCHA_AFTER_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - CAPTCHA_AFTER_FAILURES), 60_000);
}

/**
 * A counter's failures now: the stored count less one for every whole drain period since its
 * last failure (a leaky bucket; a failure within a period restarts the period).
 */
export function currentFailures(counter: { failures: number; last_failure_at: string }, now: number): number {
  const drained = Math.floor((now - new Date(counter.last_failure_at).getTime()) / THROTTLE_DRAIN_MS);
  return Math.max(0, counter.failures - Math.max(0, drained));
}

/** The two counters of an attempt: the account (username, known or not) and the client address. */
export interface ThrottleKeys {
  account: string;
  address: string;
}

/**
 * Failed-login counters per username and per client address, in the database so every instance
 * sees them (decisions 014 and 026). Members and staff use separate key spaces. A success clears
 * the account's counter only: the address counter fades with time, so logging into an account of
 * one's own between guesses at others does not buy more guesses.
 */
export class LoginThrottle {
  /** The counters live in the members' login_throttles table, with the card-number guesses. */
  private readonly repository = new MembersRepository();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly captcha: CaptchaService,
  ) {}

  keys(space: 'member' | 'staff', username: string, ip: string | null): ThrottleKeys {
    const prefix = space === 'member' ? '' : 's';
    return { account: `${prefix}u:${username}`, address: `${prefix}a:${ip ?? 'unknown'}` };
  }

  /** The current failures of the account's counter. */
  async accountFailures(keys: ThrottleKeys): Promise<number> {
    const [counter] = await this.repository.throttles(this.db, [keys.account]);
    return counter ? currentFailures(counter, this.clock.now().getTime()) : 0;
  }

  /** Throws RATE_LIMITED (with Retry-After) or CAPTCHA_REQUIRED when the counters say so. */
  async check(keys: ThrottleKeys, altcha: string | undefined): Promise<void> {
    const now = this.clock.now().getTime();
    const counters = await this.repository.throttles(this.db, [keys.account, keys.address]);
    const worst = counters
      .map((c) => ({ failures: currentFailures(c, now), last_failure_at: c.last_failure_at }))
      .reduce((a, c) => (c.failures > a.failures ? c : a), { failures: 0, last_failure_at: '' });
    if (worst.failures < CAPTCHA_AFTER_FAILURES) return;
    const waitMs = new Date(worst.last_failure_at).getTime() + loginDelayMs(worst.failures) - now;
    if (waitMs > 0)
      throw new AppError('RATE_LIMITED', undefined, { retryAfterSeconds: Math.ceil(waitMs / 1000) });
    if ((await this.captcha.verify(altcha)) !== 'ok') throw new AppError('CAPTCHA_REQUIRED');
  }

  /** Adds a failure to both counters. */
  async fail(keys: ThrottleKeys): Promise<void> {
    for (const key of [keys.account, keys.address]) await this.addFailure(key);
  }

  /**
   * Read, drain, add one, and write back only if nobody wrote in between (compare-and-set), so
   * concurrent failures are all counted on both databases without dialect-specific time arithmetic.
   */
  private async addFailure(key: string): Promise<void> {
    for (let i = 0; i < MAX_RETRIES; i++) {
      const now = this.clock.now();
      const [counter] = await this.repository.throttles(this.db, [key]);
      if (!counter) {
        if (await this.repository.insertThrottle(this.db, key, now.toISOString())) return;
        continue;
      }
      const failures = Math.min(currentFailures(counter, now.getTime()) + 1, THROTTLE_MAX_FAILURES);
      if (
        await this.repository.replaceThrottle(this.db, counter, {
          key,
          failures,
          last_failure_at: now.toISOString(),
        })
      )
        return;
    }
  }

  /** A success clears the account's counter, never the address's. */
  async succeed(keys: ThrottleKeys): Promise<void> {
    await this.repository.clearThrottles(this.db, [keys.account]);
  }
}
