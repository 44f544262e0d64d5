import type { Insertable, Selectable } from 'kysely';

/** A plan of the fund: its code (what the registry file names) and its display name. */
export interface PlanTable {
  id: string;
  code: string;
  name: string;
  created_at: string;
}
export type Plan = Selectable<PlanTable>;
export type NewPlan = Insertable<PlanTable>;

/** One version of a plan's rules (JSON of PlanRules, contracts/plans.ts). */
export interface PlanVersionTable {
  id: string;
  plan_id: string;
  version: number;
  rules: string;
  /** The staff user who saved it; null for versions made by the system (imports, demo). */
  created_by: string | null;
  created_at: string;
}
export type PlanVersion = Selectable<PlanVersionTable>;
