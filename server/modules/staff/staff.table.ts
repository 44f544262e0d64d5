import type { Selectable } from 'kysely';
import type { StaffRole } from '#contracts/staff.codes.js';

export { STAFF_ROLES, type StaffRole } from '#contracts/staff.codes.js';

export interface StaffUserTable {
  id: string;
  username: string;
  email: string;
  role: StaffRole;
  password_hash: string | null;
  /** The TOTP key, AES-GCM sealed (SecretBox 'totp'); null until enrolled. */
  totp_secret_sealed: string | null;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  totp_last_step: number | null;
  enrolled_at: string | null;
  failed_logins: number;
  locked_at: string | null;
  disabled_at: string | null;
  created_at: string;
  /** The last successful login (shown to administrators). */
  last_login_at: string | null;
  /** The language of the emails this user receives. */
  locale: 'it' | 'en';
}
export type StaffUser = Selectable<StaffUserTable>;

export interface StaffEnrolmentTable {
  id: string;
  staff_id: string;
  lookup: string;
  token_hash: string;
  /** The key shown during enrolment, kept (sealed) until the first code proves it was scanned. */
  pending_totp_sealed: string | null;
  expires_at: string;
  used_at: string | null;
  failed_attempts: number;
  created_at: string;
}

export interface StaffRecoveryCodeTable {
  id: string;
  staff_id: string;
  code_hash: string;
  used_at: string | null;
}
