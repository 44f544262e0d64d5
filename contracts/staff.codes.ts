/**
 * Back-office roles and user states: no dependency, so the web app imports them as they are
 * (contracts/staff.ts builds the schemas from them; the server's staff table uses the same list).
 */
export const STAFF_ROLES = ['claims_operator', 'booking_desk', 'administrator', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * waiting_for_enrolment: created or reset, the emailed link not used yet; locked: too many failed
 * logins, until the lock ends by itself (15 minutes or more, decision 026).
 */
export const STAFF_USER_STATES = ['waiting_for_enrolment', 'active', 'locked', 'disabled'] as const;
export type StaffUserState = (typeof STAFF_USER_STATES)[number];

/** Why a new user's data or an administrator's request is refused (`details[].code`). */
export const STAFF_FIELD_CODES = [
  'username_invalid',
  'email_invalid',
  'role_invalid',
  'username_taken',
  'user_disabled',
] as const;
export type StaffFieldCode = (typeof STAFF_FIELD_CODES)[number];
