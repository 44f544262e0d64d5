import type { Db } from '../../db/database.js';
import type { PlanVersion } from './plans.table.js';

/** Queries on plans and their versions. */
export class PlansRepository {
  listWithCurrentVersion(db: Db) {
    return db
      .selectFrom('plans as p')
      .leftJoin('plan_versions as v', 'v.plan_id', 'p.id')
      .select(['p.id', 'p.code', 'p.name', (eb) => eb.fn.max('v.version').as('current_version')])
      .groupBy(['p.id', 'p.code', 'p.name'])
      .orderBy('p.code')
      .execute();
  }

  findPlanByCode(db: Db, code: string) {
    return db.selectFrom('plans').selectAll().where('code', '=', code).executeTakeFirst();
  }

  /** Newest first, with the username of whoever saved each one. */
  versions(db: Db, planId: string): Promise<(PlanVersion & { author: string | null })[]> {
    return db
      .selectFrom('plan_versions as v')
      .leftJoin('staff_users as s', 's.id', 'v.created_by')
      .selectAll('v')
      .select('s.username as author')
      .where('v.plan_id', '=', planId)
      .orderBy('v.version', 'desc')
      .execute();
  }

  /** The newest version of a plan (number, author), or undefined when it has none. */
  latestVersion(db: Db, planId: string) {
    return db
      .selectFrom('plan_versions as v')
      .leftJoin('staff_users as s', 's.id', 'v.created_by')
      .select(['v.version', 'v.created_at', 's.username as author'])
      .where('v.plan_id', '=', planId)
      .orderBy('v.version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async insertPlan(
    db: Db,
    row: { id: string; code: string; name: string; created_at: string },
  ): Promise<void> {
    await db.insertInto('plans').values(row).execute();
  }

  async renamePlan(db: Db, id: string, name: string): Promise<void> {
    await db.updateTable('plans').set({ name }).where('id', '=', id).execute();
  }

  /** Refused by the unique (plan, version) constraint when that number is taken: see `isUniqueViolation`. */
  async insertVersion(db: Db, row: PlanVersion): Promise<void> {
    await db.insertInto('plan_versions').values(row).execute();
  }
}
