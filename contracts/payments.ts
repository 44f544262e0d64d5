import { type Static, Type } from 'typebox';
import { ClaimNumber } from './claims.js';
import { Id } from './common.js';
import { PAYMENT_BATCH_STATES } from './payments.codes.js';

export * from './payments.codes.js';

/**
 * The back office's payment batches (`/api/v1/staff/payments…`, decisions 040 and 041) and the
 * settlement letters. Money integer cents; dates YYYY-MM-DD; instants ISO-8601 UTC.
 */

const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Cents = Type.Integer({ minimum: 0 });

export const PaymentBatchState = Type.Enum(PAYMENT_BATCH_STATES);

/** A claim ready to be paid, or paid in a batch: whom, where (masked IBAN), how much. */
export const PaymentClaim = Type.Object({
  claimId: Id(),
  number: ClaimNumber,
  accountHolder: Type.String(),
  /** `IT** **** … 4567`. */
  ibanMasked: Type.String(),
  amountCents: Cents,
  /** When the claim was decided (or submitted, for a claim decided before decisions were dated). */
  decidedAt: Type.String(),
  /** In a paid batch: whether the claim is paid (a payment left half done shows `false`). */
  paid: Type.Boolean(),
});
export type PaymentClaim = Static<typeof PaymentClaim>;

export const PaymentBatchSummary = Type.Object({
  id: Id(),
  /** The SEPA file's MsgId: unique, shown to the bank and in the list. */
  messageId: Type.String(),
  state: PaymentBatchState,
  claimCount: Type.Integer(),
  totalCents: Cents,
  createdAt: Type.String(),
  executionDate: IsoDate,
  sentAt: Type.Union([Type.String(), Type.Null()]),
  paidAt: Type.Union([Type.String(), Type.Null()]),
  valueDate: Type.Union([IsoDate, Type.Null()]),
  cancelledAt: Type.Union([Type.String(), Type.Null()]),
});
export type PaymentBatchSummary = Static<typeof PaymentBatchSummary>;

export const PaymentBatchList = Type.Object({ batches: Type.Array(PaymentBatchSummary) });
export type PaymentBatchList = Static<typeof PaymentBatchList>;

export const PaymentBatchDetail = Type.Object({
  ...PaymentBatchSummary.properties,
  /** The fund as debtor: name and masked IBAN. */
  debtorName: Type.String(),
  debtorIbanMasked: Type.String(),
  fileName: Type.String(),
  claims: Type.Array(PaymentClaim),
});
export type PaymentBatchDetail = Static<typeof PaymentBatchDetail>;

/** What "CREA DISTINTA" would gather now, and the open draft if there is one. */
export const PayableClaims = Type.Object({
  claims: Type.Array(PaymentClaim),
  claimCount: Type.Integer(),
  totalCents: Cents,
  /** More payable claims than one batch takes: the oldest decided go first. */
  more: Type.Boolean(),
  openDraftId: Type.Union([Id(), Type.Null()]),
  /** The requested execution date a batch made now gets by default (next working day). */
  defaultExecutionDate: IsoDate,
});
export type PayableClaims = Static<typeof PayableClaims>;

export const CreateBatchBody = Type.Object(
  { executionDate: Type.Optional(IsoDate) },
  { additionalProperties: false },
);
export type CreateBatchBody = Static<typeof CreateBatchBody>;

export const PaidBody = Type.Object({ valueDate: IsoDate }, { additionalProperties: false });
export type PaidBody = Static<typeof PaidBody>;
