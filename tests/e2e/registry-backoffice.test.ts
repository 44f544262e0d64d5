import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCodiceFiscale } from '../../server/modules/members/codice-fiscale.js';
import { signInAsNewStaff } from '../helpers/backoffice.js';
import { expectAccessible, launchChromium, openPage } from '../helpers/browser.js';
import { type RunningServer, startServer } from '../helpers/server.js';

const HEADER =
  'codice_fiscale;cognome;nome;data_nascita;email;piano;ruolo;titolare_cf;inizio_copertura;fine_copertura';

const holder = generateCodiceFiscale({
  surname: 'Fittizio',
  name: 'Anna',
  birthDate: '1971-03-12',
  sex: 'F',
  placeCode: 'F205',
});
const spouse = generateCodiceFiscale({
  surname: 'Fittizio',
  name: 'Bruno',
  birthDate: '1969-07-30',
  sex: 'M',
  placeCode: 'F205',
});
const child = generateCodiceFiscale({
  surname: 'Fittizio',
  name: 'Carla',
  birthDate: '2004-11-02',
  sex: 'F',
  placeCode: 'F205',
});

/** Three valid rows of one family and, on line 5, a row with an unknown role. */
const CSV = [
  HEADER,
  `${holder};Fittizio;Anna;1971-03-12;anna.fittizio@example.test;E2E-PIANO;titolare;;2025-01-01;`,
  `${spouse};Fittizio;Bruno;1969-07-30;;E2E-PIANO;coniuge;${holder};2025-01-01;`,
  `${child};Fittizio;Carla;2004-11-02;;E2E-PIANO;figlio;${holder};2025-01-01;`,
  `${child.slice(0, 15)}X;Sbagliato;Dario;1990-01-01;;E2E-PIANO;nonno;${holder};2025-01-01;`,
].join('\n');

describe('member registry in the back office', () => {
  let server: RunningServer;
  let browser: Browser;
  let dir: string;
  let csvPath: string;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'onecare-registry-e2e-'));
    csvPath = join(dir, 'anagrafica-e2e.csv');
    writeFileSync(csvPath, CSV);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const open = (path: string) => openPage(browser, server.url, path);
  const signIn = (page: Page, role: string, username: string) =>
    signInAsNewStaff(page, server.env, role, username);

  async function openRegistry(page: Page) {
    await page
      .getByRole('navigation', { name: 'Funzioni del back office' })
      .getByRole('link', { name: 'Anagrafica assistiti' })
      .click();
    await page.getByRole('heading', { name: 'Anagrafica assistiti', level: 1 }).waitFor();
    expect(await page.title()).toBe('Anagrafica assistiti · OneCare');
  }

  const count = (page: Page, report: string, label: string) =>
    page
      .getByRole('region', { name: report })
      .locator('dl > div', { has: page.getByText(label, { exact: true }) })
      .locator('dd')
      .textContent();

  it('[staff] an administrator uploads, checks and imports a registry file, then opens a member', async () => {
    const { context, page, errors } = await open('/backoffice');
    await signIn(page, 'administrator', 'e2e.reg.admin');
    await openRegistry(page);
    await expectAccessible(page);

    // Nothing chosen: the field says so.
    await page.getByRole('button', { name: 'CARICA E VERIFICA' }).click();
    await page.getByText('Scegli il file CSV da caricare.').first().waitFor();

    await page.getByLabel("File CSV dell'anagrafica", { exact: true }).setInputFiles(csvPath);
    await page.getByRole('button', { name: 'CARICA E VERIFICA' }).click();
    const checkReport = 'Esito della verifica (nessuna modifica ancora applicata)';
    await page.getByRole('heading', { name: checkReport }).waitFor();
    await page.getByText('Verifica completata.', { exact: false }).waitFor();
    expect(await count(page, checkReport, 'Righe lette')).toBe('4');
    expect(await count(page, checkReport, 'Da aggiungere')).toBe('3');
    expect(await count(page, checkReport, 'Da aggiornare')).toBe('0');
    expect(await count(page, checkReport, 'Scartate')).toBe('1');
    const rejected = page.getByRole('table', { name: /Righe scartate/ });
    await rejected.getByRole('cell', { name: '5', exact: true }).waitFor();
    expect(await rejected.getByRole('row').count()).toBe(2);
    // The reason is worded in Italian from its code, not the server's English.
    const reason = (await rejected.getByRole('row').nth(1).getByRole('cell').nth(1).textContent()) ?? '';
    expect(reason).toContain('ruolo non valido: usa uno tra titolare, coniuge, figlio, altro');
    expect(reason).not.toMatch(/must be one of|codice fiscale is|check character/);
    // Blocked until the valid rows are imported on purpose.
    expect(await page.getByRole('button', { name: 'APPLICA' }).isDisabled()).toBe(true);
    await page.getByText(/C'è 1 riga scartata/).waitFor();
    await expectAccessible(page);

    await page.getByLabel('Importa comunque le righe valide, scartando le altre').check();
    await page.getByRole('button', { name: 'APPLICA' }).click();
    await page.getByText('Importazione completata.').waitFor();
    const resultReport = "Esito dell'importazione";
    await page.getByRole('heading', { name: resultReport }).waitFor();
    expect(await count(page, resultReport, 'Da aggiungere')).toBe('3');
    const history = page.getByRole('table', { name: 'Caricamenti, dal più recente' });
    await history.getByRole('cell', { name: 'importato', exact: true }).waitFor();
    await history.getByRole('cell', { name: 'anagrafica-e2e.csv' }).waitFor();
    await expectAccessible(page);

    // Search by name, open the member page: the family is there.
    await page.getByLabel('Cerca per codice fiscale, email o nome', { exact: true }).fill('Anna Fittizio');
    await page.getByRole('button', { name: 'CERCA' }).click();
    const results = page.getByRole('table', { name: 'Assistiti trovati' });
    await results.waitFor();
    await results.getByRole('row', { name: /Anna/ }).getByRole('link', { name: 'Fittizio' }).click();
    await page.getByRole('heading', { name: 'Fittizio Anna', level: 1 }).waitFor();
    await page.getByText(holder, { exact: true }).waitFor();
    await page.getByText('Non registrato', { exact: true }).first().waitFor();
    const family = page.getByRole('table', { name: 'Familiari nella stessa copertura' });
    await family.getByRole('cell', { name: 'Bruno' }).waitFor();
    await family.getByRole('cell', { name: 'Carla' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sblocca account' }).count()).toBe(0);
    await expectAccessible(page);

    // A fresh activation ticket: said in the status region, the account state follows.
    await page.getByRole('button', { name: 'Invia di nuovo il ticket' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: "Un nuovo ticket di attivazione è stato inviato all'assistito." })
      .waitFor();
    await page.getByText('In attesa di attivazione', { exact: true }).waitFor();
    await expectAccessible(page);

    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await context.close();
  });

  it("[staff] an auditor reads the history and the administrator's actions; a claims operator cannot upload", async () => {
    const auditor = await open('/backoffice');
    await signIn(auditor.page, 'auditor', 'e2e.reg.auditor');
    await openRegistry(auditor.page);
    await auditor.page.getByRole('heading', { name: 'Storico dei caricamenti' }).waitFor();
    expect(await auditor.page.getByLabel("File CSV dell'anagrafica").count()).toBe(0);
    await expectAccessible(auditor.page);

    await auditor.page
      .getByRole('navigation', { name: 'Funzioni del back office' })
      .getByRole('link', { name: 'Registro attività' })
      .click();
    const table = auditor.page.getByRole('table', { name: /Eventi registrati/ });
    await table.getByRole('cell', { name: 'registry_import_apply' }).first().waitFor();
    await table.getByRole('cell', { name: 'sensitive_read' }).first().waitFor();
    // The same trail as a CSV download, with the page's filters.
    const csvLink = auditor.page.getByRole('link', { name: /Scarica in CSV/ });
    const download = await auditor.context.request.get(String(await csvLink.getAttribute('href')));
    expect(download.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await download.text()).toContain('"registry_import_apply"');
    await expectAccessible(auditor.page);
    expect(auditor.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await auditor.context.close();

    const operator = await open('/backoffice');
    await signIn(operator.page, 'claims_operator', 'e2e.reg.operator');
    await openRegistry(operator.page);
    await operator.page.getByRole('heading', { name: 'Cerca un assistito' }).waitFor();
    expect(await operator.page.getByLabel("File CSV dell'anagrafica").count()).toBe(0);
    expect(await operator.page.getByRole('heading', { name: 'Storico dei caricamenti' }).count()).toBe(0);
    await expectAccessible(operator.page);
    const status = await operator.page.evaluate(async (body) => {
      const res = await fetch('/api/v1/staff/registry/imports?fileName=x.csv', {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body,
      });
      return res.status;
    }, CSV);
    expect(status).toBe(403);
    await operator.context.close();
  });
});
