import type { Generated, Selectable } from 'kysely';
import type { ClaimActor, ClaimState, DocumentKind, DocumentMediaType } from '#contracts/claims.codes.js';
import type { CategoryCode, Channel, ReasonCode } from '#contracts/plans.codes.js';

/**
 * A claim (decision 033). The member's wizard is a claim row in state `draft` (no number; the
 * typed values in `draft`, JSON of DraftBody); submitting fills the columns and the invoice rows.
 */
export interface ClaimTable {
  id: string;
  /** `RSM-2026-000123`, set when submitted; unique. */
  number: string | null;
  account_id: string;
  /** The holder's registry id: the family unit the caps and duplicates are counted on. */
  family_id: string;
  beneficiary_id: string | null;
  plan_id: string;
  plan_code: string;
  /** The plan version the claim was estimated under (set when submitted). */
  plan_version: number | null;
  category: CategoryCode | null;
  state: ClaimState;
  iban: string | null;
  account_holder: string | null;
  idempotency_key: string | null;
  submitted_at: string | null;
  expected_decision_on: string | null;
  claimed_cents: number;
  estimated_cents: number;
  accepted_cents: number | null;
  paid_cents: number | null;
  last_reminder_at: string | null;
  /** JSON of the wizard's values while a draft (DraftBody); kept after submission as typed. */
  draft: string | null;
  /** The staff user who took the claim ("PRENDI IN CARICO"), until released or decided. */
  holder_staff_id: string | null;
  held_at: string | null;
  decided_at: string | null;
  /** `staff`, or `system` for an automatic decision (then `auto_rule` says which rule allowed it). */
  decided_by: 'staff' | 'system' | null;
  decided_by_staff_id: string | null;
  /** Four eyes: the second operator who approved the decision. */
  second_approver_id: string | null;
  auto_rule: string | null;
  /** Four eyes: JSON of PendingDecision (claim-decisions.service.ts) until a second operator approves it. */
  pending_decision: string | null;
  /** The payment's value date (YYYY-MM-DD), once paid. */
  paid_on: string | null;
  /** `reimbursement` (the member paid and is refunded) or `direct` (the fund pays the facility, decision 047). */
  kind: Generated<'reimbursement' | 'direct'>;
  /** The booking a direct claim comes from. */
  booking_id: Generated<string | null>;
  created_at: string;
  updated_at: string;
}
export type ClaimRow = Selectable<ClaimTable>;

export interface ClaimInvoiceTable {
  /** The id the client chose for the line (UUID). */
  id: string;
  claim_id: string;
  position: number;
  invoice_date: string;
  invoice_number: string;
  issuer_name: string;
  issuer_tax_id: string | null;
  amount_cents: number;
  channel: Channel;
  facility_id: string | null;
  estimated_cents: number;
  accepted_cents: number | null;
  paid_cents: number | null;
  reason: ReasonCode | null;
  /** The operator's reason when they changed the engine's accepted amount (closed list). */
  adjust_reason: string | null;
  /** JSON `{ it: string[], en: string[] }`. */
  explanation: string;
  probable_duplicate: number;
}
export type ClaimInvoiceRow = Selectable<ClaimInvoiceTable>;

export interface ClaimDocumentTable {
  id: string;
  claim_id: string;
  storage_key: string;
  kind: DocumentKind;
  file_name: string;
  media_type: DocumentMediaType;
  bytes: number;
  sha256: string;
  phase: 'initial' | 'integration';
  /** 0/1: part of a sent claim or integration. */
  sent: number;
  uploaded_at: string;
}
export type ClaimDocumentRow = Selectable<ClaimDocumentTable>;

export interface ClaimEventTable {
  id: string;
  claim_id: string;
  /** 1, 2, … per claim: the timeline's order. */
  seq: number;
  at: string;
  from_state: ClaimState | null;
  to_state: ClaimState;
  actor_kind: ClaimActor;
  /** The member account or staff user; null for the system. */
  actor_id: string | null;
  reason_code: string | null;
  note: string | null;
  /** JSON of what the event carries besides its reason, e.g. `{ "items": ["prescrizione"] }`. */
  params: string | null;
}
export type ClaimEventRow = Selectable<ClaimEventTable>;

export interface ClaimMessageTable {
  id: string;
  claim_id: string;
  at: string;
  author_kind: 'member' | 'staff';
  author_id: string | null;
  body: string;
}
export type ClaimMessageRow = Selectable<ClaimMessageTable>;

export interface ClaimNumberCounterTable {
  year: number;
  last: number;
}
