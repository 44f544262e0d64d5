import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import type {
  MemberAccount,
  MemberAccountTable,
  RegistrationRequest,
  RegistrationRequestStatus,
  RegistrationRequestTable,
  Verification,
  VerificationPurpose,
  VerificationTable,
} from './members.table.js';

/** Queries on member accounts, emailed verifications and login throttles. */
export class MembersRepository {
  // ── registry (read side used by the account flows) ─────────────────────────────────────────
  findRegistryMemberByCf(db: Db, cf: string) {
    return db.selectFrom('registry_members').selectAll().where('codice_fiscale', '=', cf).executeTakeFirst();
  }

  findRegistryMemberById(db: Db, id: string) {
    return db.selectFrom('registry_members').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findRegistryMemberWithPlan(db: Db, id: string) {
    return db
      .selectFrom('registry_members as r')
      .innerJoin('plans as p', 'p.id', 'r.plan_id')
      .select([
        'r.id',
        'r.codice_fiscale',
        'r.surname',
        'r.given_name',
        'r.birth_date',
        'r.role',
        'r.coverage_start',
        'r.coverage_end',
        'p.code as plan_code',
        'p.name as plan_name',
      ])
      .where('r.id', '=', id)
      .executeTakeFirst();
  }

  // ── accounts ───────────────────────────────────────────────────────────────────────────────
  findAccountByUsername(db: Db, username: string): Promise<MemberAccount | undefined> {
    return db.selectFrom('member_accounts').selectAll().where('username', '=', username).executeTakeFirst();
  }

  findAccountById(db: Db, id: string): Promise<MemberAccount | undefined> {
    return db.selectFrom('member_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findAccountByRegistryMember(db: Db, registryMemberId: string): Promise<MemberAccount | undefined> {
    return db
      .selectFrom('member_accounts')
      .selectAll()
      .where('registry_member_id', '=', registryMemberId)
      .executeTakeFirst();
  }

  async usernamesStartingWith(db: Db, base: string): Promise<string[]> {
    const rows = await db
      .selectFrom('member_accounts')
      .select('username')
      .where('username', 'like', `${base}%`)
      .execute();
    return rows.map((r) => r.username);
  }

  async insertAccount(db: Db, row: Insertable<MemberAccountTable>): Promise<void> {
    await db.insertInto('member_accounts').values(row).execute();
  }

  async updateAccount(db: Db, id: string, changes: Partial<Omit<MemberAccountTable, 'id'>>): Promise<void> {
    await db.updateTable('member_accounts').set(changes).where('id', '=', id).execute();
  }

  /** Adds one failed login and locks the password at `lockAt` failures; returns the new count. */
  async addFailedLogin(db: Db, id: string, now: string, lockAt: number): Promise<number> {
    const row = await db
      .updateTable('member_accounts')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', id)
      .returning('failed_logins')
      .executeTakeFirst();
    const count = row?.failed_logins ?? 0;
    if (count >= lockAt) {
      await db
        .updateTable('member_accounts')
        .set({ password_locked_at: now })
        .where('id', '=', id)
        .where('password_locked_at', 'is', null)
        .execute();
    }
    return count;
  }

  // ── verifications (tickets, reset links) ───────────────────────────────────────────────────
  async insertVerification(db: Db, row: Insertable<VerificationTable>): Promise<void> {
    await db.insertInto('verifications').values(row).execute();
  }

  findLiveVerifications(
    db: Db,
    purpose: VerificationPurpose,
    lookup: string,
    now: string,
  ): Promise<Verification[]> {
    return db
      .selectFrom('verifications')
      .selectAll()
      .where('purpose', '=', purpose)
      .where('lookup', '=', lookup)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
  }

  lastVerification(
    db: Db,
    purpose: VerificationPurpose,
    registryMemberId: string,
  ): Promise<Verification | undefined> {
    return db
      .selectFrom('verifications')
      .selectAll()
      .where('purpose', '=', purpose)
      .where('registry_member_id', '=', registryMemberId)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The last activation ticket whose address was proven (decision 027): older rows do not count. */
  lastProvenActivation(db: Db, registryMemberId: string): Promise<Verification | undefined> {
    return db
      .selectFrom('verifications')
      .selectAll()
      .where('purpose', '=', 'activation')
      .where('registry_member_id', '=', registryMemberId)
      .where('address_proof', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async addFailedAttempt(db: Db, id: string): Promise<void> {
    await db
      .updateTable('verifications')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /** Marks a verification used; false when another request used it first. */
  async consumeVerification(db: Db, id: string, now: string): Promise<boolean> {
    const r = await db
      .updateTable('verifications')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Kills every live verification of a purpose for a person (issuing a new one kills the old). */
  async revokeVerifications(
    db: Db,
    purpose: VerificationPurpose,
    by: { registryMemberId?: string; accountId?: string },
    now: string,
  ): Promise<void> {
    let q = db
      .updateTable('verifications')
      .set({ used_at: now })
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null);
    if (by.registryMemberId) q = q.where('registry_member_id', '=', by.registryMemberId);
    if (by.accountId) q = q.where('account_id', '=', by.accountId);
    await q.execute();
  }

  // ── registration requests waiting for the back office ──────────────────────────────────────
  async insertRegistrationRequest(db: Db, row: Insertable<RegistrationRequestTable>): Promise<void> {
    await db.insertInto('registration_requests').values(row).execute();
  }

  /** A newer request for the same member replaces the pending ones. */
  async supersedeRegistrationRequests(db: Db, registryMemberId: string, now: string): Promise<void> {
    await db
      .updateTable('registration_requests')
      .set({ status: 'superseded', decided_at: now })
      .where('registry_member_id', '=', registryMemberId)
      .where('status', '=', 'pending')
      .execute();
  }

  /** Pending and not expired, oldest first, with the registry member each one matched. */
  pendingRegistrationRequests(db: Db, now: string, limit: number) {
    return db
      .selectFrom('registration_requests as q')
      .innerJoin('registry_members as r', 'r.id', 'q.registry_member_id')
      .selectAll('q')
      .select([
        'r.surname as member_surname',
        'r.given_name as member_given_name',
        'r.codice_fiscale as member_codice_fiscale',
        'r.birth_date as member_birth_date',
        (eb) =>
          eb
            .selectFrom('registration_requests as e')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('e.registry_member_id', '=', 'q.registry_member_id')
            .where('e.status', '=', 'superseded')
            .as('earlier_requests'),
      ])
      .where('q.status', '=', 'pending')
      .where('q.expires_at', '>', now)
      .orderBy('q.created_at')
      .orderBy('q.id')
      .limit(limit)
      .execute();
  }

  findRegistrationRequest(db: Db, id: string): Promise<RegistrationRequest | undefined> {
    return db.selectFrom('registration_requests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Decides a pending, unexpired request; false when it was decided, replaced or expired meanwhile. */
  async decideRegistrationRequest(
    db: Db,
    id: string,
    status: Extract<RegistrationRequestStatus, 'confirmed' | 'rejected'>,
    staffId: string,
    now: string,
  ): Promise<boolean> {
    const r = await db
      .updateTable('registration_requests')
      .set({ status, decided_by: staffId, decided_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  // ── login throttles ────────────────────────────────────────────────────────────────────────
  async throttles(db: Db, keys: string[]) {
    return db.selectFrom('login_throttles').selectAll().where('key', 'in', keys).execute();
  }

  async addThrottleFailure(db: Db, key: string, now: string, resetBefore: string): Promise<void> {
    await db
      .insertInto('login_throttles')
      .values({ key, failures: 1, last_failure_at: now })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          failures: eb
            .case()
            .when('login_throttles.last_failure_at', '<', resetBefore)
            .then(1)
            .else(eb('login_throttles.failures', '+', 1))
            .end(),
          last_failure_at: now,
        })),
      )
      .execute();
  }

  async clearThrottles(db: Db, keys: string[]): Promise<void> {
    await db.deleteFrom('login_throttles').where('key', 'in', keys).execute();
  }
}
