/**
 * Plans' lists, labels and limits: no dependency, so the web app imports them as they are
 * (contracts/plans.ts builds the schemas from them). Money in integer cents, percentages in basis
 * points (2000 = 20%).
 */

/** Stable snake_case codes of the service categories: they appear in claims, usage and reports. */
export const CATEGORY_CODES = [
  'visite_specialistiche',
  'accertamenti_diagnostici',
  'alta_diagnostica',
  'fisioterapia',
  'odontoiatria',
  'lenti',
  'ticket_ssn',
  'ricovero',
  'farmaci',
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

/** How the service was obtained: an affiliated facility (direct payment), any other provider, an SSN ticket. */
export const CHANNELS = ['network', 'out_of_network', 'ssn_ticket'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Default labels, for categories a plan does not describe (the plan's own label wins). */
export const CATEGORY_LABELS: Record<CategoryCode, { it: string; en: string }> = {
  visite_specialistiche: { it: 'Visite specialistiche', en: 'Specialist visits' },
  accertamenti_diagnostici: { it: 'Accertamenti diagnostici', en: 'Diagnostic tests' },
  alta_diagnostica: { it: 'Alta diagnostica', en: 'High-end diagnostics' },
  fisioterapia: { it: 'Fisioterapia', en: 'Physiotherapy' },
  odontoiatria: { it: 'Odontoiatria', en: 'Dental care' },
  lenti: { it: 'Lenti correttive', en: 'Corrective lenses' },
  ticket_ssn: { it: 'Ticket SSN', en: 'SSN tickets' },
  ricovero: { it: 'Ricovero', en: 'Hospital stay' },
  farmaci: { it: 'Farmaci', en: 'Medicines' },
};

/** The limits of a plan's numbers, checked by the schema, the server's validation and the editor. */
export const PLAN_LIMITS = {
  /** Cents, far below 2^53: 10 million euro. */
  maxCents: 1_000_000_000,
  /** Basis points: 10000 = 100%. */
  maxBasisPoints: 10_000,
  year: { min: 2000, max: 2100 },
  deadlineDays: { min: 1, max: 3650 },
  frequencyTimes: { min: 1, max: 100 },
  frequencyYears: { min: 1, max: 10 },
} as const;

/**
 * Why a rules document was refused, one code per field (`details[].code` of VALIDATION_FAILED,
 * worded by the web); `version_conflict` (a staff user saved) and `version_conflict_system` (the
 * system did) come with CONFLICT; `lines_invalid` is a claim the engine cannot assess.
 *
 * Params: `amount_too_large` { max }; `year_range`, `deadline_range`, `frequency_times_range`,
 * `frequency_years_range` { min, max }; `subcap_above_cap` { cap }; `version_conflict` { version,
 * by }; `version_conflict_system` { version }; `lines_invalid` { reason } (the engine's, English).
 */
export const PLAN_RULE_ERROR_CODES = [
  'required',
  'invalid_type',
  'unknown_field',
  'unknown_category',
  'unknown_channel',
  'duplicate_rule',
  'no_rules',
  'category_without_rules',
  'year_range',
  'label_required',
  'label_too_long',
  'scope_invalid',
  'amount_negative',
  'amount_not_cents',
  'amount_too_large',
  'percent_range',
  'deadline_range',
  'subcap_above_cap',
  'frequency_times_range',
  'frequency_years_range',
  'code_invalid',
  'code_taken',
  'name_required',
  'source_not_found',
  'version_conflict',
  'version_conflict_system',
  'lines_invalid',
] as const;
export type PlanRuleErrorCode = (typeof PLAN_RULE_ERROR_CODES)[number];

/** Plan codes: letters, digits, `-` and `_`, 2 to 40 characters (stored in capitals). */
export const PLAN_CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$';

/**
 * Why a line got what it got. Refusals come first, in the order the engine checks them
 * (`not_covered` … `frequency_limit`); then the amounts (`zero_after_*`, caps, partial, full).
 */
export const REASON_CODES = [
  'not_covered',
  'outside_plan_year',
  'invoice_after_submission',
  'deadline_passed',
  'prescription_missing',
  'frequency_limit',
  'zero_after_minimum',
  'zero_after_deductible',
  'paid_by_other_fund',
  'cap_reached',
  'subcap_reached',
  'partially_accepted_coinsurance',
  'partially_accepted_deductible',
  'partially_accepted_other_fund',
  'accepted',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
