import type { Selectable } from 'kysely';

export interface MemberRecoveryCodeTable {
  id: string;
  account_id: string;
  code_hash: string;
  used_at: string | null;
}

export type MemberTokenPurpose = 'email_change' | 'iban_report' | 'login_pending';

/** A one-time token of the member's space: only its keyed hash is stored. */
export interface MemberTokenTable {
  id: string;
  purpose: MemberTokenPurpose;
  token_hash: string;
  account_id: string;
  /** email_change: the new address; iban_report: the id of the IBAN change reported. */
  payload: string | null;
  expires_at: string;
  used_at: string | null;
  failed_attempts: number;
  created_at: string;
}
export type MemberToken = Selectable<MemberTokenTable>;
