import { describe, expect, it } from 'vitest';
import { decisionTimes, median, oneDecimal, payments } from './report-stats.js';

const DAY = 86_400_000;
const at = (iso: string, plusDays = 0) => new Date(Date.parse(iso) + plusDays * DAY).toISOString();

describe('report arithmetic', () => {
  it('take the median: the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeNull();
    expect(median([7])).toBe(7);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 10, 1, 1_000])).toBe(10);
    // The input is left as it was.
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('round to one decimal, half up', () => {
    expect(oneDecimal(2.25)).toBe(2.3);
    expect(oneDecimal(0.04)).toBe(0);
    expect(oneDecimal(1 / 3)).toBe(0.3);
    expect(oneDecimal(12)).toBe(12);
  });

  it('give median days per month of decision, automatic and staff apart, and the automatic share', () => {
    const report = decisionTimes({ from: '2026-01', to: '2026-03' }, [
      // January: staff after 2, 4 and 9 days; one automatic after 30 seconds.
      {
        submittedAt: '2026-01-01T09:00:00.000Z',
        decidedAt: at('2026-01-01T09:00:00.000Z', 2),
        automatic: false,
      },
      {
        submittedAt: '2026-01-02T09:00:00.000Z',
        decidedAt: at('2026-01-02T09:00:00.000Z', 4),
        automatic: false,
      },
      {
        submittedAt: '2026-01-05T09:00:00.000Z',
        decidedAt: at('2026-01-05T09:00:00.000Z', 9),
        automatic: false,
      },
      { submittedAt: '2026-01-10T09:00:00.000Z', decidedAt: '2026-01-10T09:00:30.000Z', automatic: true },
      // Decided at 23:30 UTC on 31 March = 1 April in Rome: outside the range.
      { submittedAt: '2026-03-20T09:00:00.000Z', decidedAt: '2026-03-31T22:30:00.000Z', automatic: false },
      // March: two automatic decisions, the second recorded a second before its submission.
      { submittedAt: '2026-03-02T10:00:00.000Z', decidedAt: '2026-03-02T10:00:00.000Z', automatic: true },
      { submittedAt: '2026-03-03T10:00:01.000Z', decidedAt: '2026-03-03T10:00:00.000Z', automatic: true },
    ]);
    expect(report.months).toEqual([
      {
        month: '2026-01',
        automatic: { count: 1, medianDays: 0 },
        staff: { count: 3, medianDays: 4 },
        automaticPercent: 25,
      },
      {
        month: '2026-02',
        automatic: { count: 0, medianDays: null },
        staff: { count: 0, medianDays: null },
        automaticPercent: null,
      },
      {
        month: '2026-03',
        automatic: { count: 2, medianDays: 0 },
        staff: { count: 0, medianDays: null },
        automaticPercent: 100,
      },
    ]);
    expect(report.total).toEqual({
      automatic: { count: 3, medianDays: 0 },
      staff: { count: 3, medianDays: 4 },
      automaticPercent: 50,
    });
  });

  it('sum payments per month and category, every month listed, only categories that had a payment', () => {
    const report = payments({ from: '2026-01', to: '2026-03' }, [
      { month: '2026-01', category: 'odontoiatria', cents: 10_000 },
      { month: '2026-01', category: 'visite_specialistiche', cents: 2_550 },
      { month: '2026-03', category: 'odontoiatria', cents: 5_001 },
      { month: '2026-03', category: 'lenti', cents: 0 },
    ]);
    expect(report.categories).toEqual(['visite_specialistiche', 'odontoiatria']);
    expect(report.months).toEqual([
      {
        month: '2026-01',
        byCategory: [
          { category: 'visite_specialistiche', cents: 2_550 },
          { category: 'odontoiatria', cents: 10_000 },
        ],
        totalCents: 12_550,
      },
      {
        month: '2026-02',
        byCategory: [
          { category: 'visite_specialistiche', cents: 0 },
          { category: 'odontoiatria', cents: 0 },
        ],
        totalCents: 0,
      },
      {
        month: '2026-03',
        byCategory: [
          { category: 'visite_specialistiche', cents: 0 },
          { category: 'odontoiatria', cents: 5_001 },
        ],
        totalCents: 5_001,
      },
    ]);
    expect(report.totals).toEqual({
      byCategory: [
        { category: 'visite_specialistiche', cents: 2_550 },
        { category: 'odontoiatria', cents: 15_001 },
      ],
      totalCents: 17_551,
    });
  });
});
