import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { StaffEnrolmentTable, StaffUser, StaffUserTable } from './staff.table.js';

/** The only place with queries on staff users, their enrolment links and recovery codes. */
export class StaffRepository {
  findByUsername(db: Db, username: string): Promise<StaffUser | undefined> {
    return db.selectFrom('staff_users').selectAll().where('username', '=', username).executeTakeFirst();
  }

  findById(db: Db, id: string): Promise<StaffUser | undefined> {
    return db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insert(db: Db, row: Insertable<StaffUserTable>): Promise<void> {
    await db.insertInto('staff_users').values(row).execute();
  }

  async update(db: Db, id: string, changes: Partial<Omit<StaffUserTable, 'id'>>): Promise<void> {
    await db.updateTable('staff_users').set(changes).where('id', '=', id).execute();
  }

  /** Adds one consecutive failed login to the user; returns the new count. */
  async addFailedLogin(db: Db, id: string): Promise<number> {
    const row = await db
      .updateTable('staff_users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', id)
      .returning('failed_logins')
      .executeTakeFirst();
    return row?.failed_logins ?? 0;
  }

  /** Records a TOTP step as used; false when this or a later step was already used (a replay). */
  async consumeTotpStep(db: Db, id: string, step: number): Promise<boolean> {
    const r = await db
      .updateTable('staff_users')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async insertEnrolment(db: Db, row: Insertable<StaffEnrolmentTable>): Promise<void> {
    await db.insertInto('staff_enrolments').values(row).execute();
  }

  findLiveEnrolment(db: Db, lookup: string, now: string) {
    return db
      .selectFrom('staff_enrolments')
      .selectAll()
      .where('lookup', '=', lookup)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  async updateEnrolment(
    db: Db,
    id: string,
    changes: Partial<Omit<StaffEnrolmentTable, 'id'>>,
  ): Promise<void> {
    await db.updateTable('staff_enrolments').set(changes).where('id', '=', id).execute();
  }

  async revokeEnrolments(db: Db, staffId: string, now: string): Promise<void> {
    await db
      .updateTable('staff_enrolments')
      .set({ used_at: now })
      .where('staff_id', '=', staffId)
      .where('used_at', 'is', null)
      .execute();
  }

  async replaceRecoveryCodes(
    db: Db,
    staffId: string,
    rows: { id: string; code_hash: string }[],
  ): Promise<void> {
    await db.deleteFrom('staff_recovery_codes').where('staff_id', '=', staffId).execute();
    await db
      .insertInto('staff_recovery_codes')
      .values(rows.map((r) => ({ ...r, staff_id: staffId, used_at: null })))
      .execute();
  }

  /** Uses a recovery code; false when it is unknown or already used. */
  async consumeRecoveryCode(db: Db, staffId: string, codeHash: string, now: string): Promise<boolean> {
    const r = await db
      .updateTable('staff_recovery_codes')
      .set({ used_at: now })
      .where('staff_id', '=', staffId)
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteRecoveryCodes(db: Db, staffId: string): Promise<void> {
    await db.deleteFrom('staff_recovery_codes').where('staff_id', '=', staffId).execute();
  }

  /** Every staff user, by username (a back office has tens of them, not thousands). */
  list(db: Db): Promise<StaffUser[]> {
    return db.selectFrom('staff_users').selectAll().orderBy('username').execute();
  }

  /**
   * Takes the write lock on every administrator row for the rest of the transaction, on both
   * databases (an UPDATE that changes nothing: row locks on PostgreSQL, the write lock on SQLite),
   * so two administrators acting on each other at once cannot both pass the last-administrator check.
   */
  async lockAdministrators(db: Db): Promise<void> {
    await db
      .updateTable('staff_users')
      .set((eb) => ({ role: eb.ref('role') }))
      .where('role', '=', 'administrator')
      .execute();
  }

  /**
   * Administrators who can sign in (enrolled, not disabled), but `exceptId`. A lock from failed
   * logins does not count: it ends by itself (decision 026).
   */
  async countActiveAdministrators(db: Db, exceptId: string): Promise<number> {
    const r = await db
      .selectFrom('staff_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'administrator')
      .where('id', '!=', exceptId)
      .where('disabled_at', 'is', null)
      .where('enrolled_at', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async recoveryCodesLeft(db: Db, staffId: string): Promise<number> {
    const r = await db
      .selectFrom('staff_recovery_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('staff_id', '=', staffId)
      .where('used_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
