import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.js';

describe('secret box', () => {
  it('round-trips, never shows the plain text, and detects tampering or the wrong key', () => {
    const box = new SecretBox('a'.repeat(40), 'totp');
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(box.seal('x')).not.toBe(box.seal('x'));
    const parts = sealed.split('.');
    const tampered = [parts[0], parts[1], `${parts[2]?.slice(0, -2)}AA`, parts[3]].join('.');
    expect(() => box.open(tampered)).toThrow();
    expect(() => new SecretBox('b'.repeat(40), 'totp').open(sealed)).toThrow();
    expect(() => new SecretBox('a'.repeat(40), 'other').open(sealed)).toThrow();
  });
});
