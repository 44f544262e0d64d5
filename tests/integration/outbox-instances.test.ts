import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';

const EMAILS = 150;

/** Runs one instance's worker until a pass finds nothing due; returns how many it handled. */
async function drain(t: TestApp): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await t.app.outboxWorker.runOnce();
    if (n === 0) return total;
    total += n;
  }
}

describe('several app instances on one database', () => {
  let database: TestDatabase;
  let smtp: TestSmtp;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpServer();
    const env = { MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url };
    a = await buildTestApp({ database, env });
    b = await buildTestApp({ database, env });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await smtp.stop();
    await database.drop();
  });

  it('[operator] two instances deliver every outbox email exactly once', async () => {
    for (let i = 0; i < EMAILS; i++) {
      await a.app.outbox.enqueue(a.app.db, {
        to: `member${i}@example.test`,
        template: 'test-message',
        locale: i % 2 === 0 ? 'it' : 'en',
        data: {},
      });
    }
    const [byA, byB] = await Promise.all([drain(a), drain(b)]);
    expect(byA + byB).toBe(EMAILS);
    // A delivery counts once the SMTP server answered 250, and the server records a message before
    // it answers: everything sent is in `received` already.
    expect(smtp.received).toHaveLength(EMAILS);
    const recipients = new Set(smtp.received.map((m) => m.to));
    expect(recipients.size).toBe(EMAILS);
    const ids = new Set(smtp.received.map((m) => m.messageId));
    expect(ids.size).toBe(EMAILS);
    const pending = await a.app.db
      .selectFrom('outbox_emails')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '!=', 'sent')
      .executeTakeFirstOrThrow();
    expect(Number(pending.n)).toBe(0);
    if (database.dialect === 'postgres') {
      // With SKIP LOCKED both instances take part instead of waiting on each other.
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);
    }
  });

  it('[operator] a running worker on each instance delivers a burst exactly once', async () => {
    smtp.received.length = 0;
    a.app.outboxWorker.start();
    b.app.outboxWorker.start();
    try {
      for (let i = 0; i < 40; i++) {
        const app = i % 2 === 0 ? a.app : b.app;
        await app.outbox.enqueue(app.db, {
          to: `burst${i}@example.test`,
          template: 'test-message',
          locale: 'it',
          data: {},
        });
      }
      await vi.waitFor(
        async () => {
          const sent = await a.app.db
            .selectFrom('outbox_emails')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('status', '=', 'sent')
            .where('recipient', 'like', 'burst%')
            .executeTakeFirstOrThrow();
          expect(Number(sent.n)).toBe(40);
        },
        { timeout: 10_000, interval: 50 },
      );
      // Stopping waits for deliveries in flight: after it, nothing more can arrive.
      await a.app.outboxWorker.stop();
      await b.app.outboxWorker.stop();
      expect(smtp.received).toHaveLength(40);
      expect(new Set(smtp.received.map((m) => m.to)).size).toBe(40);
    } finally {
      await a.app.outboxWorker.stop();
      await b.app.outboxWorker.stop();
    }
  });
});
