/** Registry lists: no dependency but the imports' codes, so the web app imports them as they are. */
import { FILE_PROBLEM_KINDS } from './imports.codes.js';

/** A person's place in the family unit of the registry. */
export const MEMBER_ROLES = ['titolare', 'coniuge', 'figlio', 'altro'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * Why a registry row is rejected: a stable code (with the column it concerns and the values its
 * text needs) that the back office words in Italian or English. The English `reason` beside it is
 * the command line's.
 */
export const REGISTRY_ROW_PROBLEM_CODES = [
  /** values: [expected, found] */
  'field_count',
  'not_utf8',
  /** column */
  'empty',
  /** column: cognome or nome */
  'name_invalid',
  /** column */
  'date_invalid',
  'birth_date_future',
  'cf_malformed',
  'cf_check_character',
  'cf_incoherent_surname',
  'cf_incoherent_name',
  'cf_incoherent_birth_date',
  'email_invalid',
  'plan_code_invalid',
  /** values: the roles allowed */
  'role_invalid',
  'holder_not_allowed',
  /** values: [role] */
  'holder_required',
  'holder_invalid',
  'holder_self',
  'coverage_end_before_start',
  'card_number_invalid',
] as const;
export type RegistryRowProblemCode = (typeof REGISTRY_ROW_PROBLEM_CODES)[number];

/** One reason a row is rejected. */
export interface RegistryRowProblem {
  code: RegistryRowProblemCode;
  column?: string;
  values?: string[];
}

/** What a warning of an import says, as a stable code beside the English message. */
export const REGISTRY_WARNING_CODES = [
  /** values: [the line of the earlier row] */
  'duplicate_cf',
  /** values: [how many dependants] */
  'orphan_dependants',
] as const;
export type RegistryWarningCode = (typeof REGISTRY_WARNING_CODES)[number];

/**
 * Why a back-office registry request is refused (`details[].code`): a member search too short
 * (params { min }), an end of coverage that is not a date on or after the start.
 */
export const REGISTRY_DETAIL_CODES = ['search_too_short', 'coverage_end_invalid'] as const;
export type RegistryDetailCode = (typeof REGISTRY_DETAIL_CODES)[number];

/**
 * Why an import of the back office did not go through (`error.kind` of the import): a file
 * refused as a whole (its reasons in `error.problems`, codes of FILE_REFUSAL_CODES), an import
 * stopped by an unexpected error, or `unknown` for a refusal stored as English text before codes.
 */
export const REGISTRY_IMPORT_ERROR_KINDS = [...FILE_PROBLEM_KINDS, 'apply_failed', 'unknown'] as const;
export type RegistryImportErrorKind = (typeof REGISTRY_IMPORT_ERROR_KINDS)[number];
