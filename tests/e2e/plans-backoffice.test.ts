import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../server/demo/seed.js';
import { signInAsNewStaff } from '../helpers/backoffice.js';
import { expectAccessible, launchChromium, openPage } from '../helpers/browser.js';
import { type RunningServer, startServer } from '../helpers/server.js';

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

  const open = (path: string) => openPage(browser, server.url, path);
  const signIn = (page: Page, role: string, username: string) =>
    signInAsNewStaff(page, server.env, role, username);

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
