import type { Db } from '../../db/database.js';
import type { CapturedEmail } from '../../email/outbox.table.js';

export class MailboxRepository {
  async list(
    db: Db,
    limit: number,
    recipient?: string,
  ): Promise<Omit<CapturedEmail, 'html_body' | 'text_body'>[]> {
    let q = db
      .selectFrom('captured_emails')
      .select(['id', 'outbox_id', 'sender', 'recipient', 'subject', 'created_at'])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit);
    if (recipient) q = q.where('recipient', '=', recipient);
    return q.execute();
  }

  async find(db: Db, id: string): Promise<CapturedEmail | undefined> {
    return db.selectFrom('captured_emails').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
