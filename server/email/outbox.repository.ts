import { sql } from 'kysely';
import type { Db, Dialect } from '../db/database.js';
import type { NewOutboxEmail, OutboxEmail } from './outbox.table.js';

/** The only place with queries on outbox_emails. */
export class OutboxRepository {
  constructor(private readonly dialect: Dialect) {}

  async insert(db: Db, row: NewOutboxEmail): Promise<void> {
    await db
      .insertInto('outbox_emails')
      .values(row)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }

  /**
   * Takes up to `limit` due emails for this worker by setting a lease on them. On PostgreSQL the
   * candidate rows are locked with SKIP LOCKED, so concurrent instances never take the same email;
   * SQLite has a single writer, and the statement is atomic.
   */
  async claimDue(db: Db, now: string, leaseUntil: string, limit: number): Promise<OutboxEmail[]> {
    const lock = this.dialect === 'postgres' ? sql`for update skip locked` : sql``;
    const result = await sql<OutboxEmail>`
      update outbox_emails
         set locked_until = ${leaseUntil}, attempts = attempts + 1
       where id in (
         select id from outbox_emails
          where status = 'pending' and next_attempt_at <= ${now}
            and (locked_until is null or locked_until <= ${now})
          order by next_attempt_at, id
          limit ${limit}
          ${lock})
      returning *`.execute(db);
    return result.rows;
  }

  async markSent(db: Db, id: string, sentAt: string): Promise<void> {
    await db
      .updateTable('outbox_emails')
      .set({
        status: 'sent',
        sent_at: sentAt,
        locked_until: null,
        last_error: null,
        text_body: null,
        html_body: null,
        attachments: null,
      })
      .where('id', '=', id)
      .execute();
  }

  async markRetry(db: Db, id: string, nextAttemptAt: string, reason: string): Promise<void> {
    await db
      .updateTable('outbox_emails')
      .set({ next_attempt_at: nextAttemptAt, locked_until: null, last_error: reason })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(db: Db, id: string, reason: string): Promise<void> {
    await db
      .updateTable('outbox_emails')
      .set({ status: 'failed', locked_until: null, last_error: reason })
      .where('id', '=', id)
      .execute();
  }

  async countByStatus(db: Db): Promise<Record<string, number>> {
    const rows = await db
      .selectFrom('outbox_emails')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Puts failed emails back in the queue (after the cause, e.g. a wrong SMTP setting, is fixed). */
  async requeueFailed(db: Db, now: string): Promise<number> {
    const result = await db
      .updateTable('outbox_emails')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, last_error: null })
      .where('status', '=', 'failed')
      .where('text_body', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
