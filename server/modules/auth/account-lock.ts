import { CAPTCHA_AFTER_FAILURES } from './login-throttle.js';

const MINUTE = 60_000;
/** The first lock of an account lasts 15 minutes; each further one twice the last, up to a day. */
export const FIRST_LOCK_MS = 15 * MINUTE;
export const LONGEST_LOCK_MS = 24 * 60 * MINUTE;

/** How long the n-th lock (1, 2, …) of a run of consecutive failures lasts. */
export function lockDurationMs(lockNumber: number): number {
  return Math.min(FIRST_LOCK_MS * 2 ** Math.max(0, lockNumber - 1), LONGEST_LOCK_MS);
}

/**
 * When an account's current lock ends, or undefined when it is not locked now. A lock begins at
 * every `lockEvery`-th consecutive failure (decision 026); `lockedAt` is when the last one began.
 * Failures during a lock are not counted against the account, so the count says which lock it is.
 */
export function lockEnd(
  lockedAt: string | null,
  failures: number,
  lockEvery: number,
  now: Date,
): Date | undefined {
  if (!lockedAt) return undefined;
  const end = new Date(
    new Date(lockedAt).getTime() + lockDurationMs(Math.max(1, Math.floor(failures / lockEvery))),
  );
  return end > now ? end : undefined;
}

/**
 * Whether the account's owner is told about a consecutive failure: at the 5th (when the captcha
 * starts) and when a lock begins; so one email per burst, never one per failure.
 */
export function failureNotice(failures: number, lockEvery: number): 'failures' | 'lock' | undefined {
  if (failures > 0 && failures % lockEvery === 0) return 'lock';
  if (failures === CAPTCHA_AFTER_FAILURES) return 'failures';
  return undefined;
}
