import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { seedDemoData } from '../../server/demo/seed.js';
import { axeViolations, launchChromium, newContext, watchPageErrors } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { STAFF_PASSWORD, totpCode } from '../helpers/staff.js';

function linkIn(output: string): string {
  const m = /(https?:\/\/\S+\/backoffice\/attivazione\?token=\S+)/.exec(output);
  if (!m?.[1]) throw new Error(`no enrolment link in: ${output}`);
  return m[1];
}

describe('health plans in the back office', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    await seedDemoData(server.app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(path: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await newContext(browser, server.url);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    onTestFailed(async ({ task }) => {
      await page
        .screenshot({
          path: `test-results/${task.name.replace(/\W+/g, '-').slice(0, 80)}.png`,
          fullPage: true,
        })
        .catch(() => {});
    });
    await page.goto(path);
    return { context, page, errors };
  }

  async function expectAccessible(page: Page) {
    expect(await axeViolations(page)).toEqual([]);
  }

  /** Creates the user with the real command line, enrols in the browser and logs in. */
  async function signIn(page: Page, role: string, username: string) {
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
    await page.goto(link.pathname + link.search);
    await page.getByRole('img', { name: /Codice QR/ }).waitFor();
    const secret = ((await page.locator('code.secret-key').textContent()) ?? '').replace(/\s+/g, '');
    await page.getByLabel('Nuova password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Conferma password', { exact: true }).fill(STAFF_PASSWORD);
    await page.getByLabel('Codice di verifica', { exact: true }).fill(totpCode(secret, new Date()));
    await page.getByRole('button', { name: 'ATTIVA' }).click();
    await page.getByText('Il tuo accesso al back office è attivo.').waitFor();
    await page.goto('/backoffice');
    await page.getByRole('heading', { name: 'Accesso back office', level: 1 }).waitFor();
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(STAFF_PASSWORD);
    // The enrolment used this step's code; a code is accepted once: the next step's.
    await page.getByLabel('Codice di verifica', { exact: true }).fill(totpCode(secret, new Date(), 1));
    await page.getByRole('button', { name: 'ACCEDI' }).click();
    await page.getByRole('heading', { name: 'Back office', level: 1 }).waitFor();
  }

  /** Piani sanitari → ONECARE-DEMO. */
  async function openDemoPlan(page: Page) {
    await page
      .getByRole('navigation', { name: 'Funzioni del back office' })
      .getByRole('link', { name: 'Piani sanitari' })
      .click();
    await page.getByRole('heading', { name: 'Piani sanitari', level: 1 }).waitFor();
    expect(await page.title()).toBe('Piani sanitari · OneCare');
    const plans = page.getByRole('table', { name: 'Piani sanitari' });
    await plans.getByRole('link', { name: 'ONECARE-DEMO' }).click();
    await page.getByRole('heading', { name: /ONECARE-DEMO/, level: 1 }).waitFor();
  }

  const outOfNetworkVisits = (page: Page) =>
    page.getByRole('table', { name: 'Visite specialistiche' }).getByRole('row', { name: /Fuori network/ });

  it('[staff] an administrator reads the demo plan and saves a new version', async () => {
    const { context, page, errors } = await open('/backoffice');
    await signIn(page, 'administrator', 'e2e.plans.admin');
    await openDemoPlan(page);

    const row = outOfNetworkVisits(page);
    await row.getByRole('cell', { name: '20 %', exact: true }).waitFor();
    await row.getByRole('cell', { name: '50,00 €', exact: true }).waitFor();
    await page.getByText('5.000,00 € per famiglia').waitFor();
    const history = page.getByRole('table', { name: 'Versioni, dalla più recente' });
    expect(await history.locator('tbody tr').count()).toBe(1);
    await history.getByRole('cell', { name: 'sistema' }).waitFor();
    await expectAccessible(page);

    await page.getByRole('button', { name: 'MODIFICA' }).click();
    await page.getByRole('heading', { name: 'Modifica delle regole' }).waitFor();
    await expectAccessible(page);

    // A wrong amount stays on this side, beside its field.
    const cap = page.getByLabel('Massimale annuo', { exact: true });
    await cap.fill('4.000,001');
    await page.getByRole('button', { name: 'SALVA NUOVA VERSIONE' }).click();
    await page.getByRole('alert').filter({ hasText: 'Massimale annuo' }).waitFor();
    expect(await cap.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page);

    await cap.fill('4.000,00');
    const group = page.getByRole('group', { name: 'Visite specialistiche — Fuori network' });
    await group.getByLabel('Minimo per fattura €', { exact: true }).fill('40,00');
    await page.getByRole('button', { name: 'SALVA NUOVA VERSIONE' }).click();
    await page.getByRole('status').filter({ hasText: 'versione 2' }).waitFor();
    await row.getByRole('cell', { name: '40,00 €', exact: true }).waitFor();

    await page.reload();
    await page.getByRole('heading', { name: /ONECARE-DEMO/, level: 1 }).waitFor();
    await outOfNetworkVisits(page).getByRole('cell', { name: '40,00 €', exact: true }).waitFor();
    await page.getByText('4.000,00 € per famiglia').waitFor();
    const reloaded = page.getByRole('table', { name: 'Versioni, dalla più recente' });
    await reloaded.getByRole('cell', { name: '2', exact: true }).waitFor();
    expect(await reloaded.locator('tbody tr').count()).toBe(2);
    await expectAccessible(page);

    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await context.close();
  });

  it('[staff] a claims operator reads the plan but cannot edit it', async () => {
    const { context, page, errors } = await open('/backoffice');
    await signIn(page, 'claims_operator', 'e2e.plans.operator');
    await openDemoPlan(page);
    await outOfNetworkVisits(page).getByRole('cell', { name: '20 %', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'MODIFICA' }).count()).toBe(0);
    await expectAccessible(page);
    const status = await page.evaluate(async () => {
      const res = await fetch('/api/v1/staff/plans/ONECARE-DEMO', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ rules: {} }),
      });
      return res.status;
    });
    expect(status).toBe(403);
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await context.close();
  });
});
