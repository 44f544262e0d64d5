import { REPORT_LIMITS, REPORT_ROLES, type Report } from '#contracts/reports.codes.js';
import type {
  ClaimsByStateReport,
  DecisionTimesReport,
  PaymentsReport,
  ReportRange,
} from '#contracts/reports.js';
import type { StaffRole } from '../../lib/staff-session';

export type { ClaimsByStateReport, DecisionTimesReport, PaymentsReport, Report, ReportRange };

/** The reports page (administrators and auditors). */
export const REPORTS_ROUTE = '/backoffice/report';
export const REPORTS_PATH = '/api/v1/staff/reports';

/** Only administrators and auditors read the reports (the server checks it too). */
export const canReadReports = (role: StaffRole) => (REPORT_ROLES as readonly StaffRole[]).includes(role);

/** What the page asks for: a calendar year, or a first and a last month. */
export type ReportPeriod = { year: number } | { from: string; to: string };

export function periodQuery(period: ReportPeriod): string {
  const params = new URLSearchParams();
  if ('year' in period) params.set('year', String(period.year));
  else {
    params.set('from', period.from);
    params.set('to', period.to);
  }
  return params.toString();
}

export const reportPath = (report: Report, period: ReportPeriod) =>
  `${REPORTS_PATH}/${report}?${periodQuery(period)}`;

/** The CSV download, its labels and decimals in the page's language. */
export const reportCsvPath = (report: Report, period: ReportPeriod, language: string) =>
  `${REPORTS_PATH}/${report}.csv?${periodQuery(period)}&lang=${language.startsWith('en') ? 'en' : 'it'}`;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Months from `from` to `to`, both included. */
export function monthSpan(from: string, to: string): number {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  return index(to) - index(from) + 1;
}

/** The problem with a range of months, as a `fieldErrors` code and field, or null (the server checks the same). */
export function rangeProblem(
  from: string,
  to: string,
): { field: 'from' | 'to'; code: 'month_invalid' | 'range_reversed' | 'range_too_long' } | null {
  if (!MONTH.test(from)) return { field: 'from', code: 'month_invalid' };
  if (!MONTH.test(to)) return { field: 'to', code: 'month_invalid' };
  const months = monthSpan(from, to);
  if (months < 1) return { field: 'to', code: 'range_reversed' };
  if (months > REPORT_LIMITS.maxMonths) return { field: 'to', code: 'range_too_long' };
  return null;
}

/** `2026-03` → "mar 2026" (it) / "Mar 2026" (en). */
export function monthLabel(month: string, language: string): string {
  const date = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1));
  return new Intl.DateTimeFormat(language.startsWith('en') ? 'en-GB' : 'it-IT', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** A number with one decimal in the language's way: 4.5 → "4,5" (it) / "4.5" (en). */
export function oneDecimal(value: number, language: string): string {
  return new Intl.NumberFormat(language.startsWith('en') ? 'en-GB' : 'it-IT', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(value);
}
