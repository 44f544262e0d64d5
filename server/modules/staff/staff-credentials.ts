/** The second factors of staff users (authenticator codes, recovery codes) and their login lock. */
import { Secret, TOTP } from 'otpauth';
import { randomString, UNAMBIGUOUS } from '../../lib/random.js';
import { lockEnd } from '../auth/index.js';
import type { StaffUser } from './staff.table.js';

/** Every 20th consecutive failure locks the user for a while (decision 026); never for good. */
export const LOCK_AFTER_FAILURES = 20;
const TOTP_PERIOD_S = 30;

export function totpFor(secretBase32: string, username: string): TOTP {
  return new TOTP({
    issuer: 'OneCare',
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The TOTP time step a code belongs to (±1 step of clock drift), or undefined. */
export function totpStep(secret: string, username: string, code: string, at: Date): number | undefined {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const now = at.getTime();
  const delta = totpFor(secret, username).validate({ token, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / TOTP_PERIOD_S) + delta;
}

/** A new authenticator key (160 bits, base32), shown at enrolment. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** Recovery codes: 10 characters a person can copy, grouped XXXXX-XXXXX. */
export function newRecoveryCode(): string {
  const raw = randomString(10, UNAMBIGUOUS);
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}
export const normalizeRecoveryCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

/** The end of the user's current lock (failed logins), or undefined when not locked now. */
export function staffLockEnd(staff: StaffUser, now: Date): Date | undefined {
  return lockEnd(staff.locked_at, staff.failed_logins, LOCK_AFTER_FAILURES, now);
}
