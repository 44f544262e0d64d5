import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axeViolations,
  expectVisible,
  launchChromium,
  newContext,
  watchPageErrors,
} from '../helpers/browser.js';
import { type RunningServer, startServer } from '../helpers/server.js';

describe('login page', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startServer({ SUPPORT_EMAIL: 'aiuto@onecare.example', SUPPORT_PHONE: '800 123 456' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function open(locale = 'it-IT') {
    context = await newContext(browser, server.url, locale);
    page = await context.newPage();
    errors = watchPageErrors(page);
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
  }

  it("[visitor] sees the seed's login page in Italian, with no accessibility violation", async () => {
    await open();
    expect(await page.locator('html').getAttribute('lang')).toBe('it');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Benvenuto in OneCare');
    await expectVisible(page.getByText('Accesso area riservata'));
    await expectVisible(page.getByLabel('Username'));
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('type')).toBe('password');
    expect(await page.getByLabel('Username').getAttribute('autocomplete')).toBe('username');
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('autocomplete')).toBe(
      'current-password',
    );
    await expectVisible(page.getByRole('button', { name: 'LOGIN' }));
    for (const [name, href] of [
      ['Password dimenticata?', '/recupero-password'],
      ['Username dimenticata?', '/recupero-username'],
      ['REGISTRATI', '/registrazione'],
      ['Istruzioni per la registrazione', '/istruzioni'],
    ] as const) {
      expect(await page.getByRole('link', { name, exact: true }).getAttribute('href')).toBe(href);
    }
    // Support contacts come from the configuration.
    await page.getByText('800 123 456').waitFor();
    await expectVisible(page.getByText('aiuto@onecare.example'));
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('[visitor] switches to English and the choice survives a reload', async () => {
    await page.getByRole('radio', { name: /English|EN/ }).check();
    await page.getByRole('heading', { name: 'Welcome to OneCare' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await expectVisible(page.getByRole('button', { name: 'LOGIN' }));
    await expectVisible(page.getByRole('link', { name: 'Forgot password?' }));
    await expectVisible(page.getByRole('link', { name: 'REGISTER' }));
    await expectVisible(page.getByRole('link', { name: 'Registration instructions' }));
    expect(await axeViolations(page)).toEqual([]);
    await page.reload();
    await page.getByRole('heading', { name: 'Welcome to OneCare' }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('[visitor] uses the form with the keyboard only: field errors appear beside the fields', async () => {
    await open();
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Vai al contenuto principale');
    await page.getByLabel('Username').focus();
    await page.keyboard.press('Enter');
    await page.getByText('Inserisci la username.').waitFor();
    await expectVisible(page.getByText('Inserisci la password.'));
    await page.keyboard.type('mario.rossi');
    await page.keyboard.press('Tab');
    await page.keyboard.type('una password qualsiasi');
    await page.keyboard.press('Enter');
    // The login itself arrives with the member accounts; the answer is shown in the alert region.
    await page.getByRole('alert').getByText(/.+/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('[visitor] an unknown address shows a translated "not found" page with a way back', async () => {
    await open();
    await page.goto('/pagina-che-non-esiste');
    await page.getByRole('heading', { name: 'Pagina non trovata' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Torna alla pagina di accesso' }).click();
    await page.getByRole('heading', { name: 'Benvenuto in OneCare' }).waitFor();
    await context.close();
  });
});
