import type { Insertable } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import type { NewRegistryMember, PlanTable, RegistryMember } from './registry.table.js';

/** The columns an import may change; `id`, `created_at` stay, `updated_at` follows a change. */
export const REGISTRY_DATA_COLUMNS = [
  'surname',
  'given_name',
  'birth_date',
  'email',
  'plan_id',
  'role',
  'holder_cf',
  'coverage_start',
  'coverage_end',
] as const;

/** The only place with queries on plans and registry_members. */
export class RegistryRepository {
  constructor(readonly dialect: Dialect) {}

  async findPlansByCodes(db: Db, codes: string[]): Promise<{ id: string; code: string }[]> {
    if (codes.length === 0) return [];
    return db.selectFrom('plans').select(['id', 'code']).where('code', 'in', codes).execute();
  }

  /** Inserts the plan unless its code exists (another import may create it at the same time). */
  async insertPlanIfMissing(db: Db, plan: Insertable<PlanTable>): Promise<boolean> {
    const rows = await db
      .insertInto('plans')
      .values(plan)
      .onConflict((oc) => oc.column('code').doNothing())
      .returning('id')
      .execute();
    return rows.length > 0;
  }

  async findMembersByCf(db: Db, cfs: string[]): Promise<RegistryMember[]> {
    if (cfs.length === 0) return [];
    return db.selectFrom('registry_members').selectAll().where('codice_fiscale', 'in', cfs).execute();
  }

  /**
   * Inserts new codici fiscali and updates the rows whose data differ, in one statement (atomic on
   * its own). A row whose data are all equal is not touched. Returns the rows written: the id is
   * the one given for an insert, the existing one for an update; unchanged rows are not returned.
   * The codici fiscali of `rows` must be distinct.
   */
  async upsertMembers(db: Db, rows: NewRegistryMember[]): Promise<{ id: string; codice_fiscale: string }[]> {
    if (rows.length === 0) return [];
    return db
      .insertInto('registry_members')
      .values(rows)
      .onConflict((oc) =>
        oc
          .column('codice_fiscale')
          .doUpdateSet((eb) => ({
            ...Object.fromEntries(REGISTRY_DATA_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)])),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where((eb) =>
            eb.or(
              REGISTRY_DATA_COLUMNS.map((c) =>
                eb(`registry_members.${c}`, 'is distinct from', eb.ref(`excluded.${c}`)),
              ),
            ),
          ),
      )
      .returning(['id', 'codice_fiscale'])
      .execute();
  }

  /** Dependants whose titolare_cf matches no member of the registry. */
  async countDependantsWithoutHolder(db: Db): Promise<number> {
    const row = await db
      .selectFrom('registry_members as r')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('r.holder_cf', 'is not', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('registry_members as h')
              .select('h.id')
              .whereRef('h.codice_fiscale', '=', 'r.holder_cf'),
          ),
        ),
      )
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
