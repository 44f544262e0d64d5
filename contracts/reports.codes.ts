/**
 * The back office's reports (PRODUCT.md §4, decision 042): lists and limits, no dependency but
 * other codes files, so the web app imports them as they are (contracts/reports.ts builds the
 * schemas from them).
 */
import type { ClaimState } from './claims.codes.js';
import type { StaffRole } from './staff.codes.js';

/** Who reads the reports: administrators and auditors (claims operators and the booking desk do not). */
export const REPORT_ROLES = ['administrator', 'auditor'] as const satisfies readonly StaffRole[];

/** The reports, as they appear in their paths (`/api/v1/staff/reports/<report>` and `<report>.csv`). */
export const REPORTS = ['claims-by-state', 'decision-times', 'payments'] as const;
export type Report = (typeof REPORTS)[number];

/** A claim is decided by its first move into one of these (from `in_review`). */
export const DECISION_STATES = [
  'approved',
  'partially_approved',
  'rejected',
] as const satisfies readonly ClaimState[];

/** `YYYY-MM`: the unit of every report. */
export const MONTH_PATTERN = '^\\d{4}-(?:0[1-9]|1[0-2])$';

export const REPORT_LIMITS = {
  /** The longest range one report covers, in months. */
  maxMonths: 36,
  year: { min: 2000, max: 2100 },
} as const;

/**
 * Why a report's range is refused (`details[].code` of VALIDATION_FAILED): `to` before `from`
 * (`range_reversed`), more than REPORT_LIMITS.maxMonths months (`range_too_long`, params `{ max }`),
 * a year together with months (`range_conflict`). A month without the other is `required`.
 */
export const REPORT_DETAIL_CODES = ['range_reversed', 'range_too_long', 'range_conflict'] as const;
export type ReportDetailCode = (typeof REPORT_DETAIL_CODES)[number];
