import type { Db } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import type { CaptchaService } from '../captcha/captcha.service.js';
import type { MembersRepository } from '../members/members.repository.js';

/** Failures (per username or per address) after which the captcha and a growing delay apply. */
export const CAPTCHA_AFTER_FAILURES = 5;
/** Counters of failed logins are forgotten after a day without failures. */
export const THROTTLE_MEMORY_MS = 24 * 60 * 60_000;

/** Wait required before the next attempt after n failures: 0 up to 5, then 1 s, 2 s, 4 s … capped at 60 s. */
export function loginDelayMs(failures: number): number {
  if (failures < CAPTCHA_AFTER_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - CAPTCHA_AFTER_FAILURES), 60_000);
}

/**
 * Failed-login counters per username and per client address, in the database so every instance
 * sees them (decision 014). Members and staff use separate key spaces.
 */
export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly repository: MembersRepository,
    private readonly clock: Clock,
    private readonly captcha: CaptchaService,
  ) {}

  keys(space: 'member' | 'staff', username: string, ip: string | null): string[] {
    const prefix = space === 'member' ? '' : 's';
    return [`${prefix}u:${username}`, `${prefix}a:${ip ?? 'unknown'}`];
  }

  /** Throws RATE_LIMITED (with Retry-After) or CAPTCHA_REQUIRED when the counters say so. */
  async check(keys: string[], altcha: string | undefined): Promise<void> {
    const now = this.clock.now().getTime();
    const counters = await this.repository.throttles(this.db, keys);
    const worst = counters
      .filter((c) => now - new Date(c.last_failure_at).getTime() < THROTTLE_MEMORY_MS)
      .reduce((a, c) => (c.failures > a.failures ? c : a), { failures: 0, last_failure_at: '' });
    if (worst.failures < CAPTCHA_AFTER_FAILURES) return;
    const waitMs = new Date(worst.last_failure_at).getTime() + loginDelayMs(worst.failures) - now;
    if (waitMs > 0)
      throw new AppError('RATE_LIMITED', undefined, { retryAfterSeconds: Math.ceil(waitMs / 1000) });
    if ((await this.captcha.verify(altcha)) !== 'ok') throw new AppError('CAPTCHA_REQUIRED');
  }

  async fail(keys: string[]): Promise<void> {
    const now = this.clock.now();
    const resetBefore = new Date(now.getTime() - THROTTLE_MEMORY_MS).toISOString();
    for (const key of keys)
      await this.repository.addThrottleFailure(this.db, key, now.toISOString(), resetBefore);
  }

  async succeed(keys: string[]): Promise<void> {
    await this.repository.clearThrottles(this.db, keys);
  }
}
