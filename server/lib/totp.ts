/**
 * Authenticator codes (TOTP, RFC 6238) and recovery codes, for staff and members alike: one
 * implementation, one set of parameters (SHA-1, 6 digits, 30 s, ±1 step of clock drift).
 */
import { Secret, TOTP } from 'otpauth';
import { randomString, UNAMBIGUOUS } from './random.js';

export const TOTP_PERIOD_S = 30;

export function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({
    issuer: 'OneCare',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secretBase32),
  });
}

/**
 * The TOTP time step a code belongs to (±1 step of clock drift), or undefined. The caller refuses
 * a step not above the last one accepted, so a code (or an older one) is never accepted twice.
 */
export function totpStep(secret: string, label: string, code: string, at: Date): number | undefined {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const now = at.getTime();
  const delta = totpFor(secret, label).validate({ token, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / TOTP_PERIOD_S) + delta;
}

/** Whether a step may be accepted after `lastStep`: strictly later, so no replay. */
export function stepIsFresh(step: number, lastStep: number | null): boolean {
  return lastStep === null || step > lastStep;
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
/** Whether a normalized text has the shape of a recovery code. */
export const looksLikeRecoveryCode = (normalized: string) => /^[2-9A-HJKMNP-Z]{10}$/.test(normalized);
