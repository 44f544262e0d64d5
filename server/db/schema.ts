import type { CapturedEmailTable, OutboxEmailTable } from '../email/outbox.table.js';
import type { SessionTable } from '../modules/auth/sessions.table.js';

export interface AppMetaTable {
  key: string;
  value: string;
}

/** Every table the application reads or writes. Each module owns its table interfaces. */
export interface Database {
  app_meta: AppMetaTable;
  outbox_emails: OutboxEmailTable;
  captured_emails: CapturedEmailTable;
  sessions: SessionTable;
}
