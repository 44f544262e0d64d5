import { describe, expect, it } from 'vitest';
import {
  formatEuro,
  formatHundredths,
  formatPercent,
  type PlanRules,
  parseAmount,
  parseHundredths,
  parseWhole,
  withoutRule,
  withRule,
} from './plans-api';

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

describe('amounts typed in the editor', () => {
  it('take the Italian format in any language, when it is the only reading', () => {
    expect(parseAmount('1.234,50', 'it')).toBe(123450);
    expect(parseAmount('1,234.50', 'en')).toBe(123450);
    expect(parseAmount('1.234,50', 'en')).toBe(123450);
    expect(parseAmount('12,5', 'en')).toBe(1250);
    expect(parseAmount('1,234.50', 'it')).toBeNull();
    expect(parseAmount('-3', 'en')).toBeNull();
  });
});

describe('adding and removing rules', () => {
  const rules: PlanRules = {
    year: 2027,
    annualCap: { cents: 100_000, scope: 'family' },
    categories: {
      lenti: {
        label: { it: 'Occhiali', en: 'Glasses' },
        channels: {
          network: {
            coinsuranceBasisPoints: 0,
            minimumPerInvoiceCents: 0,
            deductiblePerVisitCents: 0,
            prescriptionRequired: true,
            submissionDeadlineDays: 30,
          },
        },
      },
    },
  };

  it('a new category comes with its default label and the default rule; the plan given is not changed', () => {
    const next = withRule(rules, 'farmaci', 'out_of_network');
    expect(next.categories.farmaci).toEqual({
      label: { it: 'Farmaci', en: 'Medicines' },
      channels: {
        out_of_network: {
          coinsuranceBasisPoints: 2000,
          minimumPerInvoiceCents: 0,
          deductiblePerVisitCents: 0,
          prescriptionRequired: false,
          submissionDeadlineDays: 365,
        },
      },
    });
    expect(rules.categories.farmaci).toBeUndefined();
    const more = withRule(rules, 'lenti', 'out_of_network');
    expect(more.categories.lenti?.label.it).toBe('Occhiali');
    expect(Object.keys(more.categories.lenti?.channels ?? {})).toEqual(['network', 'out_of_network']);
  });

  it('removing the last rule of a category removes the category', () => {
    const two = withRule(rules, 'lenti', 'ssn_ticket');
    expect(Object.keys(withoutRule(two, 'lenti', 'network').categories.lenti?.channels ?? {})).toEqual([
      'ssn_ticket',
    ]);
    expect(withoutRule(rules, 'lenti', 'network').categories).toEqual({});
    expect(rules.categories.lenti?.channels.network).toBeDefined();
  });
});
