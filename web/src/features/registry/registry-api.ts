import { MEMBER_ROLES, type MemberRole } from '#contracts/registry.codes.js';
import type { RegistryImportView, RegistryMemberView } from '#contracts/registry.js';
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
