import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAsNewStaff } from '../helpers/backoffice.js';
import { expectAccessible, launchChromium, openPage } from '../helpers/browser.js';
import { type RunningServer, startServer } from '../helpers/server.js';

const HEADER = 'codice;nome;indirizzo;citta;provincia;cap;latitudine;longitudine;telefono;prestazioni';

/** Three valid facilities and, on line 5, a row naming a service the plans do not have. */
const CSV = [
  HEADER,
  'E2E-TO-01;Centro Prova Torino;Via Immaginaria 10;Torino;TO;10121;45.0703;7.6869;011 0000 0010;visite_specialistiche|fisioterapia',
  'E2E-TO-02;Studio Prova Lingotto;Via Inventata 11;Torino;TO;10126;45.0300;7.6650;;odontoiatria',
  'E2E-AO-01;Centro Prova Aosta;Via Inventata 12;Aosta;AO;11100;45.7370;7.3201;0165 0000 0012;fisioterapia',
  'E2E-BAD-01;Prova Sconosciuta;Via Inventata 13;Torino;TO;10121;45.0703;7.6869;;massaggi',
].join('\n');

describe('provider network in the back office', () => {
  let server: RunningServer;
  let browser: Browser;
  let dir: string;
  let csvPath: string;
  let badPath: string;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'onecare-network-e2e-'));
    csvPath = join(dir, 'rete-e2e.csv');
    writeFileSync(csvPath, CSV);
    badPath = join(dir, 'rete-colonne.csv');
    writeFileSync(badPath, 'codice;nome;citta\nX;Y;Z\n');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const open = (path: string) => openPage(browser, server.url, path);
  const signIn = (page: Page, role: string, username: string) =>
    signInAsNewStaff(page, server.env, role, username);

  async function openNetwork(page: Page) {
    await page
      .getByRole('navigation', { name: 'Funzioni del back office' })
      .getByRole('link', { name: 'Rete strutture' })
      .click();
    await page.getByRole('heading', { name: 'Rete delle strutture convenzionate', level: 1 }).waitFor();
    expect(await page.title()).toBe('Rete strutture · OneCare');
  }

  const count = (page: Page, report: string, label: string) =>
    page
      .getByRole('region', { name: report })
      .locator('dl > div', { has: page.getByText(label, { exact: true }) })
      .locator('dd')
      .textContent();

  /** Searches by keyboard: Tab from the service list through the fields, Enter to send. */
  async function searchByKeyboard(page: Page, service: string, cap: string) {
    const serviceField = page.getByLabel('Prestazione', { exact: true });
    await serviceField.selectOption({ label: service });
    await serviceField.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.locator('input[name="cap"]:focus').count()).toBe(1);
    await page.keyboard.type(cap);
    await page.keyboard.press('Enter');
  }

  it('[staff] an administrator uploads a network file, reads the report, applies it and finds the facility', async () => {
    const { context, page, errors } = await open('/backoffice');
    await signIn(page, 'administrator', 'e2e.net.admin');
    // The start page lists the network among the tools.
    await page
      .getByRole('region', { name: 'Cosa puoi fare' })
      .getByRole('link', { name: 'Rete strutture' })
      .waitFor();
    await expectAccessible(page);
    await openNetwork(page);
    await expectAccessible(page);

    // A file with the wrong columns is refused as a whole, and the page says why.
    const fileField = page.getByLabel('File CSV della rete', { exact: true });
    await fileField.setInputFiles(badPath);
    await page.getByRole('button', { name: 'CARICA E VERIFICA' }).click();
    await page.getByText('Il file è stato rifiutato: correggilo e caricalo di nuovo.').first().waitFor();
    await page
      .getByText(/Riga 1: l'intestazione deve contenere esattamente queste colonne/)
      .first()
      .waitFor();
    await page
      .getByText(/Mancano: indirizzo, provincia, cap/)
      .first()
      .waitFor();
    await expectAccessible(page);

    await fileField.setInputFiles(csvPath);
    await page.getByRole('button', { name: 'CARICA E VERIFICA' }).click();
    const checkReport = 'Esito della verifica (nessuna modifica ancora applicata)';
    await page.getByRole('heading', { name: checkReport }).waitFor();
    await page.getByText('Verifica completata.', { exact: false }).waitFor();
    expect(await count(page, checkReport, 'Righe lette')).toBe('4');
    expect(await count(page, checkReport, 'Strutture da aggiungere')).toBe('3');
    expect(await count(page, checkReport, 'Strutture da aggiornare')).toBe('0');
    expect(await count(page, checkReport, 'Righe scartate')).toBe('1');
    const rejected = page.getByRole('table', { name: /Righe scartate/ });
    await rejected.getByRole('row', { name: /5 codici di prestazione sconosciuti: massaggi/ }).waitFor();
    const unknown = page.getByRole('table', { name: /Codici di prestazione sconosciuti/ });
    await unknown.getByRole('cell', { name: 'massaggi' }).waitFor();
    const toAdd = page.getByRole('table', { name: /Strutture da aggiungere/ });
    await toAdd.getByRole('cell', { name: 'Centro Prova Aosta' }).waitFor();
    expect(await page.getByRole('button', { name: 'APPLICA' }).isDisabled()).toBe(true);
    await page.getByText(/C'è 1 riga scartata/).waitFor();
    await expectAccessible(page);

    // By keyboard: tick the box with Space, move to APPLICA, press Enter.
    const allow = page.getByLabel('Importa comunque le righe valide, scartando le altre');
    await allow.focus();
    await page.keyboard.press('Space');
    expect(await allow.isChecked()).toBe(true);
    const applyButton = page.getByRole('button', { name: 'APPLICA' });
    await applyButton.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Importazione completata.').waitFor();
    const resultReport = "Esito dell'importazione";
    await page.getByRole('heading', { name: resultReport }).waitFor();
    expect(await count(page, resultReport, 'Strutture aggiunte')).toBe('3');
    const history = page.getByRole('table', { name: 'Caricamenti della rete, dal più recente' });
    await history
      .getByRole('row', { name: /rete-e2e\.csv/ })
      .getByRole('cell', { name: 'importato' })
      .waitFor();
    await history.getByRole('cell', { name: /rifiutato: intestazione non valida \(riga 1\)/ }).waitFor();
    await expectAccessible(page);

    // The new facility is found by service and CAP, nearest first.
    await searchByKeyboard(page, 'Fisioterapia', '11100');
    await page
      .getByRole('status')
      .filter({ hasText: /strutture? trovat[ae], dalla più vicina a Aosta/ })
      .waitFor();
    const results = page.getByRole('table', { name: /Strutture trovate/ });
    const first = results.getByRole('row').nth(1);
    expect(await first.getByRole('cell').first().textContent()).toBe('Centro Prova Aosta');
    await first.getByRole('cell', { name: '0 km' }).waitFor();
    await results.getByRole('cell', { name: 'Centro Prova Torino' }).waitFor();
    await expectAccessible(page);

    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await context.close();
  });

  it('[staff] the booking desk searches the network but cannot upload; the auditor reads the history', async () => {
    const desk = await open('/backoffice');
    await signIn(desk.page, 'booking_desk', 'e2e.net.desk');
    await openNetwork(desk.page);
    expect(await desk.page.getByLabel('File CSV della rete').count()).toBe(0);
    expect(await desk.page.getByRole('heading', { name: 'Storico dei caricamenti' }).count()).toBe(0);
    await searchByKeyboard(desk.page, 'Odontoiatria', '101');
    const results = desk.page.getByRole('table', { name: /Strutture trovate/ });
    await results.getByRole('cell', { name: 'Studio Prova Lingotto' }).waitFor();
    await expectAccessible(desk.page);
    const status = await desk.page.evaluate(async (body) => {
      const res = await fetch('/api/v1/staff/network/imports?fileName=x.csv', {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv' },
        body,
      });
      return res.status;
    }, CSV);
    expect(status).toBe(403);
    await desk.context.close();

    const auditor = await open('/backoffice');
    await signIn(auditor.page, 'auditor', 'e2e.net.auditor');
    await openNetwork(auditor.page);
    const history = auditor.page.getByRole('table', { name: 'Caricamenti della rete, dal più recente' });
    await history.getByRole('cell', { name: 'rete-e2e.csv' }).waitFor();
    expect(await auditor.page.getByLabel('File CSV della rete').count()).toBe(0);
    await expectAccessible(auditor.page);
    await auditor.context.close();
  });

  it('[staff] an administrator withdraws a file checked: ANNULLA, the page says so, the history shows it', async () => {
    const { context, page, errors } = await open('/backoffice');
    await signIn(page, 'administrator', 'e2e.net.discard');
    await openNetwork(page);
    await page
      .getByLabel('File CSV della rete', { exact: true })
      .setInputFiles({ name: 'rete-annullata.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByRole('button', { name: 'CARICA E VERIFICA' }).click();
    const checkReport = 'Esito della verifica (nessuna modifica ancora applicata)';
    await page.getByRole('heading', { name: checkReport }).waitFor();
    await page.getByRole('button', { name: 'ANNULLA' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Caricamento annullato: nessuna modifica alla rete.' })
      .waitFor();
    expect(await page.getByRole('heading', { name: checkReport }).count()).toBe(0);
    await page
      .getByRole('table', { name: 'Caricamenti della rete, dal più recente' })
      .getByRole('row', { name: /rete-annullata\.csv/ })
      .getByRole('cell', { name: 'annullato' })
      .waitFor();
    await expectAccessible(page);
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await context.close();
  });
});
