import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.js';
import {
  monthCount,
  monthStart,
  monthsOf,
  nextMonth,
  rangeBounds,
  resolveRange,
  romeMonth,
} from './report-months.js';

function refusal(run: () => unknown) {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, details: err.details };
    throw err;
  }
  throw new Error('not refused');
}

describe('report months (Italian time)', () => {
  it('bucket an instant in its month in Rome, winter and summer time', () => {
    expect(romeMonth('2026-01-31T22:59:59.999Z')).toBe('2026-01');
    expect(romeMonth('2026-01-31T23:00:00.000Z')).toBe('2026-02');
    expect(romeMonth('2026-06-30T21:59:59.000Z')).toBe('2026-06');
    expect(romeMonth('2026-06-30T22:00:00.000Z')).toBe('2026-07');
    expect(romeMonth('2026-12-31T23:30:00.000Z')).toBe('2027-01');
  });

  it("start a month at Rome's midnight of its first day", () => {
    expect(monthStart('2026-01')).toBe('2025-12-31T23:00:00.000Z');
    expect(monthStart('2026-04')).toBe('2026-03-31T22:00:00.000Z');
    expect(monthStart('2026-11')).toBe('2026-10-31T23:00:00.000Z');
    // Every month's start is the first instant romeMonth puts in that month.
    for (const month of monthsOf({ from: '2026-01', to: '2027-12' })) {
      const start = Date.parse(monthStart(month));
      expect(romeMonth(new Date(start).toISOString())).toBe(month);
      expect(romeMonth(new Date(start - 1).toISOString())).not.toBe(month);
    }
  });

  it('count and list the months of a range, across years', () => {
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2026-09')).toBe('2026-10');
    expect(monthCount('2026-11', '2027-02')).toBe(4);
    expect(monthsOf({ from: '2026-11', to: '2027-02' })).toEqual([
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
    ]);
    expect(monthsOf({ from: '2026-05', to: '2026-05' })).toEqual(['2026-05']);
    expect(rangeBounds({ from: '2026-01', to: '2026-12' })).toEqual({
      start: '2025-12-31T23:00:00.000Z',
      end: '2026-12-31T23:00:00.000Z',
      firstDay: '2026-01-01',
      endDay: '2027-01-01',
    });
  });

  it('resolve a year, months, or the current year; refuse what is unclear or too long', () => {
    expect(resolveRange({}, '2026-12-04')).toEqual({ from: '2026-01', to: '2026-12' });
    expect(resolveRange({ year: 2025 }, '2026-12-04')).toEqual({ from: '2025-01', to: '2025-12' });
    expect(resolveRange({ from: '2025-10', to: '2026-03' }, '2026-12-04')).toEqual({
      from: '2025-10',
      to: '2026-03',
    });
    expect(resolveRange({ from: '2024-01', to: '2026-12' }, '2026-12-04').from).toBe('2024-01');
    expect(refusal(() => resolveRange({ from: '2024-01', to: '2027-01' }, '2026-12-04'))).toEqual({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'to', code: 'range_too_long', params: { max: 36 } }],
    });
    expect(refusal(() => resolveRange({ from: '2026-03', to: '2026-02' }, '2026-12-04')).details).toEqual([
      { field: 'to', code: 'range_reversed' },
    ]);
    expect(refusal(() => resolveRange({ from: '2026-03' }, '2026-12-04')).details).toEqual([
      { field: 'to', code: 'required' },
    ]);
    expect(refusal(() => resolveRange({ year: 2026, to: '2026-03' }, '2026-12-04')).details).toEqual([
      { field: 'year', code: 'range_conflict' },
    ]);
  });
});
