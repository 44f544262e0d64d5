import type { Selectable } from 'kysely';
import type { PaymentBatchState } from '#contracts/payments.codes.js';

/** A payment batch (distinta, decision 041): the claims one SEPA credit transfer file pays. */
export interface PaymentBatchTable {
  id: string;
  /** GrpHdr/MsgId of the file: unique. */
  message_id: string;
  state: PaymentBatchState;
  claim_count: number;
  total_cents: number;
  /** ReqdExctnDt (YYYY-MM-DD). */
  execution_date: string;
  /** The fund as it was when the file was written. */
  debtor_name: string;
  debtor_iban: string;
  debtor_bic: string;
  /** The pain.001.001.03 document as first written: every download sends these bytes. */
  file_xml: string;
  file_sha256: string;
  created_at: string;
  created_by: string;
  sent_at: string | null;
  sent_by: string | null;
  /** YYYY-MM-DD, from "PAGATO"; `paid_at` once every claim is paid. */
  value_date: string | null;
  paid_at: string | null;
  paid_by: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
}
export type PaymentBatchRow = Selectable<PaymentBatchTable>;

export interface PaymentBatchItemTable {
  batch_id: string;
  claim_id: string;
  position: number;
  amount_cents: number;
  account_holder: string;
  iban: string;
  /** 1 while the batch is not cancelled: a claim is in one live batch at most (unique index). */
  live: number;
}
export type PaymentBatchItemRow = Selectable<PaymentBatchItemTable>;
