import type { Selectable } from 'kysely';

/** A member's account, created when the emailed ticket is used. Booleans are 0/1. */
export interface MemberAccountTable {
  id: string;
  registry_member_id: string;
  username: string;
  email: string;
  locale: string;
  password_hash: string;
  must_change_password: number;
  temp_password_expires_at: string | null;
  password_changed_at: string | null;
  failed_logins: number;
  password_locked_at: string | null;
  created_at: string;
}
export type MemberAccount = Selectable<MemberAccountTable>;

export type VerificationPurpose = 'activation' | 'password_reset';

/** An emailed one-time code or link: only its keyed hash is stored. */
export interface VerificationTable {
  id: string;
  purpose: VerificationPurpose;
  /** The public part of the code, used to find the row (and count wrong tries against it). */
  lookup: string;
  token_hash: string;
  registry_member_id: string | null;
  account_id: string | null;
  email: string;
  locale: string;
  expires_at: string;
  used_at: string | null;
  failed_attempts: number;
  created_at: string;
}
export type Verification = Selectable<VerificationTable>;

export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: string;
}

export interface CaptchaSolutionTable {
  signature: string;
  expires_at: string;
}
