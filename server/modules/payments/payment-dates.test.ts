import { describe, expect, it } from 'vitest';
import { easterSunday, isTargetDay, italianDate, nextTargetDay } from './payment-dates.js';

describe('payment days', () => {
  it('finds Easter Sunday', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
  });

  it('settles on weekdays but New Year, Good Friday, Easter Monday, 1 May, 25 and 26 December', () => {
    expect(isTargetDay('2026-12-04')).toBe(true);
    expect(isTargetDay('2026-12-05')).toBe(false);
    expect(isTargetDay('2026-04-03')).toBe(false);
    expect(isTargetDay('2026-04-06')).toBe(false);
    expect(isTargetDay('2026-05-01')).toBe(false);
    expect(isTargetDay('2026-06-02')).toBe(true);
  });

  it('asks a batch made today to be executed on the next settlement day', () => {
    expect(nextTargetDay('2026-12-03')).toBe('2026-12-04');
    expect(nextTargetDay('2026-12-04')).toBe('2026-12-07');
    expect(nextTargetDay('2026-12-24')).toBe('2026-12-28');
    expect(nextTargetDay('2026-04-02')).toBe('2026-04-07');
    expect(nextTargetDay('2026-12-31')).toBe('2027-01-04');
  });

  it('writes dates as dd/mm/yyyy', () => {
    expect(italianDate('2026-12-04')).toBe('04/12/2026');
  });
});
