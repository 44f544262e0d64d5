import { describe, expect, it } from 'vitest';
import { wrapLabel } from './report-charts';
import {
  canReadReports,
  monthLabel,
  monthSpan,
  oneDecimal,
  periodQuery,
  rangeProblem,
  reportCsvPath,
  reportPath,
} from './reports-api';

describe('the reports page: addresses, ranges and numbers', () => {
  it('asks for a year or a range of months, the CSV in the language shown', () => {
    expect(periodQuery({ year: 2026 })).toBe('year=2026');
    expect(reportPath('payments', { from: '2025-11', to: '2026-02' })).toBe(
      '/api/v1/staff/reports/payments?from=2025-11&to=2026-02',
    );
    expect(reportCsvPath('decision-times', { year: 2026 }, 'en')).toBe(
      '/api/v1/staff/reports/decision-times.csv?year=2026&lang=en',
    );
    expect(reportCsvPath('claims-by-state', { year: 2026 }, 'it')).toMatch(/&lang=it$/);
  });

  it('checks a range of months as the server does', () => {
    expect(monthSpan('2025-11', '2026-02')).toBe(4);
    expect(rangeProblem('2026-01', '2026-12')).toBeNull();
    expect(rangeProblem('2026-1', '2026-12')).toEqual({ field: 'from', code: 'month_invalid' });
    expect(rangeProblem('2026-05', '2026-04')).toEqual({ field: 'to', code: 'range_reversed' });
    expect(rangeProblem('2023-01', '2026-01')).toEqual({ field: 'to', code: 'range_too_long' });
    expect(rangeProblem('2023-02', '2026-01')).toBeNull();
  });

  it('words months and decimals in the language shown; only administrators and auditors read reports', () => {
    expect(monthLabel('2026-03', 'it')).toBe('mar 2026');
    expect(monthLabel('2026-03', 'en')).toBe('Mar 2026');
    expect(oneDecimal(4.5, 'it')).toBe('4,5');
    expect(oneDecimal(0, 'en')).toBe('0.0');
    expect(canReadReports('administrator')).toBe(true);
    expect(canReadReports('auditor')).toBe(true);
    expect(canReadReports('claims_operator')).toBe(false);
    expect(canReadReports('booking_desk')).toBe(false);
  });

  it('puts a long chart label on short lines', () => {
    expect(wrapLabel('Sospesa – in attesa di integrazione')).toEqual([
      'Sospesa – in attesa di',
      'integrazione',
    ]);
    expect(wrapLabel('Sospesa – in attesa di integrazione', 12)).toEqual([
      'Sospesa – in',
      'attesa di',
      'integrazione',
    ]);
    expect(wrapLabel('Inviata')).toEqual(['Inviata']);
  });
});
