/**
 * The member's own space (profile, statement, data export): lists and limits, no dependency, so the
 * web app imports them as they are (contracts/profile.ts builds the schemas from them).
 */

export const PROFILE_LOCALES = ['it', 'en'] as const;
export type ProfileLocale = (typeof PROFILE_LOCALES)[number];

/** Why a request of the member's space is refused (`details[].code`). */
export const PROFILE_FIELD_CODES = [
  'phone_invalid',
  'email_same',
  'holder_invalid',
  'iban_same',
  'iban_frozen',
  'totp_already_enabled',
  'totp_not_enabled',
  'totp_not_started',
  'year_invalid',
  'export_running',
] as const;
export type ProfileFieldCode = (typeof PROFILE_FIELD_CODES)[number];

/** Data export states, as the member sees them. */
export const DATA_EXPORT_STATES = ['queued', 'running', 'ready', 'failed', 'expired', 'downloaded'] as const;
export type DataExportStatus = (typeof DATA_EXPORT_STATES)[number];

export const PROFILE_LIMITS = {
  /** The email-change link (to the new address) lives this long. */
  emailChangeTtlHours: 24,
  /** The "it was not me" link of an IBAN change lives this long. */
  ibanReportTtlDays: 30,
  /** Between the password and the authenticator code at login. */
  loginPendingMinutes: 5,
  /** The data export's link and file live this long. */
  exportTtlHours: 24,
  recoveryCodes: 10,
  /** The statement covers the years from this one to the current one. */
  firstStatementYear: 2020,
} as const;

/** The phone number the profile accepts: an optional +, then digits and spaces, 6 to 20 digits. */
export const PHONE_PATTERN = '^\\+?[0-9 ]{6,24}$';

/** Access-log entries: what a staff member opened. */
export const ACCESS_LOG_WHAT = [
  'member',
  'claim',
  'document',
  'booking',
  'registration',
  'payment',
  'other',
] as const;
export type AccessLogWhat = (typeof ACCESS_LOG_WHAT)[number];
