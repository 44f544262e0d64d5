/**
 * Payment batches' lists, labels and limits: no dependency, so the web app imports them as they
 * are (contracts/payments.ts builds the schemas from them). Money in integer cents, dates YYYY-MM-DD.
 */

/**
 * A batch (distinta di pagamento, decision 041): `draft` when made (its SEPA file already written),
 * `sent` once the administrator says it went to the bank, `paid` with the value date (every claim
 * in it then `paid`); a draft can be `cancelled`, and its claims become payable again.
 */
export const PAYMENT_BATCH_STATES = ['draft', 'sent', 'paid', 'cancelled'] as const;
export type PaymentBatchState = (typeof PAYMENT_BATCH_STATES)[number];

export const PAYMENT_BATCH_STATE_LABELS: Record<PaymentBatchState, { it: string; en: string }> = {
  draft: { it: 'Da inviare', en: 'Not sent yet' },
  sent: { it: 'Inviata alla banca', en: 'Sent to the bank' },
  paid: { it: 'Pagata', en: 'Paid' },
  cancelled: { it: 'Annullata', en: 'Cancelled' },
};

/** Staff roles that make and move batches; and those that read them. */
export const PAYMENT_WRITE_ROLES = ['administrator'] as const;
export const PAYMENT_READ_ROLES = ['administrator', 'auditor'] as const;
/** Who may download a paid claim's settlement letter in the back office. */
export const LETTER_READ_ROLES = ['administrator', 'auditor', 'claims_operator'] as const;

export const PAYMENT_LIMITS = {
  /** Claims in one batch: what one request builds and one bank file carries comfortably. */
  maxClaimsPerBatch: 2000,
  /** The requested execution date: from today to this many days ahead. */
  executionDaysAhead: 30,
  /** The value date: from the batch's day to this many days after today. */
  valueDaysAhead: 30,
  /** Batches in the list, newest first. */
  listSize: 100,
} as const;

/**
 * Why a batch action is refused (`details[].code` of CONFLICT): nothing to pay; the batch is no
 * longer a draft (cancel, "sent"); not sent yet ("paid"); already paid with another value date
 * (`{ valueDate }`).
 */
export const PAYMENT_CONFLICT_CODES = [
  'no_payable_claims',
  'batch_not_draft',
  'batch_not_sent',
  'batch_paid_other_date',
] as const;
export type PaymentConflictCode = (typeof PAYMENT_CONFLICT_CODES)[number];

/**
 * Why a date is refused (`details[].code` of VALIDATION_FAILED, field `executionDate` or
 * `valueDate`): before today / before the batch's day (`{ date }`), or too far ahead (`{ date }`:
 * the last day allowed).
 */
export const PAYMENT_FIELD_CODES = ['date_before_allowed', 'date_too_far'] as const;
export type PaymentFieldCode = (typeof PAYMENT_FIELD_CODES)[number];
