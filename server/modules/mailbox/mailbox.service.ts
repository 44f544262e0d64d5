import type { Db } from '../../db/database.js';
import type { CapturedEmail } from '../../email/outbox.table.js';
import type { MailboxRepository } from './mailbox.repository.js';

/** The list shows the newest emails: enough to find the one just sent. */
const LIST_LIMIT = 200;

/** The emails the `capture` transport kept, newest first, optionally for one recipient. */
export class MailboxService {
  constructor(
    private readonly db: Db,
    private readonly repository: MailboxRepository,
  ) {}

  list(recipient?: string): Promise<Omit<CapturedEmail, 'html_body' | 'text_body'>[]> {
    return this.repository.list(this.db, LIST_LIMIT, recipient);
  }

  find(id: string): Promise<CapturedEmail | undefined> {
    return this.repository.find(this.db, id);
  }
}
