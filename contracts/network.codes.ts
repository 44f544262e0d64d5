import { CATEGORY_CODES, type CategoryCode } from './plans.codes.js';

/**
 * The provider network's lists and limits: no dependency but the plans' codes, so the web app
 * imports them as they are (contracts/network.ts builds the schemas from them).
 */

/** What a facility can offer: the plans' service categories but medicines (bought at pharmacies). */
export const NETWORK_SERVICE_CODES = CATEGORY_CODES.filter(
  (c): c is Exclude<CategoryCode, 'farmaci'> => c !== 'farmaci',
);

/** The most facilities one page of a search holds. */
export const MAX_FACILITY_PAGE_SIZE = 50;

/** Why a row is rejected: a stable code the back office words in Italian or English. */
export const ROW_PROBLEM_CODES = [
  'field_count',
  'not_utf8',
  'empty',
  'too_long',
  'code_invalid',
  'city_invalid',
  'province_invalid',
  'cap_invalid',
  'not_decimal',
  'outside_italy',
  'phone_invalid',
  'iban_invalid',
  'services_empty',
  'services_unknown',
] as const;

export const NETWORK_IMPORT_STATUSES = [
  'checked',
  'refused',
  'applying',
  'applied',
  'discarded',
  'failed',
] as const;
export type NetworkImportStatus = (typeof NETWORK_IMPORT_STATUSES)[number];

/** Why a whole file is refused (same codes as the 400 answer's detail, without the `file_` prefix). */
export const NETWORK_FILE_PROBLEMS = ['empty', 'separator', 'header', 'quoting', 'row_too_long'] as const;

/** Why a facility search is refused (`details[].code` of VALIDATION_FAILED, on the field named). */
export const NETWORK_SEARCH_CODES = [
  'service_unknown',
  'province_invalid',
  'city_invalid',
  'point_incomplete',
  'cap_invalid',
  'cap_and_point',
  'cap_unknown',
  'page_invalid',
  'page_size_invalid',
] as const;
export type NetworkSearchCode = (typeof NETWORK_SEARCH_CODES)[number];

/** Why an action on a network import is refused (`details[].code` of CONFLICT, field `id`). */
export const NETWORK_IMPORT_CONFLICT_CODES = [
  'rejected_rows',
  'another_import_applying',
  'import_applying',
  'import_discarded',
  'import_refused',
  'import_failed',
  'import_applied',
] as const;
export type NetworkImportConflictCode = (typeof NETWORK_IMPORT_CONFLICT_CODES)[number];
