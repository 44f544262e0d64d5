import type { MeResponse } from '#contracts/auth.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import type { MembersRepository } from './members.repository.js';
import type { MemberAccount } from './members.table.js';

/** The member's own data, and the purge of member rows nobody can use any more. */
export class MembersService {
  constructor(
    private readonly db: Db,
    private readonly repository: MembersRepository,
  ) {}

  /** The logged-in member: name, plan and coverage. NOT_FOUND when the registry row is gone. */
  async me(account: Pick<MemberAccount, 'username' | 'registry_member_id'>): Promise<MeResponse> {
    const row = await this.repository.findRegistryMemberWithPlan(this.db, account.registry_member_id);
    if (!row) throw new AppError('NOT_FOUND');
    return {
      username: account.username,
      surname: row.surname,
      name: row.given_name,
      role: row.role,
      plan: { code: row.plan_code, name: row.plan_name },
      coverage: { start: row.coverage_start, end: row.coverage_end },
    };
  }

  /** Deletes login failure counters whose last failure is older than `before`. */
  purgeThrottles(before: string): Promise<number> {
    return this.repository.purgeThrottles(this.db, before);
  }

  /** Deletes verifications dead since before `before` (see MembersRepository.purgeVerifications). */
  purgeVerifications(before: string): Promise<number> {
    return this.repository.purgeVerifications(this.db, before);
  }
}
