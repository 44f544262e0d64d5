import type { Db } from '../db/database.js';
import type { ScheduledJobRow } from './scheduled-jobs.table.js';

/** Queries on `scheduled_jobs`: the same statements on SQLite and PostgreSQL. */
export class ScheduledJobsRepository {
  /** Adds the job's row unless another instance (or an earlier start) already did. */
  async ensure(db: Db, name: string, firstRunAt: string): Promise<void> {
    await db
      .insertInto('scheduled_jobs')
      .values({
        name,
        next_run_at: firstRunAt,
        locked_until: null,
        locked_by: null,
        last_run_at: null,
        last_error: null,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }

  /**
   * Claims a due job for `runner` until `lockedUntil`; true when this call took it. One
   * conditional UPDATE: SQLite runs it alone; on PostgreSQL a concurrent claim waits for the row
   * lock, then re-checks the condition against the committed row and changes nothing.
   */
  async claim(db: Db, name: string, now: string, lockedUntil: string, runner: string): Promise<boolean> {
    const r = await db
      .updateTable('scheduled_jobs')
      .set({ locked_until: lockedUntil, locked_by: runner })
      .where('name', '=', name)
      .where('next_run_at', '<=', now)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Releases the claim and sets the next run; ignored when the claim was lost (lease ran out). */
  async finish(
    db: Db,
    name: string,
    runner: string,
    run: { at: string; nextRunAt: string; error: string | null },
  ): Promise<boolean> {
    const r = await db
      .updateTable('scheduled_jobs')
      .set({
        next_run_at: run.nextRunAt,
        last_run_at: run.at,
        last_error: run.error,
        locked_until: null,
        locked_by: null,
      })
      .where('name', '=', name)
      .where('locked_by', '=', runner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  find(db: Db, name: string): Promise<ScheduledJobRow | undefined> {
    return db.selectFrom('scheduled_jobs').selectAll().where('name', '=', name).executeTakeFirst();
  }
}
