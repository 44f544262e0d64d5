/** Password policy codes: no dependency, so the web app imports them as they are. */

export const PASSWORD_MIN_LENGTH = 15;
/** At least 128 must be accepted (NIST SP 800-63B). */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * Why a password is refused (`details[].code` of VALIDATION_FAILED on the new password, and
 * `problems[].code` of the strength check). Params: `too_short` { min }, `too_long` { max }.
 */
export const PASSWORD_PROBLEM_CODES = [
  'too_short',
  'too_long',
  'common',
  'contains_username',
  'contains_name',
  'contains_codice_fiscale',
  'contains_birth_date',
] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEM_CODES)[number];
