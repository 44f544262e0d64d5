/**
 * Every code an error detail (`error.details[].code`) can carry, list by list: the server sends
 * the code and its params, the web words it (`fieldErrors.<code>` in web/src/i18n), and the
 * server's catalog (server/errors/detail-messages.ts) words the API's `message` for other clients.
 * Lists only, no dependency but other lists, so the web app imports them as they are.
 */
import { AUDIT_DETAIL_CODES } from './audit.codes.js';
import { PASSWORD_PROBLEM_CODES } from './auth.codes.js';
import { BOOKING_CONFLICT_CODES, BOOKING_FIELD_CODES } from './bookings.codes.js';
import {
  CLAIM_CONFLICT_CODES,
  CLAIM_FIELD_CODES,
  CLAIM_REVIEW_CODES,
  DOCUMENT_REFUSAL_CODES,
} from './claims.codes.js';
import { SCHEMA_DETAIL_CODES } from './errors.codes.js';
import { FILE_REFUSAL_CODES } from './imports.codes.js';
import { MEMBER_FIELD_CODES } from './members.codes.js';
import { NETWORK_IMPORT_CONFLICT_CODES, NETWORK_SEARCH_CODES } from './network.codes.js';
import { PAYMENT_CONFLICT_CODES, PAYMENT_FIELD_CODES } from './payments.codes.js';
import { PLAN_RULE_ERROR_CODES } from './plans.codes.js';
import { PROFILE_FIELD_CODES } from './profile.codes.js';
import { REGISTRY_DETAIL_CODES } from './registry.codes.js';
import { REPORT_DETAIL_CODES } from './reports.codes.js';
import { STAFF_FIELD_CODES } from './staff.codes.js';

/** The lists, by name. */
export const DETAIL_CODE_LISTS = {
  schema: SCHEMA_DETAIL_CODES,
  members: MEMBER_FIELD_CODES,
  passwords: PASSWORD_PROBLEM_CODES,
  staff: STAFF_FIELD_CODES,
  plans: PLAN_RULE_ERROR_CODES,
  networkSearch: NETWORK_SEARCH_CODES,
  networkImports: NETWORK_IMPORT_CONFLICT_CODES,
  files: FILE_REFUSAL_CODES,
  registry: REGISTRY_DETAIL_CODES,
  audit: AUDIT_DETAIL_CODES,
  claims: CLAIM_FIELD_CODES,
  claimConflicts: CLAIM_CONFLICT_CODES,
  documents: DOCUMENT_REFUSAL_CODES,
  reports: REPORT_DETAIL_CODES,
  claimReview: CLAIM_REVIEW_CODES,
  payments: PAYMENT_FIELD_CODES,
  paymentConflicts: PAYMENT_CONFLICT_CODES,
  profile: PROFILE_FIELD_CODES,
  bookings: BOOKING_FIELD_CODES,
  bookingConflicts: BOOKING_CONFLICT_CODES,
} as const;

export type DetailCode = (typeof DETAIL_CODE_LISTS)[keyof typeof DETAIL_CODE_LISTS][number];

/** Every detail code once. */
export const DETAIL_CODES: readonly DetailCode[] = [...new Set(Object.values(DETAIL_CODE_LISTS).flat())];
