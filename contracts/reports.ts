import { type Static, Type } from 'typebox';
import { CLAIM_STATES } from './claims.codes.js';
import { FiniteInteger } from './common.js';
import { CATEGORY_CODES } from './plans.codes.js';
import { MONTH_PATTERN, REPORT_LIMITS } from './reports.codes.js';

export * from './reports.codes.js';

/**
 * The back office's reports (`/api/v1/staff/reports/…`, decision 042): months are `YYYY-MM` in
 * Italian time, money integer cents, durations in days with one decimal.
 */

const Month = Type.String({ pattern: MONTH_PATTERN, description: 'YYYY-MM' });
const Count = Type.Integer({ minimum: 0 });
const Cents = Type.Integer({ minimum: 0 });

/**
 * The range: a calendar year, or a first and a last month (both included); nothing means the
 * current year.
 */
export const ReportRangeQuery = Type.Object({
  year: Type.Optional(FiniteInteger({ minimum: REPORT_LIMITS.year.min, maximum: REPORT_LIMITS.year.max })),
  from: Type.Optional(Month),
  to: Type.Optional(Month),
});
export type ReportRangeQuery = Static<typeof ReportRangeQuery>;

/** The CSV export: the range, and the language of its labels and numbers (else the browser's). */
export const ReportCsvQuery = Type.Object({
  ...ReportRangeQuery.properties,
  lang: Type.Optional(Type.Union([Type.Literal('it'), Type.Literal('en')])),
});
export type ReportCsvQuery = Static<typeof ReportCsvQuery>;

export const ReportRange = Type.Object({ from: Month, to: Month });
export type ReportRange = Static<typeof ReportRange>;

// ---------------------------------------------------------------------------------------------
// Claims by state: the claims sent in the range, by the state they are in now.

export const ClaimStateCount = Type.Object({ state: Type.Enum(CLAIM_STATES), count: Count });

export const ClaimsByStateReport = Type.Object({
  range: ReportRange,
  /** Every state but `draft`, in the order of the claim's life, zeros included. */
  states: Type.Array(ClaimStateCount),
  total: Count,
});
export type ClaimsByStateReport = Static<typeof ClaimsByStateReport>;

// ---------------------------------------------------------------------------------------------
// Decision times: by month of the decision, automatic and staff decisions apart.

export const DecisionGroup = Type.Object({
  count: Count,
  /** Median days from submission to decision, one decimal; null without decisions. */
  medianDays: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
});
export type DecisionGroup = Static<typeof DecisionGroup>;

const DecisionFigures = {
  automatic: DecisionGroup,
  staff: DecisionGroup,
  /** Share of the decisions taken automatically, in percent with one decimal; null without decisions. */
  automaticPercent: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()]),
};

export const DecisionMonth = Type.Object({ month: Month, ...DecisionFigures });
export type DecisionMonth = Static<typeof DecisionMonth>;

export const DecisionTimesReport = Type.Object({
  range: ReportRange,
  /** Every month of the range, in order. */
  months: Type.Array(DecisionMonth),
  /** The whole range (its medians are of all its decisions, not of the months' medians). */
  total: Type.Object(DecisionFigures),
});
export type DecisionTimesReport = Static<typeof DecisionTimesReport>;

// ---------------------------------------------------------------------------------------------
// Payments: amounts paid, by month of the value date and by category.

export const CategoryAmount = Type.Object({ category: Type.Enum(CATEGORY_CODES), cents: Cents });
export type CategoryAmount = Static<typeof CategoryAmount>;

export const PaymentMonth = Type.Object({
  month: Month,
  /** One entry per category of `categories`, in that order, zeros included. */
  byCategory: Type.Array(CategoryAmount),
  totalCents: Cents,
});
export type PaymentMonth = Static<typeof PaymentMonth>;

export const PaymentsReport = Type.Object({
  range: ReportRange,
  /** The categories with a payment in the range, in the plans' order. */
  categories: Type.Array(Type.Enum(CATEGORY_CODES)),
  months: Type.Array(PaymentMonth),
  totals: Type.Object({ byCategory: Type.Array(CategoryAmount), totalCents: Cents }),
});
export type PaymentsReport = Static<typeof PaymentsReport>;
