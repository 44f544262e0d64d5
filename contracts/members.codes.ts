/**
 * Members' field codes: no dependency, so the web app imports them as they are. The server sends
 * the code (`details[].code`); the web words it (`fieldErrors.<code>` in web/src/i18n).
 */

/** Why a field of the account forms (registration, password change, recovery) is refused. */
export const MEMBER_FIELD_CODES = [
  'required',
  'email_invalid',
  'email_mismatch',
  'cf_malformed',
  'cf_check_character',
  'cf_incoherent_surname',
  'cf_incoherent_name',
  'cf_incoherent_birth_date',
  'birth_date_invalid',
  'birth_date_future',
  'captcha_missing',
  'captcha_invalid',
  'password_mismatch',
  'same_as_current',
  'totp_invalid',
  'current_password_wrong',
] as const;
export type MemberFieldCode = (typeof MEMBER_FIELD_CODES)[number];
