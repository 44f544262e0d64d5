import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

async function outboxRows(t: TestApp) {
  return t.app.db.selectFrom('outbox_emails').selectAll().orderBy('created_at').execute();
}

describe('outbox over SMTP', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let port: number;
  const clock = new ManualClock('2026-03-02T08:00:00.000Z');

  beforeAll(async () => {
    // Find a free port, then close it: the app starts with SMTP down.
    const probe = await startSmtpServer();
    port = probe.port;
    await probe.stop();
    t = await buildTestApp({
      clock,
      env: {
        MAIL_TRANSPORT: 'smtp',
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        MAIL_FROM: 'OneCare <no-reply@onecare.test>',
      },
    });
  });
  afterEach(async () => {
    await t.app.db.deleteFrom('outbox_emails').execute();
  });
  afterAll(async () => {
    await smtp?.stop();
    await t.close();
  });

  it('[member] an email queued while SMTP is down is delivered once it is back, exactly once', async () => {
    await t.app.db.transaction().execute((trx) =>
      t.app.outbox.enqueue(trx, {
        to: 'anna.verdi@example.test',
        template: 'test-message',
        locale: 'it',
        data: {},
      }),
    );
    expect(await t.app.outboxWorker.runOnce()).toBe(1);
    let [row] = await outboxRows(t);
    expect(row?.status).toBe('pending');
    expect(row?.attempts).toBe(1);
    expect(row?.last_error).toMatch(/ECONNECTION|ESOCKET|ECONNREFUSED/);
    expect(row?.last_error).not.toContain('anna');
    expect((row?.next_attempt_at ?? '') > clock.now().toISOString()).toBe(true);

    // Not due yet: nothing is attempted.
    expect(await t.app.outboxWorker.runOnce()).toBe(0);
    // Still down at the next attempt.
    clock.advance(13_000);
    expect(await t.app.outboxWorker.runOnce()).toBe(1);
    [row] = await outboxRows(t);
    expect(row?.attempts).toBe(2);

    smtp = await startSmtpServer(port);
    clock.advance(60_000);
    expect(await t.app.outboxWorker.runOnce()).toBe(1);
    const mail = await smtp.waitForEmail('anna.verdi@example.test');
    expect(mail.subject).toBe('OneCare: messaggio di prova');
    expect(mail.from).toBe('no-reply@onecare.test');
    expect(mail.text).toContain('messaggio di prova');
    expect(mail.html).toContain('<html lang="it">');

    clock.advance(3_600_000);
    // Nothing was due, so nothing was sent: the server (which records a message before it answers
    // 250) still holds one.
    expect(await t.app.outboxWorker.runOnce()).toBe(0);
    expect(smtp.received.filter((m) => m.to === 'anna.verdi@example.test')).toHaveLength(1);

    [row] = await outboxRows(t);
    expect(row?.status).toBe('sent');
    expect(row?.sent_at).toBe('2026-03-02T08:01:13.000Z');
    // The body may carry a one-time code: it is not kept once delivered.
    expect(row?.text_body).toBeNull();
    expect(row?.html_body).toBeNull();
  });

  it('[member] SMTP down for a whole day: every email queued is delivered once afterwards', async () => {
    await smtp?.stop(); // down again
    const recipients = ['uno@example.test', 'due@example.test', 'tre@example.test'];
    for (const to of recipients)
      await t.app.db
        .transaction()
        .execute((trx) =>
          t.app.outbox.enqueue(trx, { to, template: 'test-message', locale: 'it', data: {} }),
        );
    // A day in ten-minute steps, the worker passing at each (bounded: 144 passes).
    const until = clock.now().getTime() + 86_400_000;
    while (clock.now().getTime() < until) {
      clock.advance(600_000);
      await t.app.outboxWorker.runOnce();
    }
    const waiting = await outboxRows(t);
    expect(waiting.map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    smtp = await startSmtpServer(port);
    // Back up: within the longest retry delay (an hour, with jitter) each is sent.
    for (let i = 0; i < 12; i++) {
      clock.advance(600_000);
      await t.app.outboxWorker.runOnce();
    }
    expect((await outboxRows(t)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
    for (const to of recipients) await smtp.waitForEmail(to);
    // Later passes send nothing again.
    clock.advance(3_600_000);
    expect(await t.app.outboxWorker.runOnce()).toBe(0);
    for (const to of recipients) expect(smtp.received.filter((m) => m.to === to)).toHaveLength(1);
  });

  it('[member] a retried request with the same key queues one email, not two', async () => {
    for (let i = 0; i < 3; i++) {
      await t.app.outbox.enqueue(t.app.db, {
        to: 'luca.neri@example.test',
        template: 'test-message',
        locale: 'en',
        data: {},
        dedupeKey: 'request-42',
      });
    }
    expect(await outboxRows(t)).toHaveLength(1);
  });

  it('[member] no email leaves when the change that caused it is rolled back', async () => {
    await expect(
      t.app.db.transaction().execute(async (trx) => {
        await t.app.outbox.enqueue(trx, {
          to: 'x@example.test',
          template: 'test-message',
          locale: 'it',
          data: {},
        });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await outboxRows(t)).toHaveLength(0);
    expect(await t.app.outboxWorker.runOnce()).toBe(0);
  });

  it('[operator] a recipient the server refuses for good is marked failed, not retried forever', async () => {
    await smtp.stop();
    smtp = await startSmtpServer(port, { rejectRecipients: ['gone@example.test'] });
    await t.app.outbox.enqueue(t.app.db, {
      to: 'gone@example.test',
      template: 'test-message',
      locale: 'it',
      data: {},
    });
    clock.advance(1000);
    expect(await t.app.outboxWorker.runOnce()).toBe(1);
    const [row] = await outboxRows(t);
    expect(row?.status).toBe('failed');
    expect(row?.last_error).toContain('550');
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/onecare_outbox_emails\{status="failed"\} 1/);
  });

  it('[member] the English template is used for an English-speaking member', async () => {
    await t.app.outbox.enqueue(t.app.db, {
      to: 'john.smith@example.test',
      template: 'test-message',
      locale: 'en',
      data: {},
    });
    clock.advance(1000);
    await t.app.outboxWorker.runOnce();
    const mail = await smtp.waitForEmail('john.smith@example.test');
    expect(mail.subject).toBe('OneCare: test message');
    expect(mail.text).toContain('Open OneCare: http://localhost:3000/');
  });
});

describe('outbox with the built-in mailbox', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ startWorker: true });
  });
  afterAll(() => t.close());

  it('[visitor] a captured email appears in /dev/mailbox with its links clickable', async () => {
    await t.app.outbox.enqueue(t.app.db, {
      to: 'demo.user@example.test',
      template: 'test-message',
      locale: 'it',
      data: {},
    });
    let list = '';
    for (let i = 0; i < 100 && !list.includes('demo.user@example.test'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      list = (await t.app.inject({ url: '/dev/mailbox' })).body;
    }
    expect(list).toContain('OneCare: messaggio di prova');
    const id = /href="\/dev\/mailbox\/([0-9a-f-]+)"/.exec(list)?.[1];
    expect(id).toBeDefined();
    const message = await t.app.inject({ url: `/dev/mailbox/${id}` });
    expect(message.statusCode).toBe(200);
    expect(message.body).toContain('<a href="http://localhost:3000/">http://localhost:3000/</a>');
    const htmlView = await t.app.inject({ url: `/dev/mailbox/${id}/html` });
    expect(htmlView.headers['content-security-policy']).toMatch(/^sandbox/);
    const filtered = await t.app.inject({ url: '/dev/mailbox?to=someone.else@example.test' });
    expect(filtered.body).toContain('Nessuna email.');
  });

  it('[anyone] the mailbox is not mounted with real SMTP', async () => {
    const smtpApp = await buildTestApp({ env: { MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://127.0.0.1:1' } });
    try {
      const res = await smtpApp.app.inject({ url: '/dev/mailbox' });
      expect(res.statusCode).toBe(404);
      expect((await smtpApp.app.inject({ url: '/api/v1/public-config' })).json().mailbox).toBe(false);
    } finally {
      await smtpApp.close();
    }
  });
});
