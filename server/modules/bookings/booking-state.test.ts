import { describe, expect, it } from 'vitest';
import { BOOKING_STATES } from '#contracts/bookings.codes.js';
import { canMove, newAuthorisationCode, normalizeCode } from './bookings.service.js';

describe('the booking state machine', () => {
  it('lets each actor make only its moves', () => {
    expect(canMove('requested', 'confirmed', 'desk')).toBe(true);
    expect(canMove('requested', 'confirmed', 'member')).toBe(false);
    expect(canMove('proposed', 'confirmed', 'member')).toBe(true);
    expect(canMove('proposed', 'confirmed', 'desk')).toBe(false);
    expect(canMove('proposed', 'requested', 'system')).toBe(true);
    expect(canMove('confirmed', 'performed', 'desk')).toBe(true);
    expect(canMove('confirmed', 'performed', 'member')).toBe(false);
    expect(canMove('confirmed', 'cancelled', 'member')).toBe(true);
  });

  it('has no way out of cancelled, rejected and performed', () => {
    for (const from of ['cancelled', 'rejected', 'performed'] as const) {
      for (const to of BOOKING_STATES) {
        for (const actor of ['member', 'desk', 'system'] as const)
          expect(canMove(from, to, actor)).toBe(false);
      }
    }
  });
});

describe('authorisation codes', () => {
  it('are XXXX-XXXX without look-alike characters, and read back however typed', () => {
    for (let i = 0; i < 50; i++)
      expect(newAuthorisationCode()).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(normalizeCode(' abcd efgh ')).toBe('ABCD-EFGH');
    expect(normalizeCode('ABCD-EFG0')).toBeNull();
    expect(normalizeCode('ABCD')).toBeNull();
  });
});
