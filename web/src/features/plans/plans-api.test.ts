import { describe, expect, it } from 'vitest';
import { formatEuro, formatHundredths, formatPercent, parseHundredths, parseWhole } from './plans-api';

describe('plan numbers', () => {
  it('reads euro and percentages as exact hundredths', () => {
    expect(parseHundredths('4.000,00', 'it')).toBe(400000);
    expect(parseHundredths('4000', 'it')).toBe(400000);
    expect(parseHundredths('40,1', 'it')).toBe(4010);
    expect(parseHundredths('0,29', 'it')).toBe(29);
    expect(parseHundredths('1.234.567,89 €', 'it')).toBe(123456789);
    expect(parseHundredths('12,5 %', 'it')).toBe(1250);
    expect(parseHundredths('4,000.50', 'en')).toBe(400050);
    for (const bad of ['', '4,000', '4.00,0', '1,234', '-1', '1e3', 'abc', '4.0000,00']) {
      expect(parseHundredths(bad, 'it')).toBeNull();
    }
  });

  it('writes them back', () => {
    expect(formatHundredths(400000, 'it')).toBe('4.000,00');
    expect(formatHundredths(29, 'it')).toBe('0,29');
    expect(formatHundredths(1250, 'it', true)).toBe('12,5');
    expect(formatEuro(5000, 'it')).toBe('50,00 €');
    expect(formatEuro(123456789, 'en')).toBe('€1,234,567.89');
    expect(formatPercent(2000, 'it')).toBe('20 %');
    expect(formatPercent(1255, 'en')).toBe('12.55%');
  });

  it('reads whole numbers in a range', () => {
    expect(parseWhole('30', 1, 3650)).toBe(30);
    expect(parseWhole('0', 1, 3650)).toBeNull();
    expect(parseWhole('2,5', 1, 10)).toBeNull();
  });
});
