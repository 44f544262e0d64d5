import nodemailer from 'nodemailer';
import type { AppConfig } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { EmailAttachment } from './outbox.table.js';

export interface OutgoingEmail {
  outboxId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
}

/** Where delivered email goes: a real SMTP server, or the built-in mailbox table. */
export interface MailTransport {
  readonly kind: 'smtp' | 'capture';
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/** A delivery failure, reduced to what may be logged and stored: no addresses, no content. */
export class DeliveryError extends Error {
  constructor(
    readonly reason: string,
    readonly permanent: boolean,
  ) {
    super(reason);
    this.name = 'DeliveryError';
  }
}

export function smtpTransport(smtpUrl: string): MailTransport {
  // Pooled connections: a burst of emails reuses a few SMTP sessions instead of one each.
  const transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 3,
    connectionTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    async send(email) {
      try {
        await transporter.sendMail({
          from: email.from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
          ...(email.attachments?.length
            ? {
                attachments: email.attachments.map((a) => ({
                  filename: a.filename,
                  contentType: a.contentType,
                  content: Buffer.from(a.content, 'base64'),
                })),
              }
            : {}),
          messageId: `<${email.outboxId}@onecare>`,
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      } catch (err) {
        const e = err as { code?: string; responseCode?: number };
        const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
        throw new DeliveryError(
          [e.code ?? 'ESEND', e.responseCode ? `smtp ${e.responseCode}` : ''].filter(Boolean).join(' '),
          permanent,
        );
      }
    },
    close: () => transporter.close(),
  };
}

export function captureTransport(db: Db, clock: Clock): MailTransport {
  return {
    kind: 'capture',
    async send(email) {
      await db
        .insertInto('captured_emails')
        .values({
          id: newId(clock.now().getTime()),
          outbox_id: email.outboxId,
          sender: email.from,
          recipient: email.to,
          subject: email.subject,
          text_body: email.text,
          html_body: email.html,
          created_at: clock.now().toISOString(),
        })
        .onConflict((oc) => oc.column('outbox_id').doNothing())
        .execute();
    },
    close: () => {},
  };
}

export function createTransport(config: AppConfig, db: Db, clock: Clock): MailTransport {
  return config.mail.transport === 'smtp' ? smtpTransport(config.mail.smtpUrl) : captureTransport(db, clock);
}
