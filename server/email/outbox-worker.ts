import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.js';
import type { Clock } from '../lib/clock.js';
import type { OutboxRepository } from './outbox.repository.js';
import type { EmailAttachment } from './outbox.table.js';
import { DeliveryError, type MailTransport } from './transport.js';

export interface OutboxWorkerOptions {
  db: Db;
  repository: OutboxRepository;
  transport: MailTransport;
  clock: Clock;
  log: FastifyBaseLogger;
  from: string;
  pollMs: number;
  batchSize?: number;
  /** How long a claimed email stays reserved for this worker before another may take it. */
  leaseMs?: number;
  maxAttempts?: number;
  onResult?: (result: 'sent' | 'retry' | 'failed') => void;
}

/** Delay before attempt n+1: 10 s, 20 s, 40 s … capped at one hour, with ±20% jitter. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Delivers queued emails. Each one is claimed with a lease, sent, then marked sent; a failure
 * schedules a retry with backoff, so an email outlives any SMTP outage shorter than the retry
 * window (more than a day with the defaults: 40 attempts, then `cli outbox retry-failed`). Several instances can run on one PostgreSQL.
 */
export class OutboxWorker {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.batchSize = o.batchSize ?? 20;
    this.leaseMs = o.leaseMs ?? 120_000;
    this.maxAttempts = o.maxAttempts ?? 40;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** One pass: claims and delivers one batch. Returns how many emails it handled. */
  async runOnce(): Promise<number> {
    const now = this.o.clock.now();
    const claimed = await this.o.repository.claimDue(
      this.o.db,
      now.toISOString(),
      new Date(now.getTime() + this.leaseMs).toISOString(),
      this.batchSize,
    );
    for (const email of claimed) {
      if (email.text_body === null || email.html_body === null) {
        await this.o.repository.markFailed(this.o.db, email.id, 'no body');
        continue;
      }
      try {
        await this.o.transport.send({
          outboxId: email.id,
          from: this.o.from,
          to: email.recipient,
          subject: email.subject,
          text: email.text_body,
          html: email.html_body,
          ...(email.attachments ? { attachments: JSON.parse(email.attachments) as EmailAttachment[] } : {}),
        });
        await this.o.repository.markSent(this.o.db, email.id, this.o.clock.now().toISOString());
        this.o.log.info(
          { outboxId: email.id, template: email.template, attempts: email.attempts },
          'email sent',
        );
        this.o.onResult?.('sent');
      } catch (err) {
        const reason = err instanceof DeliveryError ? err.reason : 'unexpected error';
        const permanent = err instanceof DeliveryError && err.permanent;
        if (permanent || email.attempts >= this.maxAttempts) {
          await this.o.repository.markFailed(this.o.db, email.id, reason);
          this.o.log.error({ outboxId: email.id, template: email.template, reason }, 'email failed for good');
          this.o.onResult?.('failed');
        } else {
          const next = new Date(this.o.clock.now().getTime() + retryDelayMs(email.attempts));
          await this.o.repository.markRetry(this.o.db, email.id, next.toISOString(), reason);
          this.o.log.warn(
            { outboxId: email.id, template: email.template, reason, next },
            'email delivery will be retried',
          );
          this.o.onResult?.('retry');
        }
      }
    }
    return claimed.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let handled = 0;
      try {
        handled = await this.runOnce();
      } catch (err) {
        this.o.log.error(
          { err: { type: (err as Error).name, message: (err as Error).message } },
          'outbox pass failed',
        );
      }
      if (handled > 0 || !this.running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.o.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}
