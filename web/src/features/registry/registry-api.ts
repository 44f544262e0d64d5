import type { TFunction } from 'i18next';
import {
  MEMBER_ROLES,
  type MemberRole,
  REGISTRY_ROW_PROBLEM_CODES,
  REGISTRY_WARNING_CODES,
} from '#contracts/registry.codes.js';
import type { RegistryImportView, RegistryMemberView } from '#contracts/registry.js';
import { detailText } from '../../lib/api';
import type { StaffRole } from '../../lib/staff-session';

export type { RegistryImportView, RegistryMemberView };
export type ImportCounts = NonNullable<RegistryImportView['check']>;

import { REGISTRY_ROUTE } from '../backoffice/backoffice-layout';

export { REGISTRY_ROUTE };
export const IMPORTS_PATH = '/api/v1/staff/registry/imports';
export const MEMBERS_PATH = '/api/v1/staff/registry/members';
/** How often a running check or import is asked for its progress. */
export const POLL_MS = 700;

export const memberRoute = (id: string) => `${REGISTRY_ROUTE}/${encodeURIComponent(id)}`;
export const importPath = (id: string) => `${IMPORTS_PATH}/${encodeURIComponent(id)}`;
export const memberPath = (id: string) => `${MEMBERS_PATH}/${encodeURIComponent(id)}`;

/** Uploads, applies, discards; acts on a member's account (the server checks it too). */
export const canManageRegistry = (role: StaffRole) => role === 'administrator';
/** Reads the import history. */
export const canReadImports = (role: StaffRole) => role === 'administrator' || role === 'auditor';

/**
 * Why an import failed, in words: its coded reasons worded and joined (as the network's upload
 * shows them), the stopped import's own sentence, or the English text of a refusal stored before
 * codes.
 */
export function importErrorText(t: TFunction, error: RegistryImportView['error']): string {
  if (!error) return '';
  if (error.problems.length > 0) return error.problems.map((p) => detailText(t, p)).join(' ');
  if (error.kind === 'apply_failed') return t('backoffice.registry.refusals.apply_failed');
  return error.message ?? error.kind;
}

export const isRunning = (status: RegistryImportView['status']) =>
  status === 'checking' || status === 'applying';

export { MEMBER_ROLES, type MemberRole };
export const isMemberRole = (value: string): value is MemberRole =>
  (MEMBER_ROLES as readonly string[]).includes(value);

/**
 * Rows in a file of `bytes` bytes, estimated from its beginning (`sample`: the first bytes as text,
 * `sampleBytes` long): the progress bar's end while the check reads it. Null when it cannot tell.
 */
export function estimateRows(sample: string, sampleBytes: number, bytes: number): number | null {
  const lines = sample.split('\n').filter((line) => line.trim() !== '').length;
  if (lines < 2 || sampleBytes <= 0) return null;
  // The header is not a row.
  if (sampleBytes >= bytes) return lines - 1;
  return Math.max(1, Math.round((lines * bytes) / sampleBytes) - 1);
}

/** One reason a row was rejected, as the server sends it (a code this page may not know yet). */
export interface RegistryRowProblem {
  code: string;
  column?: string;
  values?: string[];
}

/** An i18n key and the values its text needs. */
export interface I18nText {
  key: string;
  values: Record<string, string>;
}

/**
 * The i18n key and values of one rejected row's problem: the column named in the page's language,
 * the numbers or codes the text needs. Null for a code this version of the page does not know.
 */
export function registryProblemText(
  problem: RegistryRowProblem,
  column: (name: string) => string,
): I18nText | null {
  if (!(REGISTRY_ROW_PROBLEM_CODES as readonly string[]).includes(problem.code)) return null;
  const v = problem.values ?? [];
  const values: Record<string, string> = { column: problem.column ? column(problem.column) : '' };
  if (problem.code === 'field_count') Object.assign(values, { expected: v[0] ?? '', found: v[1] ?? '' });
  if (problem.code === 'role_invalid') values.values = v.join(', ');
  if (problem.code === 'holder_required') values.role = v[0] ?? '';
  return { key: `backoffice.registry.problems.${problem.code}`, values };
}

/** The i18n key and values of a warning; null without a code, or for one this page does not know. */
export function registryWarningText(warning: { code?: string; values?: string[] }): I18nText | null {
  const code = warning.code;
  if (code === undefined || !(REGISTRY_WARNING_CODES as readonly string[]).includes(code)) return null;
  const v = warning.values ?? [];
  const values: Record<string, string> =
    code === 'duplicate_cf' ? { first: v[0] ?? '' } : { total: v[0] ?? '' };
  return { key: `backoffice.registry.warnings.${code}`, values };
}
