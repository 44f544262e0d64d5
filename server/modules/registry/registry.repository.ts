import { type Insertable, sql } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import { columnsOf } from '../../db/prepared-query.js';
import type { PlanTable } from '../plans/index.js';
import type { NewRegistryMember, RegistryMember, RegistryMemberTable } from './registry.table.js';

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
  'card_number',
] as const;

/**
 * The data columns a file without the optional `numero_tessera` column may change: such a file says
 * nothing about card numbers, so the ones on file stay.
 */
export const REGISTRY_DATA_COLUMNS_KEEPING_CARD = REGISTRY_DATA_COLUMNS.filter((c) => c !== 'card_number');

/** Which columns an import's upsert updates: all, or all but the card number (see above). */
export type CardColumn = 'write' | 'keep';

/**
 * Every column of registry_members, in the order upsertMembers sends them (and the import thread's
 * row text); checked against the table's type. Queries reading whole rows name these (decision 059).
 */
export const REGISTRY_MEMBER_COLUMNS = columnsOf<RegistryMemberTable>()([
  'id',
  'codice_fiscale',
  ...REGISTRY_DATA_COLUMNS,
  'created_at',
  'updated_at',
]);

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
    // One parameter, however many codici fiscali: the statement text never changes (SQLite
    // prepares it cheaply, PostgreSQL receives one value instead of thousands).
    const list = JSON.stringify(cfs);
    const query =
      this.dialect === 'postgres'
        ? sql<RegistryMember>`select * from registry_members where codice_fiscale in (select json_array_elements_text(${list}::json))`
        : sql<RegistryMember>`select * from registry_members where codice_fiscale in (select value from json_each(${list}))`;
    return (await query.execute(db)).rows;
  }

  /**
   * Inserts new codici fiscali and updates the rows whose data differ, in one statement (atomic on
   * its own). A row whose data are all equal is not touched. Returns the rows written: the id is
   * the one given for an insert, the existing one for an update; unchanged rows are not returned.
   * The codici fiscali of `rows` must be distinct.
   *
   * The rows travel as one JSON parameter (an array of arrays, in REGISTRY_MEMBER_COLUMNS order) unpacked
   * by the database: the statement text is the same for every batch, so nothing is built per row
   * on our side and there is no limit on bound parameters (SQLite 32,766, PostgreSQL 65,535).
   */
  async upsertMembers(
    db: Db,
    rows: NewRegistryMember[],
    card: CardColumn = 'write',
  ): Promise<{ id: string; codice_fiscale: string }[]> {
    if (rows.length === 0) return [];
    const json = JSON.stringify(rows.map((r) => REGISTRY_MEMBER_COLUMNS.map((c) => r[c] ?? null)));
    return (
      await sql<{
        id: string;
        codice_fiscale: string;
      }>`${sql.raw(this.upsertHead())}${json}${sql.raw(this.upsertTail(card))}`.execute(db)
    ).rows;
  }

  /**
   * SQLite, one row at a time (the import's writing thread, member-writers.ts): an insert that
   * leaves an existing codice fiscale alone, and the upsert that updates it when a data column
   * differs. Both take one row's values in `columns` order.
   */
  sqliteRowStatements(): {
    columns: readonly (keyof NewRegistryMember)[];
    insert: string;
    upsert: string;
    upsertKeepingCard: string;
  } {
    const columns = REGISTRY_MEMBER_COLUMNS.join(', ');
    const values = `values (${REGISTRY_MEMBER_COLUMNS.map(() => '?').join(', ')})`;
    return {
      columns: REGISTRY_MEMBER_COLUMNS,
      insert: `insert into registry_members (${columns}) ${values} on conflict (codice_fiscale) do nothing`,
      upsert: `insert into registry_members (${columns}) ${values}${this.conflictClause('write')}`,
      upsertKeepingCard: `insert into registry_members (${columns}) ${values}${this.conflictClause('keep')}`,
    };
  }

  /**
   * PostgreSQL, a batch at a time (member-writers.ts): a temporary table of the import's
   * connection, emptied at each commit, filled by COPY and moved into the registry by the upsert.
   */
  postgresCopyStatements(): {
    columns: readonly (keyof NewRegistryMember)[];
    create: string;
    copy: string;
    upsert: string;
    upsertKeepingCard: string;
    drop: string;
  } {
    const columns = REGISTRY_MEMBER_COLUMNS.join(', ');
    return {
      columns: REGISTRY_MEMBER_COLUMNS,
      create:
        'create temporary table if not exists registry_import_rows (like registry_members) on commit delete rows',
      copy: `copy registry_import_rows (${columns}) from stdin`,
      upsert: `insert into registry_members (${columns}) select ${columns} from registry_import_rows${this.conflictClause('write')} returning id, codice_fiscale`,
      upsertKeepingCard: `insert into registry_members (${columns}) select ${columns} from registry_import_rows${this.conflictClause('keep')} returning id, codice_fiscale`,
      drop: 'drop table if exists pg_temp.registry_import_rows',
    };
  }

  private upsertHead(): string {
    const columns = REGISTRY_MEMBER_COLUMNS.join(', ');
    const pick = (at: (i: number) => string) => REGISTRY_MEMBER_COLUMNS.map((_, i) => at(i)).join(', ');
    return this.dialect === 'postgres'
      ? `insert into registry_members (${columns}) select ${pick((i) => `r.value ->> ${i}`)} from json_array_elements(`
      : `insert into registry_members (${columns}) select ${pick((i) => `value ->> ${i}`)} from json_each(`;
  }

  private upsertTail(card: CardColumn): string {
    // SQLite needs the `where true` to read `on conflict` as the upsert clause of an insert … select.
    return `${this.dialect === 'postgres' ? '::json) as r' : ') where true'}${this.conflictClause(card)} returning id, codice_fiscale`;
  }

  /** Update an existing codice fiscale only when one of its data columns differs. */
  private conflictClause(card: CardColumn): string {
    const data = card === 'write' ? REGISTRY_DATA_COLUMNS : REGISTRY_DATA_COLUMNS_KEEPING_CARD;
    const set = [...data, 'updated_at'].map((c) => `${c} = excluded.${c}`).join(', ');
    const changed = data.map((c) => `registry_members.${c} is distinct from excluded.${c}`).join(' or ');
    return ` on conflict (codice_fiscale) do update set ${set} where ${changed}`;
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
