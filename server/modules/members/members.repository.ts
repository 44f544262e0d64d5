import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import { startsWith } from '../../db/like.js';
import { columnsOf, preparedQuery } from '../../db/prepared-query.js';
import type {
  LoginThrottleTable,
  MemberAccount,
  MemberAccountTable,
  RegistrationRequest,
  RegistrationRequestStatus,
  RegistrationRequestTable,
  Verification,
  VerificationPurpose,
  VerificationTable,
} from './members.table.js';

const ACCOUNT_COLUMNS = columnsOf<MemberAccountTable>()([
  'id',
  'registry_member_id',
  'username',
  'email',
  'locale',
  'password_hash',
  'must_change_password',
  'temp_password_expires_at',
  'password_changed_at',
  'failed_logins',
  'password_locked_at',
  'created_at',
  'phone',
  'iban',
  'iban_holder',
  'iban_changed_at',
  'iban_frozen_at',
  'totp_secret_sealed',
  'totp_pending_sealed',
  'totp_last_step',
  'totp_enabled_at',
]);

/** Every member request asks this, after the session: compiled once, its columns named (decision 059). */
const accountById = preparedQuery((db: Db, p: { id: string }) =>
  db.selectFrom('member_accounts').select(ACCOUNT_COLUMNS).where('id', '=', p.id),
);

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
    return accountById.executeTakeFirst(db, { id });
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
      .where((eb) => startsWith(eb.ref('username'), base))
      .execute();
    return rows.map((r) => r.username);
  }

  async insertAccount(db: Db, row: Insertable<MemberAccountTable>): Promise<void> {
    await db.insertInto('member_accounts').values(row).execute();
  }

  async updateAccount(db: Db, id: string, changes: Partial<Omit<MemberAccountTable, 'id'>>): Promise<void> {
    await db.updateTable('member_accounts').set(changes).where('id', '=', id).execute();
  }

  /** Adds one consecutive failed login to the account; returns the new count. */
  async addFailedLogin(db: Db, id: string): Promise<number> {
    const row = await db
      .updateTable('member_accounts')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', id)
      .returning('failed_logins')
      .executeTakeFirst();
    return row?.failed_logins ?? 0;
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

  /**
   * Deletes verifications dead (used, revoked or expired) since before `before`, except the newest
   * activation of each registry member: the back office resends a ticket to its address when the
   * registry has none.
   */
  async purgeVerifications(db: Db, before: string): Promise<number> {
    const r = await db
      .deleteFrom('verifications')
      .where((eb) =>
        eb.or([
          eb('used_at', '<', before),
          eb.and([eb('used_at', 'is', null), eb('expires_at', '<', before)]),
        ]),
      )
      .where((eb) =>
        eb.or([
          eb('purpose', '!=', 'activation'),
          eb.exists(
            eb
              .selectFrom('verifications as newer')
              .select('newer.id')
              .where('newer.purpose', '=', 'activation')
              .whereRef('newer.registry_member_id', '=', 'verifications.registry_member_id')
              .whereRef('newer.created_at', '>', 'verifications.created_at'),
          ),
        ]),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
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
  /** Deletes failure counters whose last failure is older than `before`. */
  async purgeThrottles(db: Db, before: string): Promise<number> {
    const r = await db.deleteFrom('login_throttles').where('last_failure_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async throttles(db: Db, keys: string[]) {
    return db.selectFrom('login_throttles').selectAll().where('key', 'in', keys).execute();
  }

  /** A first failure for a key; false when another request created the counter first. */
  async insertThrottle(db: Db, key: string, now: string): Promise<boolean> {
    const r = await db
      .insertInto('login_throttles')
      .values({ key, failures: 1, last_failure_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  /** Writes a counter's new value if it still holds `from`; false when another request changed it. */
  async replaceThrottle(db: Db, from: LoginThrottleTable, to: LoginThrottleTable): Promise<boolean> {
    const r = await db
      .updateTable('login_throttles')
      .set({ failures: to.failures, last_failure_at: to.last_failure_at })
      .where('key', '=', from.key)
      .where('failures', '=', from.failures)
      .where('last_failure_at', '=', from.last_failure_at)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * One more failure for `key` in one statement, the count starting again at 1 when the last
   * failure is older than `resetBefore` (a fixed window, as the card-number guesses use).
   */
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
