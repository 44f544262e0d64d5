import { CATEGORY_CODES, type CategoryCode } from '#contracts/plans.codes.js';
import type {
  CategoryAmount,
  DecisionGroup,
  DecisionTimesReport,
  PaymentsReport,
  ReportRange,
} from '#contracts/reports.js';
import { monthsOf, romeMonth } from './report-months.js';

/**
 * The reports' arithmetic, in TypeScript rather than SQL so that SQLite and PostgreSQL give the
 * same numbers (their percentile functions differ; SQLite has none): pure, no database.
 */

const DAY_MS = 86_400_000;

/** The median: the middle value, or the mean of the two middle ones; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** One decimal, half up: 2.25 → 2.3, 0.04 → 0. */
export function oneDecimal(value: number): number {
  return Math.round(value * 10 + 1e-9) / 10;
}

/** One decision: when the claim was sent and decided (ISO instants), and by whom. */
export interface Decision {
  submittedAt: string;
  decidedAt: string;
  automatic: boolean;
}

function group(durationsMs: number[]): DecisionGroup {
  const middle = median(durationsMs);
  return { count: durationsMs.length, medianDays: middle === null ? null : oneDecimal(middle / DAY_MS) };
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : oneDecimal((part * 100) / whole);
}

function figures(automatic: number[], staff: number[]) {
  return {
    automatic: group(automatic),
    staff: group(staff),
    automaticPercent: percent(automatic.length, automatic.length + staff.length),
  };
}

/**
 * Median days from submission to decision per month of the decision (Italian time), automatic
 * and staff decisions apart, and the share decided automatically; every month of the range.
 * A decision recorded before its submission (clocks apart) counts as taking no time.
 */
export function decisionTimes(range: ReportRange, decisions: readonly Decision[]): DecisionTimesReport {
  const byMonth = new Map(
    monthsOf(range).map((m) => [m, { automatic: [] as number[], staff: [] as number[] }]),
  );
  const all = { automatic: [] as number[], staff: [] as number[] };
  for (const d of decisions) {
    const bucket = byMonth.get(romeMonth(d.decidedAt));
    if (!bucket) continue;
    const duration = Math.max(0, Date.parse(d.decidedAt) - Date.parse(d.submittedAt));
    const kind = d.automatic ? 'automatic' : 'staff';
    bucket[kind].push(duration);
    all[kind].push(duration);
  }
  return {
    range,
    months: [...byMonth].map(([month, b]) => ({ month, ...figures(b.automatic, b.staff) })),
    total: figures(all.automatic, all.staff),
  };
}

/** Paid amounts by month (`YYYY-MM` of the value date) and category, as the database summed them. */
export interface PaidSum {
  month: string;
  category: CategoryCode;
  cents: number;
}

/**
 * Amounts paid per month and category: every month of the range, the categories that had a
 * payment (in the plans' order), zeros included, with the months' and the categories' totals.
 */
export function payments(range: ReportRange, sums: readonly PaidSum[]): PaymentsReport {
  const paid = sums.filter((s) => s.cents > 0);
  const categories = CATEGORY_CODES.filter((c) => paid.some((s) => s.category === c));
  const amounts = (list: readonly PaidSum[]): CategoryAmount[] =>
    categories.map((category) => ({
      category,
      cents: list.filter((s) => s.category === category).reduce((sum, s) => sum + s.cents, 0),
    }));
  const months = monthsOf(range).map((month) => {
    const byCategory = amounts(paid.filter((s) => s.month === month));
    return { month, byCategory, totalCents: byCategory.reduce((sum, a) => sum + a.cents, 0) };
  });
  const byCategory = amounts(paid.filter((s) => months.some((m) => m.month === s.month)));
  return {
    range,
    categories,
    months,
    totals: { byCategory, totalCents: byCategory.reduce((s, a) => s + a.cents, 0) },
  };
}
