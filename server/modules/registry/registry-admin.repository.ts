import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import { startsWith } from '../../db/like.js';
import type { RegistryImport, RegistryImportStatus, RegistryImportTable } from './registry.table.js';

/** What the back office needs of a registry member: the row, the plan and the account. */
const MEMBER_COLUMNS = [
  'r.id',
  'r.codice_fiscale',
  'r.surname',
  'r.given_name',
  'r.birth_date',
  'r.email',
  'r.role',
  'r.holder_cf',
  'r.coverage_start',
  'r.coverage_end',
  // Only whether it is set reaches the back office (toMemberView in registry-admin.service.ts).
  'r.card_number',
  'p.code as plan_code',
  'p.name as plan_name',
  'a.id as account_id',
  'a.username',
  'a.password_locked_at',
  'a.failed_logins',
] as const;

/** A registry member with the plan and the account, as the back office's queries return it. */
export type RegistryMemberRow = NonNullable<Awaited<ReturnType<RegistryAdminRepository['findMember']>>>;

/** Queries of the back office's registry screens: uploads, search, the member page. */
export class RegistryAdminRepository {
  async insertImport(db: Db, row: Insertable<RegistryImportTable>): Promise<void> {
    await db.insertInto('registry_imports').values(row).execute();
  }

  async updateImport(db: Db, id: string, changes: Partial<Omit<RegistryImportTable, 'id'>>): Promise<void> {
    await db.updateTable('registry_imports').set(changes).where('id', '=', id).execute();
  }

  /** Moves an import from one status to another; false when it was not in `from` (a concurrent apply). */
  async transitionImport(
    db: Db,
    id: string,
    from: RegistryImportStatus,
    changes: Partial<Omit<RegistryImportTable, 'id'>>,
  ) {
    const r = await db
      .updateTable('registry_imports')
      .set(changes)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  findImport(db: Db, id: string): Promise<RegistryImport | undefined> {
    return db.selectFrom('registry_imports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listImports(db: Db, limit: number) {
    return db
      .selectFrom('registry_imports as i')
      .leftJoin('staff_users as s', 's.id', 'i.staff_id')
      .selectAll('i')
      .select('s.username as uploaded_by')
      .orderBy('i.created_at', 'desc')
      .limit(limit)
      .execute();
  }

  private members(db: Db) {
    return db
      .selectFrom('registry_members as r')
      .innerJoin('plans as p', 'p.id', 'r.plan_id')
      .leftJoin('member_accounts as a', 'a.registry_member_id', 'r.id')
      .select(MEMBER_COLUMNS);
  }

  /** By codice fiscale (exact), email (exact, case-insensitive) or words of the name (prefixes, wildcards escaped). */
  search(db: Db, query: { cf?: string; email?: string; words?: string[] }, limit: number) {
    let q = this.members(db).orderBy('r.surname').orderBy('r.given_name').limit(limit);
    if (query.cf) q = q.where('r.codice_fiscale', '=', query.cf);
    if (query.email) q = q.where('r.email', '=', query.email);
    for (const w of query.words ?? []) {
      q = q.where((eb) =>
        eb.or([
          startsWith(eb.fn<string>('lower', ['r.surname']), w),
          startsWith(eb.fn<string>('lower', ['r.given_name']), w),
        ]),
      );
    }
    return q.execute();
  }

  findMember(db: Db, id: string) {
    return this.members(db).where('r.id', '=', id).executeTakeFirst();
  }

  /** The family unit: the titolare and everyone whose titolare it is. */
  family(db: Db, holderCf: string) {
    return this.members(db)
      .where((eb) => eb.or([eb('r.codice_fiscale', '=', holderCf), eb('r.holder_cf', '=', holderCf)]))
      .orderBy('r.birth_date')
      .execute();
  }

  async hasLiveActivation(db: Db, registryMemberId: string, now: string): Promise<boolean> {
    const row = await db
      .selectFrom('verifications')
      .select('id')
      .where('purpose', '=', 'activation')
      .where('registry_member_id', '=', registryMemberId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .where('failed_attempts', '<', 5)
      .executeTakeFirst();
    return row !== undefined;
  }

  async endCoverage(db: Db, id: string, date: string, now: string): Promise<void> {
    await db
      .updateTable('registry_members')
      .set({ coverage_end: date, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async unlockAccount(db: Db, accountId: string): Promise<void> {
    await db
      .updateTable('member_accounts')
      .set({ password_locked_at: null, failed_logins: 0 })
      .where('id', '=', accountId)
      .execute();
  }
}
