import type { Insertable, Selectable } from 'kysely';
import type { BookingActor, BookingRejectReason, BookingState } from '#contracts/bookings.codes.js';
import type { DocumentMediaType } from '#contracts/claims.codes.js';
import type { ServiceCode } from '../network/index.js';

/** A booking in the network (decision 044). Instants are ISO-8601 UTC text. */
export interface BookingTable {
  id: string;
  /** `PRE-2026-000123`. */
  number: string;
  account_id: string;
  /** The holder's registry id: the family the member's visibility is counted on. */
  family_id: string;
  beneficiary_id: string;
  plan_id: string;
  plan_version: number;
  service: ServiceCode;
  /** The facility the member chose. */
  facility_id: string;
  /** The chosen facility's province: the desk's queue filters on it. */
  province: string;
  /** JSON of CheckedWindow[] (booking-time.ts). */
  windows: string;
  state: BookingState;
  idempotency_key: string;
  proposed_start: string | null;
  proposed_facility_id: string | null;
  proposal_deadline: string | null;
  start_at: string | null;
  confirmed_facility_id: string | null;
  /** HMAC of the authorisation code (SESSION_SECRET): the facility's check looks it up. */
  code_hash: string | null;
  /** The code sealed with SecretBox: the voucher and the member's page show it. */
  code_sealed: string | null;
  calendar_sequence: number;
  reminder_sent_at: string | null;
  reject_reason: BookingRejectReason | null;
  invoice_cents: number | null;
  expected_share_cents: number | null;
  claim_id: string | null;
  created_at: string;
  updated_at: string;
}
export type BookingRow = Selectable<BookingTable>;
export type NewBooking = Insertable<BookingTable>;

export interface BookingDocumentTable {
  id: string;
  /** Null until the request that uses it is sent. */
  booking_id: string | null;
  account_id: string;
  storage_key: string;
  kind: 'prescrizione';
  file_name: string;
  media_type: DocumentMediaType;
  bytes: number;
  sha256: string;
  uploaded_at: string;
}
export type BookingDocumentRow = Selectable<BookingDocumentTable>;

export interface BookingEventTable {
  id: string;
  booking_id: string;
  seq: number;
  at: string;
  from_state: BookingState | null;
  to_state: BookingState;
  actor_kind: BookingActor;
  actor_id: string | null;
  reason_code: string | null;
  params: string | null;
}
export type BookingEventRow = Selectable<BookingEventTable>;

export interface BookingNumberCounterTable {
  year: number;
  last: number;
}
