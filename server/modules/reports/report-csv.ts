import { CLAIM_STATE_LABELS } from '#contracts/claims.codes.js';
import type { Locale } from '#contracts/errors.codes.js';
import { CATEGORY_LABELS } from '#contracts/plans.codes.js';
import type {
  ClaimsByStateReport,
  DecisionTimesReport,
  PaymentsReport,
  Report,
  ReportRange,
} from '#contracts/reports.js';
import { csvLine } from '../../lib/csv.js';

/**
 * The reports as CSV files, the way the audit export writes them (decision 042): UTF-8 with a
 * byte-order mark, semicolons, every cell quoted and guarded against formula injection
 * (`csvLine`), CRLF. Column names are stable codes; the label columns and the decimal separator
 * follow the language asked for (a comma in Italian, as a spreadsheet set to Italian reads it).
 * Amounts in euro with two decimals, days with one; an empty cell where there is no value.
 */

const BOM = '\uFEFF';

function decimal(value: number | null, digits: number, locale: Locale): string {
  if (value === null) return '';
  const text = value.toFixed(digits);
  return locale === 'it' ? text.replace('.', ',') : text;
}

/** Integer cents → `1234,56` (it) / `1234.56` (en), exactly, without floating point. */
export function euros(cents: number, locale: Locale): string {
  const text = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return locale === 'it' ? text.replace('.', ',') : text;
}

function file(header: string[], rows: unknown[][]): string {
  return BOM + csvLine(header) + rows.map((row) => csvLine(row)).join('');
}

export function claimsByStateCsv(report: ClaimsByStateReport, locale: Locale): string {
  return file(
    ['state', 'label', 'count'],
    report.states.map((s) => [s.state, CLAIM_STATE_LABELS[s.state][locale], s.count]),
  );
}

export function decisionTimesCsv(report: DecisionTimesReport, locale: Locale): string {
  return file(
    [
      'month',
      'automatic_decisions',
      'automatic_median_days',
      'staff_decisions',
      'staff_median_days',
      'automatic_percent',
    ],
    report.months.map((m) => [
      m.month,
      m.automatic.count,
      decimal(m.automatic.medianDays, 1, locale),
      m.staff.count,
      decimal(m.staff.medianDays, 1, locale),
      decimal(m.automaticPercent, 1, locale),
    ]),
  );
}

/** One row per month and category (the categories with a payment in the range), zeros included. */
export function paymentsCsv(report: PaymentsReport, locale: Locale): string {
  return file(
    ['month', 'category', 'label', 'paid_eur'],
    report.months.flatMap((m) =>
      m.byCategory.map((a) => [
        m.month,
        a.category,
        CATEGORY_LABELS[a.category][locale],
        euros(a.cents, locale),
      ]),
    ),
  );
}

/** `report-payments-2026-01_2026-12.csv`: the report and its range. */
export function csvFileName(report: Report, range: ReportRange): string {
  return `report-${report}-${range.from}_${range.to}.csv`;
}
