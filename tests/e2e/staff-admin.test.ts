import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAsNewStaff } from '../helpers/backoffice.js';
import { expectAccessible, launchChromium, openPage } from '../helpers/browser.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';
import { enrolmentLinkIn, STAFF_PASSWORD, totpCode } from '../helpers/staff.js';

describe('staff users managed by an administrator, in the browser', () => {
  let smtp: TestSmtp;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startServer({ MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
  });

  const focusedName = (page: Page) =>
    page.evaluate<string>("document.activeElement?.getAttribute('name') ?? ''");
  const focusedText = (page: Page) => page.evaluate<string>("document.activeElement?.textContent ?? ''");

  /** Opens the emailed link, reads the key shown, sets the password and the first code; returns the key. */
  async function enrol(page: Page, path: string): Promise<string> {
    await page.goto(path);
    await page.getByRole('img', { name: /Codice QR/ }).waitFor();
    const secret = ((await page.locator('code.secret-key').textContent()) ?? '').replace(/\s+/g, '');
    await page.getByLabel('Nuova password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Conferma password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Codice di verifica', { exact: true }).fill(totpCode(secret, new Date()));
    await page.getByRole('button', { name: 'ATTIVA' }).click();
    await page.getByText('Il tuo accesso al back office è attivo.').waitFor();
    return secret;
  }

  /**
   * Waits until the login has completed: the heading "Back office" alone also matches the login
   * page's "Accesso back office", so a navigation right after it could cut the login short.
   */
  async function signedInAs(page: Page, username: string) {
    await page.getByText(new RegExp(`^Collegato come ${username.replace('.', '\\.')} ·`)).waitFor();
  }

  async function login(page: Page, username: string, code: string) {
    await page.getByRole('heading', { name: 'Accesso back office', level: 1 }).waitFor();
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Codice di verifica', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'ACCEDI' }).click();
  }

  it('[administrator] creates a user by keyboard, the user enrols from the email, then is disabled and their open session ends', async () => {
    const admin = await openPage(browser, server.url, '/backoffice');
    await signInAsNewStaff(admin.page, server.env, 'administrator', 'e2e.capo');
    await signedInAs(admin.page, 'e2e.capo');
    const a = admin.page;

    // The page is in the navigation of administrators.
    await a
      .getByRole('navigation', { name: 'Funzioni del back office' })
      .getByRole('link', { name: 'Utenti back office' })
      .click();
    await a.getByRole('heading', { name: 'Utenti del back office', level: 1 }).waitFor();
    expect(await a.title()).toBe('Utenti del back office · OneCare');
    const table = a.getByRole('table', { name: /Utenti del back office/ });
    await table.getByRole('rowheader', { name: 'e2e.capo' }).waitFor();
    await table.getByRole('cell', { name: 'e2e.capo@example.test' }).waitFor();
    await expectAccessible(a);

    // Keyboard only: Tab to the username, type, Tab on through email, role and language, Enter sends.
    for (let i = 0; i < 30 && (await focusedName(a)) !== 'username'; i++) await a.keyboard.press('Tab');
    expect(await focusedName(a)).toBe('username');
    await a.keyboard.type('e2e.nuova');
    await a.keyboard.press('Tab');
    expect(await focusedName(a)).toBe('email');
    await a.keyboard.type('e2e.nuova@example.test');
    await a.keyboard.press('Tab');
    expect(await focusedName(a)).toBe('role');
    // Operatore pratiche → Sportello prenotazioni → Amministratore → Revisore.
    for (let i = 0; i < 3; i++) await a.keyboard.press('ArrowDown');
    expect(await a.getByLabel('Ruolo', { exact: true }).inputValue()).toBe('auditor');
    await a.keyboard.press('Tab');
    expect(await focusedName(a)).toBe('locale');
    await a.keyboard.press('Tab');
    await a.keyboard.press('Enter');
    await a.getByText(/Utente e2e\.nuova creato\. Il link di attivazione/).waitFor();
    expect(await a.content()).not.toContain('token=');
    const row = table.getByRole('row', { name: /e2e\.nuova/ });
    await row.getByRole('cell', { name: 'In attesa di attivazione' }).waitFor();
    await row.getByRole('cell', { name: 'Mai' }).waitFor();
    await expectAccessible(a);

    // The same username again: a clear conflict beside the field, no second user.
    await a.getByLabel('Username', { exact: true }).fill('e2e.nuova');
    await a.getByLabel('Email di lavoro', { exact: true }).fill('altra@example.test');
    await a.getByRole('button', { name: 'CREA UTENTE' }).click();
    await a.getByText('Questa username è già usata da un altro utente del back office.').first().waitFor();
    expect(await table.getByRole('rowheader', { name: 'e2e.nuova' }).count()).toBe(1);
    await expectAccessible(a);

    // The new user reads the email and enrols with its link.
    const mail = await smtp.waitForEmail('e2e.nuova@example.test');
    expect(mail.subject).toBe('OneCare: attivazione accesso back office');
    const link = new URL(enrolmentLinkIn(mail.text));
    expect(link.origin).toBe(server.url);
    const user = await openPage(browser, server.url, '/backoffice');
    const u = user.page;
    const secret = await enrol(u, link.pathname + link.search);
    await u.goto('/backoffice');
    await login(u, 'e2e.nuova', totpCode(secret, new Date(), 1));
    await u.getByRole('heading', { name: 'Back office', level: 1 }).waitFor();
    await u.getByText('Collegato come e2e.nuova · Revisore').waitFor();
    // Not an administrator: no staff users page in the navigation.
    expect(await u.getByRole('link', { name: 'Utenti back office' }).count()).toBe(0);

    // Back to the administrator: now active, with a last sign-in.
    await a.reload();
    await row.getByRole('cell', { name: 'Attivo', exact: true }).waitFor();
    expect(await row.getByRole('cell', { name: /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/ }).count()).toBe(2);

    // By keyboard: GESTISCI opens the panel and takes focus to it; DISATTIVA asks first, Enter confirms.
    await row.getByRole('button', { name: 'GESTISCI e2e.nuova' }).focus();
    await a.keyboard.press('Enter');
    const panelHeading = a.getByRole('heading', { name: 'Gestisci e2e.nuova', level: 2 });
    await panelHeading.waitFor();
    expect(await focusedText(a)).toBe('Gestisci e2e.nuova');
    await expectAccessible(a);
    await a.getByRole('button', { name: 'DISATTIVA' }).focus();
    await a.keyboard.press('Enter');
    await a.getByText('Disattivare e2e.nuova? Le sue sessioni vengono chiuse subito.').waitFor();
    expect(await focusedText(a)).toBe('CONFERMA');
    await expectAccessible(a);
    await a.keyboard.press('Enter');
    await a.getByText('e2e.nuova è stato disattivato e le sue sessioni sono state chiuse.').waitFor();
    await row.getByRole('cell', { name: 'Disattivato' }).waitFor();
    await a.getByRole('button', { name: 'RIATTIVA' }).waitFor();
    await expectAccessible(a);

    // The user's open page: the next call finds the session gone, and the login is refused generically.
    await u
      .getByRole('navigation', { name: 'Funzioni del back office' })
      .getByRole('link', { name: 'Registro attività' })
      .click();
    await u.getByRole('heading', { name: 'Accesso back office', level: 1 }).waitFor();
    await login(u, 'e2e.nuova', totpCode(secret, new Date(), 2));
    await u.getByText(/Accesso non riuscito/).waitFor();
    await expectAccessible(u);

    // The administrator cannot act on their own user: the row offers no actions.
    const own = table.getByRole('row', { name: /e2e\.capo/ });
    await own.getByText('Il tuo utente').waitFor();
    expect(await own.getByRole('button').count()).toBe(0);

    await a.getByRole('button', { name: 'CHIUDI' }).click();
    expect(await panelHeading.count()).toBe(0);
    expect(await focusedText(a)).toBe('GESTISCI e2e.nuova');

    for (const errors of [admin.errors, user.errors])
      expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await admin.context.close();
    await user.context.close();
    // Two people, two enrolments and a command-line run: longer than one page's test on a busy machine.
  }, 150_000);

  it('[administrator] the page in English', async () => {
    const admin = await openPage(browser, server.url, '/backoffice');
    await signInAsNewStaff(admin.page, server.env, 'administrator', 'e2e.boss');
    await signedInAs(admin.page, 'e2e.boss');
    const a = admin.page;
    await a.getByRole('radio', { name: /English|EN/ }).check();
    await a.goto('/backoffice/personale');
    await a.getByRole('heading', { name: 'Back-office users', level: 1 }).waitFor();
    await a.getByRole('button', { name: 'CREATE USER' }).waitFor();
    await a.getByRole('table', { name: /Back-office users/ }).waitFor();
    await expectAccessible(a);
    await admin.context.close();
  });

  it('[booking desk] has no staff users page', async () => {
    const other = await openPage(browser, server.url, '/backoffice');
    await signInAsNewStaff(other.page, server.env, 'booking_desk', 'e2e.sportello');
    await signedInAs(other.page, 'e2e.sportello');
    await other.page.goto('/backoffice/personale');
    await other.page.getByText('Questa pagina è riservata agli amministratori.').waitFor();
    await expectAccessible(other.page);
    await other.context.close();
  });
});
