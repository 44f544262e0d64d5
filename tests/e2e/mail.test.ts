import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, expectVisible, launchChromium, newContext } from '../helpers/browser.js';
import { runCli as cli } from '../helpers/cli.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

describe('email through the outbox to a real SMTP server', () => {
  let smtp: TestSmtp;
  let server: RunningServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startServer({ MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  it('[operator] a test message queued with the command line reaches the SMTP server, parsed as a mail client would', async () => {
    const result = await cli(server.env, 'mail', 'test', '--to', 'operatore@example.test', '--lang', 'en');
    expect(result.out).toContain('sent (smtp)');
    expect(result.code).toBe(0);
    const mail = await smtp.waitForEmail('operatore@example.test');
    expect(mail.subject).toBe('OneCare: test message');
    expect(mail.text).toContain(`Open OneCare: ${server.url}/`);
    expect(mail.html).toContain(`href="${server.url}/"`);
    expect(mail.parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('[operator] an email queued by one process is delivered by the running server', async () => {
    await server.app.outbox.enqueue(server.app.db, {
      to: 'assistito@example.test',
      template: 'test-message',
      locale: 'it',
      data: {},
    });
    const mail = await smtp.waitForEmail('assistito@example.test');
    expect(mail.subject).toBe('OneCare: messaggio di prova');
  });
});

describe('built-in mailbox', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('[visitor] finds a captured email in the mailbox linked from the portal, and follows its link', async () => {
    const result = await cli(server.env, 'mail', 'test', '--to', 'prova.demo@example.test');
    expect(result.out).toContain('sent (capture)');
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Casella email di prova' }).click();
    await page.getByRole('heading', { name: 'Casella email di prova' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const row = page.getByRole('row').filter({ hasText: 'prova.demo@example.test' });
    await row.getByRole('link', { name: 'OneCare: messaggio di prova' }).click();
    await page.getByRole('heading', { name: 'OneCare: messaggio di prova' }).waitFor();
    await expectVisible(page.getByText('questo è un messaggio di prova'));
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: `${server.url}/` }).click();
    await page.getByRole('heading', { name: 'Benvenuto in OneCare' }).waitFor();
    await context.close();
  });
});
