import { ROW_PROBLEM_CODES } from '#contracts/network.codes.js';
import type {
  FacilityItem,
  FacilitySearchResponse,
  NetworkImportCounts,
  NetworkImportView,
} from '#contracts/network.js';
import type { StaffRole } from '../../lib/staff-session';

export type { FacilityItem, FacilitySearchResponse, NetworkImportCounts, NetworkImportView };

/** The back office's network page: upload (administrators), history (and auditors), search (all staff). */
export const NETWORK_BACKOFFICE_ROUTE = '/backoffice/strutture';
export const NETWORK_IMPORTS_PATH = '/api/v1/staff/network/imports';
export const STAFF_FACILITIES_PATH = '/api/v1/staff/network/facilities';
export const SERVICES_PATH = '/api/v1/network/services';
/** The members' facility search (`/strutture`, and the choice of a network facility on a claim). */
export const FACILITIES_PATH = '/api/v1/network/facilities';

export const networkImportPath = (id: string) => `${NETWORK_IMPORTS_PATH}/${encodeURIComponent(id)}`;

/** Uploads, applies, discards network files (the server checks it too). */
export const canManageNetwork = (role: StaffRole) => role === 'administrator';
/** Reads the upload history. */
export const canReadNetworkImports = (role: StaffRole) => role === 'administrator' || role === 'auditor';

export interface RowProblem {
  code: string;
  column?: string;
  values?: string[];
}

/**
 * The i18n key and values of one row problem: the column named in the page's language, the
 * numbers the reason needs. Null for a code this version of the page does not know.
 */
export function problemText(
  problem: RowProblem,
  column: (name: string) => string,
): { key: string; values: Record<string, string> } | null {
  if (!(ROW_PROBLEM_CODES as readonly string[]).includes(problem.code)) return null;
  const v = problem.values ?? [];
  const values: Record<string, string> = { column: problem.column ? column(problem.column) : '' };
  if (problem.code === 'field_count') Object.assign(values, { expected: v[0] ?? '', found: v[1] ?? '' });
  if (problem.code === 'too_long') values.max = v[0] ?? '';
  if (problem.code === 'outside_italy') Object.assign(values, { min: v[0] ?? '', max: v[1] ?? '' });
  if (problem.code === 'services_unknown') values.values = v.join(', ');
  return { key: `networkBackoffice.problems.${problem.code}`, values };
}
