import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  looksLikeRecoveryCode,
  newRecoveryCode,
  newTotpSecret,
  normalizeRecoveryCode,
  stepIsFresh,
  totpStep,
} from './totp.js';

const code = (secret: string, at: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp: at,
  });

describe('TOTP (shared by staff and members)', () => {
  const secret = newTotpSecret();
  const at = Date.parse('2026-06-10T08:00:10.000Z');
  const step = Math.floor(at / 30_000);

  it('accepts the code of now and of one step either side, and says which step it is', () => {
    expect(totpStep(secret, 'x', code(secret, at), new Date(at))).toBe(step);
    expect(totpStep(secret, 'x', code(secret, at - 30_000), new Date(at))).toBe(step - 1);
    expect(totpStep(secret, 'x', code(secret, at + 30_000), new Date(at))).toBe(step + 1);
    expect(totpStep(secret, 'x', code(secret, at - 90_000), new Date(at))).toBeUndefined();
    expect(totpStep(secret, 'x', '12345', new Date(at))).toBeUndefined();
  });

  it('refuses a step not later than the last one accepted (no replay, no older code)', () => {
    expect(stepIsFresh(step, null)).toBe(true);
    expect(stepIsFresh(step, step)).toBe(false);
    expect(stepIsFresh(step - 1, step)).toBe(false);
    expect(stepIsFresh(step + 1, step)).toBe(true);
  });

  it('recovery codes are XXXXX-XXXXX of unambiguous characters, typed any way', () => {
    const c = newRecoveryCode();
    expect(c).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);
    expect(looksLikeRecoveryCode(normalizeRecoveryCode(` ${c.toLowerCase()} `))).toBe(true);
    expect(looksLikeRecoveryCode(normalizeRecoveryCode('123456'))).toBe(false);
  });
});
