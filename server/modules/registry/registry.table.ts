import type { Insertable, Selectable } from 'kysely';
import { MEMBER_ROLES, type MemberRole } from '#contracts/registry.codes.js';

export type RegistryRole = MemberRole;
export const REGISTRY_ROLES: readonly RegistryRole[] = MEMBER_ROLES;

/** One insured person of the plan's registry (anagrafica). Dates are YYYY-MM-DD. */
export interface RegistryMemberTable {
  id: string;
  codice_fiscale: string;
  surname: string;
  given_name: string;
  birth_date: string;
  email: string | null;
  plan_id: string;
  role: RegistryRole;
  /** The titolare's codice fiscale, for dependants. */
  holder_cf: string | null;
  coverage_start: string;
  coverage_end: string | null;
  /**
   * The card number (numero di tessera), normalised by normalizeCardNumber: the second proof asked
   * at registration of a member with no email here. Never shown, never sent anywhere.
   */
  card_number: string | null;
  created_at: string;
  updated_at: string;
}
export type RegistryMember = Selectable<RegistryMemberTable>;
export type NewRegistryMember = Insertable<RegistryMemberTable>;

export type RegistryImportStatus = 'checking' | 'checked' | 'applying' | 'applied' | 'failed' | 'discarded';

/** A registry file uploaded in the back office and what became of it. Reports are JSON (ImportReport). */
export interface RegistryImportTable {
  id: string;
  staff_id: string;
  file_name: string;
  file_bytes: number;
  status: RegistryImportStatus;
  rows_read: number;
  check_report: string | null;
  apply_report: string | null;
  /** The English text of a refusal stored before codes (2026-12-04); null since. */
  error: string | null;
  /** Why the file was refused or the import stopped: a REGISTRY_IMPORT_ERROR_KINDS kind. */
  error_code: string | null;
  /** JSON: { line?, problems: [{ code, params? }] }, the coded reasons the back office words. */
  error_params: string | null;
  created_at: string;
  checked_at: string | null;
  applied_by: string | null;
  applied_at: string | null;
}
export type RegistryImport = Selectable<RegistryImportTable>;
