import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type OutboxStatus = 'pending' | 'sent' | 'failed';

/** An email waiting to be delivered; written in the same transaction as the change that causes it. */
export interface OutboxEmailTable {
  id: string;
  /** Set by a caller that may retry: a second enqueue with the same key is ignored. */
  dedupe_key: string | null;
  template: string;
  locale: string;
  recipient: string;
  subject: string;
  /** Bodies are cleared once delivered: they may carry a one-time code. */
  text_body: string | null;
  html_body: string | null;
  /** JSON of EmailAttachment[] (content in base64); cleared with the bodies once delivered. */
  attachments: Generated<string | null>;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}
export type OutboxEmail = Selectable<OutboxEmailTable>;
export type NewOutboxEmail = Insertable<OutboxEmailTable>;
export type OutboxEmailUpdate = Updateable<OutboxEmailTable>;

/** What the `capture` transport delivered: the built-in mailbox of the embedded mode. */
export interface CapturedEmailTable {
  id: string;
  outbox_id: string;
  sender: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: string;
}
export type CapturedEmail = Selectable<CapturedEmailTable>;

/** A file attached to an email (the calendar file of a booking). */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** Base64. */
  content: string;
}
