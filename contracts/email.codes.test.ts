import { describe, expect, it } from 'vitest';
import { EMAIL_MAX_LENGTH, isEmailAddress } from './email.codes.js';

describe('the email address rule', () => {
  it('accepts ordinary addresses', () => {
    for (const a of ['mario.rossi@example.it', 'a+tag@sub.example.co.uk', 'x_y-z@a-b.c1'])
      expect([a, isEmailAddress(a)]).toEqual([a, true]);
  });

  it('refuses what no mailbox has: spaces, missing parts, bad domain labels, control characters', () => {
    for (const a of [
      '',
      'mario',
      'mario@',
      '@example.it',
      'mario@example',
      'ma rio@example.it',
      'mario@exa_mple.it',
      'mario@-example.it',
      'mario@example-.it',
      'mario@@example.it',
      '"mario"@example.it',
      'mario\u0000@example.it',
      'mario\u001f@example.it',
    ])
      expect([a, isEmailAddress(a)]).toEqual([a, false]);
  });

  it('refuses an address longer than 254 characters', () => {
    const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.it`;
    const fits = `${'m'.repeat(EMAIL_MAX_LENGTH - domain.length - 1)}@${domain}`;
    expect(fits.length).toBe(EMAIL_MAX_LENGTH);
    expect(isEmailAddress(fits)).toBe(true);
    expect(isEmailAddress(`m${fits}`)).toBe(false);
  });
});
