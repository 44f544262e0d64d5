import type { Locale } from '#contracts/errors.js';
import type { AppConfig } from '../config/config.js';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import type { OutboxRepository } from './outbox.repository.js';
import type { EmailAttachment } from './outbox.table.js';
import { type TemplateData, type TemplateName, templates } from './templates/index.js';

export interface EnqueueEmail<T extends TemplateName> {
  to: string;
  template: T;
  locale: Locale;
  data: TemplateData<T>;
  /** A retry of the same request passes the same key, so it never queues a second email. */
  dedupeKey?: string;
  /** Files sent with the email (a calendar file): kept in the outbox row until delivered. */
  attachments?: EmailAttachment[];
}

/**
 * Queues emails. Call `enqueue` with the transaction of the change that causes the email: both
 * commit together, or neither does. The worker delivers what was committed.
 */
export class Outbox {
  private listeners: Array<() => void> = [];

  constructor(
    private readonly repository: OutboxRepository,
    private readonly config: Pick<AppConfig, 'publicUrl' | 'supportEmail' | 'supportPhone'>,
    private readonly clock: Clock,
  ) {}

  async enqueue<T extends TemplateName>(db: Db, email: EnqueueEmail<T>): Promise<string> {
    const render = templates[email.template] as (
      ctx: Parameters<(typeof templates)[T]>[0],
      data: TemplateData<T>,
    ) => {
      subject: string;
      text: string;
      html: string;
    };
    const rendered = render(
      {
        locale: email.locale,
        publicUrl: this.config.publicUrl.origin,
        supportEmail: this.config.supportEmail,
        supportPhone: this.config.supportPhone,
      },
      email.data,
    );
    const now = this.clock.now();
    const id = newId(now.getTime());
    await this.repository.insert(db, {
      id,
      dedupe_key: email.dedupeKey ?? null,
      template: email.template,
      locale: email.locale,
      recipient: email.to,
      subject: rendered.subject,
      text_body: rendered.text,
      html_body: rendered.html,
      attachments: email.attachments?.length ? JSON.stringify(email.attachments) : null,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now.toISOString(),
      locked_until: null,
      last_error: null,
      created_at: now.toISOString(),
      sent_at: null,
    });
    // Wake the in-process worker soon; it re-reads the table, so an uncommitted row is simply not seen yet.
    setTimeout(() => {
      for (const l of this.listeners) l();
    }, 0).unref();
    return id;
  }

  onEnqueue(listener: () => void): void {
    this.listeners.push(listener);
  }
}
