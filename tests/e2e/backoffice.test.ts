import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, expectVisible, launchChromium, openPage } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { STAFF_PASSWORD, totpCode } from '../helpers/staff.js';

/** The enrolment link the command line prints after creating a staff user. */
function linkIn(output: string): string {
  const m = /(https?:\/\/\S+\/backoffice\/attivazione\?token=\S+)/.exec(output);
  if (!m?.[1]) throw new Error(`no enrolment link in: ${output}`);
  return m[1];
}

describe('back office in the browser', () => {
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

  const open = (path: string, locale = 'it-IT') => openPage(browser, server.url, path, locale);

  async function createStaff(role: string, username: string): Promise<string> {
    const created = await runCli(
      server.env,
      'staff',
      'create',
      '--role',
      role,
      '--username',
      username,
      '--email',
      `${username}@example.test`,
    );
    expect(created.code, created.out).toBe(0);
    const link = new URL(linkIn(created.out));
    expect(link.origin).toBe(server.url);
    return link.pathname + link.search;
  }

  /** Opens the link, reads the key and activates; returns the key. */
  async function enrol(page: Page, link: string, expectRole: string): Promise<string> {
    await page.goto(link);
    await page.getByRole('heading', { name: 'Attivazione accesso back office', level: 1 }).waitFor();
    await page.getByRole('img', { name: /Codice QR/ }).waitFor();
    expect(page.url()).not.toContain('token=');
    await expectVisible(page.getByText(expectRole, { exact: true }));
    const secret = ((await page.locator('code.secret-key').textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await page.title()).toBe('Attivazione accesso back office · OneCare');
    await expectAccessible(page);

    await page.getByLabel('Nuova password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Conferma password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Codice di verifica', { exact: true }).fill(totpCode(secret, new Date()));
    await page.getByRole('button', { name: 'ATTIVA' }).click();
    await page.getByText('Il tuo accesso al back office è attivo.').waitFor();
    const codes = page.getByRole('list', { name: 'Codici di recupero' }).getByRole('listitem');
    expect(await codes.count()).toBe(10);
    await page.getByRole('button', { name: 'Scarica i codici' }).waitFor();
    await expectAccessible(page);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Scarica i codici' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.txt$/);
    return secret;
  }

  async function login(page: Page, username: string, code: string) {
    await page.getByRole('heading', { name: 'Accesso back office', level: 1 }).waitFor();
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Codice di verifica', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'ACCEDI' }).click();
  }

  it('[staff] an administrator enrols from the command-line link, logs in and reads the audit trail', async () => {
    const link = await createStaff('administrator', 'e2e.admin');
    const { context, page, errors } = await open('/backoffice');
    await page.getByRole('heading', { name: 'Accesso back office', level: 1 }).waitFor();
    expect(await page.title()).toBe('Accesso back office · OneCare');
    const codeField = page.getByLabel('Codice di verifica', { exact: true });
    expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await codeField.getAttribute('inputmode')).toBe('text');
    await expectAccessible(page);

    const secret = await enrol(page, link, 'Amministratore');
    await page.getByRole('link', { name: "Vai all'accesso" }).click();

    // A wrong code: a generic refusal, nothing said about which part was wrong.
    await login(page, 'e2e.admin', '000000');
    await page.getByText(/Accesso non riuscito/).waitFor();
    await expectAccessible(page);

    // The enrolment used this step's code: the next one is accepted (±1 step window).
    await page.getByLabel('Password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Codice di verifica', { exact: true }).fill(totpCode(secret, new Date(), 1));
    await page.getByRole('button', { name: 'ACCEDI' }).click();
    await page.getByRole('heading', { name: 'Back office', level: 1 }).waitFor();
    await page.getByText('Collegato come e2e.admin · Amministratore').waitFor();
    await expectVisible(page.getByText('OneCare — Back office'));
    await expectAccessible(page);

    await page
      .getByRole('navigation', { name: 'Funzioni del back office' })
      .getByRole('link', { name: 'Registro attività' })
      .click();
    await page.getByRole('heading', { name: 'Registro attività', level: 1 }).waitFor();
    expect(await page.title()).toBe('Registro attività · OneCare');
    const table = page.getByRole('table', { name: /Eventi registrati/ });
    await table.waitFor();
    await table.getByRole('cell', { name: 'authn_mfa_enrolled' }).first().waitFor();
    await table.getByRole('cell', { name: 'authn_login_success' }).first().waitFor();
    expect(
      await table.getByRole('cell', { name: /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/ }).count(),
    ).toBeGreaterThan(0);
    await expectAccessible(page);

    // Filtering by event.
    await page.getByLabel('Evento', { exact: true }).fill('authn_login_fail');
    await page.getByRole('button', { name: 'CERCA' }).click();
    await table.getByRole('cell', { name: 'authn_login_fail' }).first().waitFor();
    expect(await table.getByRole('cell', { name: 'authn_login_success' }).count()).toBe(0);
    await expectAccessible(page);

    // Paging keeps the filter: 60 events of one kind are 50 on the first page and 10 on the next.
    for (let i = 0; i < 60; i++)
      await server.app.audit.record(server.app.db, null, {
        event: 'e2e_probe',
        outcome: 'success',
        actorType: 'system',
        details: { n: i },
      });
    await page.getByLabel('Evento', { exact: true }).fill('e2e_probe');
    await page.getByRole('button', { name: 'CERCA' }).click();
    await page.getByText('Eventi trovati: 60. In questa pagina: 50.').waitFor();
    const pages = page.getByRole('navigation', { name: 'Pagine del registro' });
    expect(await pages.getByRole('button', { name: 'PIÙ RECENTI' }).isDisabled()).toBe(true);
    await pages.getByRole('button', { name: 'MENO RECENTI' }).press('Enter');
    await page.getByText('Eventi trovati: 60. In questa pagina: 10.').waitFor();
    expect(await table.getByRole('row').count()).toBe(11);
    expect(await table.getByRole('cell', { name: 'e2e_probe' }).count()).toBe(10);
    // The keyboard goes on from the new page's table.
    expect(
      await page.evaluate<boolean>("document.activeElement?.classList.contains('table-wrap') ?? false"),
    ).toBe(true);
    expect(await pages.getByRole('button', { name: 'MENO RECENTI' }).isDisabled()).toBe(true);
    await expectAccessible(page);
    await pages.getByRole('button', { name: 'PIÙ RECENTI' }).press('Enter');
    await page.getByText('Eventi trovati: 60. In questa pagina: 50.').waitFor();
    const csv = await page.getByRole('link', { name: /Scarica in CSV/ }).getAttribute('href');
    expect(csv).toBe('/api/v1/staff/audit-events.csv?event=e2e_probe');

    await page.getByRole('button', { name: 'ESCI' }).click();
    await page.getByText('Sei uscito dal back office. A presto!').waitFor();
    await page.getByRole('heading', { name: 'Accesso back office', level: 1 }).waitFor();
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await context.close();
  });

  it('[staff] a claims operator logs in and is refused the audit trail', async () => {
    const link = await createStaff('claims_operator', 'e2e.operatore');
    const { context, page, errors } = await open('/backoffice');
    await enrol(page, link, 'Operatore pratiche');
    const recoveryCode = (await page.locator('.recovery-codes code').first().textContent()) ?? '';
    // The link is single use.
    await page.goto(link);
    await page.getByText(/Chiedi a un amministratore di inviartene uno nuovo/).waitFor();
    await expectAccessible(page);
    // A recovery code replaces the app's code (letters too: the field is not numeric).
    await page.goto('/backoffice');
    await login(page, 'e2e.operatore', recoveryCode);
    await page.getByRole('heading', { name: 'Back office', level: 1 }).waitFor();
    await page.getByText('Le funzioni del tuo ruolo arriveranno a breve.').first().waitFor();
    expect(await page.getByRole('link', { name: 'Registro attività' }).count()).toBe(0);
    await expectAccessible(page);

    await page.goto('/backoffice/audit');
    await page.getByText('Il tuo ruolo non permette di consultare il registro attività.').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    await expectAccessible(page);
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await context.close();
  });

  it('[staff] login and enrolment pages in English; an unknown link is refused', async () => {
    const link = await createStaff('auditor', 'e2e.auditor');
    const { context, page } = await open('/backoffice', 'en-US');
    await page.getByRole('radio', { name: /English|EN/ }).check();
    await page.getByRole('heading', { name: 'Back-office login', level: 1 }).waitFor();
    await expectVisible(page.getByLabel('Verification code', { exact: true }));
    await expectVisible(page.getByRole('button', { name: 'LOG IN' }));
    await expectAccessible(page);
    // Keyboard only: Tab to the username, type, Tab on, Enter sends; the refusal is generic.
    const focusedName = () => page.evaluate<string>("document.activeElement?.getAttribute('name') ?? ''");
    for (let i = 0; i < 15 && (await focusedName()) !== 'username'; i++) await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('username');
    await page.keyboard.type('e2e.auditor');
    await page.keyboard.press('Tab');
    await page.keyboard.type('not the password');
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe('code');
    await page.keyboard.type('123456');
    await page.keyboard.press('Enter');
    await page.getByText(/Login failed/).waitFor();

    await page.goto(link);
    await page.getByRole('heading', { name: 'Back-office account activation', level: 1 }).waitFor();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    await expectVisible(page.getByText('Auditor', { exact: true }));
    await expectVisible(page.getByRole('button', { name: 'ACTIVATE' }));
    await expectAccessible(page);

    // A link that is not (or no longer) valid.
    await page.goto('/backoffice/attivazione?token=not-a-real-token');
    await page.getByText(/ask an administrator to send you a new one/i).waitFor();
    await expectAccessible(page);
    await context.close();
  });
});
