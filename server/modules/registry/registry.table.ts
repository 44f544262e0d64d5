import type { Insertable, Selectable } from 'kysely';

export interface PlanTable {
  id: string;
  code: string;
  name: string;
  created_at: string;
}
export type Plan = Selectable<PlanTable>;

export type RegistryRole = 'titolare' | 'coniuge' | 'figlio' | 'altro';
export const REGISTRY_ROLES: readonly RegistryRole[] = ['titolare', 'coniuge', 'figlio', 'altro'];

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
  created_at: string;
  updated_at: string;
}
export type RegistryMember = Selectable<RegistryMemberTable>;
export type NewRegistryMember = Insertable<RegistryMemberTable>;
