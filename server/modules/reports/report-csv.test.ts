import { describe, expect, it } from 'vitest';
import { claimsByStateCsv, csvFileName, decisionTimesCsv, euros, paymentsCsv } from './report-csv.js';

const range = { from: '2026-01', to: '2026-02' };

describe('report CSV files', () => {
  it('write claims by state with a byte-order mark, semicolons, quoted cells, CRLF and labels in the language asked', () => {
    const report = {
      range,
      states: [
        { state: 'submitted' as const, count: 3 },
        { state: 'needs_documents' as const, count: 1 },
      ],
      total: 4,
    };
    expect(claimsByStateCsv(report, 'it')).toBe(
      '\uFEFF"state";"label";"count"\r\n"submitted";"Inviata";"3"\r\n"needs_documents";"Sospesa – in attesa di integrazione";"1"\r\n',
    );
    expect(claimsByStateCsv(report, 'en').split('\r\n')[1]).toBe('"submitted";"Submitted";"3"');
  });

  it('write decision times with the decimal separator of the language and empty cells for no value', () => {
    const report = {
      range,
      months: [
        {
          month: '2026-01',
          automatic: { count: 1, medianDays: 0 },
          staff: { count: 3, medianDays: 4.5 },
          automaticPercent: 25,
        },
        {
          month: '2026-02',
          automatic: { count: 0, medianDays: null },
          staff: { count: 0, medianDays: null },
          automaticPercent: null,
        },
      ],
      total: {
        automatic: { count: 1, medianDays: 0 },
        staff: { count: 3, medianDays: 4.5 },
        automaticPercent: 25,
      },
    };
    const it = decisionTimesCsv(report, 'it').split('\r\n');
    expect(it[0]).toBe(
      '\uFEFF"month";"automatic_decisions";"automatic_median_days";"staff_decisions";"staff_median_days";"automatic_percent"',
    );
    expect(it[1]).toBe('"2026-01";"1";"0,0";"3";"4,5";"25,0"');
    expect(it[2]).toBe('"2026-02";"0";"";"0";"";""');
    expect(decisionTimesCsv(report, 'en').split('\r\n')[1]).toBe('"2026-01";"1";"0.0";"3";"4.5";"25.0"');
  });

  it('write payments one row per month and category, euros exact to the cent', () => {
    expect(euros(0, 'it')).toBe('0,00');
    expect(euros(5, 'it')).toBe('0,05');
    expect(euros(123_456_789, 'en')).toBe('1234567.89');
    const csv = paymentsCsv(
      {
        range,
        categories: ['odontoiatria'],
        months: [
          { month: '2026-01', byCategory: [{ category: 'odontoiatria', cents: 12_345 }], totalCents: 12_345 },
          { month: '2026-02', byCategory: [{ category: 'odontoiatria', cents: 0 }], totalCents: 0 },
        ],
        totals: { byCategory: [{ category: 'odontoiatria', cents: 12_345 }], totalCents: 12_345 },
      },
      'it',
    );
    expect(csv.split('\r\n')).toEqual([
      '\uFEFF"month";"category";"label";"paid_eur"',
      '"2026-01";"odontoiatria";"Odontoiatria";"123,45"',
      '"2026-02";"odontoiatria";"Odontoiatria";"0,00"',
      '',
    ]);
    expect(csvFileName('payments', range)).toBe('report-payments-2026-01_2026-02.csv');
  });
});
