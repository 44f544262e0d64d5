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
  // The member's own space (decisions 048, 049): contacts, reimbursement IBAN, authenticator.
  phone?: string | null;
  iban?: string | null;
  iban_holder?: string | null;
  iban_changed_at?: string | null;
  iban_frozen_at?: string | null;
  totp_secret_sealed?: string | null;
  totp_pending_sealed?: string | null;
  totp_last_step?: number | null;
  totp_enabled_at?: string | null;
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
  /**
   * Activation tickets: how the address was proven (decision 027). Null on rows older than the
   * proof, and on reset links (they go to the account's address).
   */
  address_proof: AddressProof | null;
}
export type Verification = Selectable<VerificationTable>;

/** registry_email: typed and equal to the registry's; card_number: the registry has no email, the
 * card number typed matched; back_office: a staff user confirmed the registration request. */
export type AddressProof = 'registry_email' | 'card_number' | 'back_office';

export type RegistrationRequestStatus = 'pending' | 'confirmed' | 'rejected' | 'superseded';

/**
 * A registration of a member with neither an email nor a card number in the registry, waiting for
 * the back office (decision 027). The personal data are those typed; registry_member_id the match.
 */
export interface RegistrationRequestTable {
  id: string;
  registry_member_id: string;
  surname: string;
  given_name: string;
  codice_fiscale: string;
  birth_date: string;
  email: string;
  locale: string;
  status: RegistrationRequestStatus;
  created_at: string;
  expires_at: string;
  decided_by: string | null;
  decided_at: string | null;
}
export type RegistrationRequest = Selectable<RegistrationRequestTable>;

export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: string;
}

export interface CaptchaSolutionTable {
  signature: string;
  expires_at: string;
}
