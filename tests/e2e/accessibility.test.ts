import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoNetwork } from '../../server/demo/network.js';
import { newId } from '../../server/lib/ids.js';
import { hashPassword } from '../../server/lib/password-hashing.js';
import { generateCodiceFiscale } from '../../server/modules/members/codice-fiscale.js';
import {
  axeViolations,
  expectNoHorizontalScroll,
  launchChromium,
  newContext,
  PHONE,
} from '../helpers/browser.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { STAFF_PASSWORD, totpCode } from '../helpers/staff.js';

const PUBLIC_PAGES = [
  '/',
  '/registrazione',
  '/attivazione',
  '/recupero-password',
  '/recupero-username',
  '/istruzioni',
  '/reimposta-password?token=abcdefghjkmn.not-a-real-token',
  '/pagina-che-non-esiste',
];
const PASSWORD = 'una frase lunga per provare le pagine';

describe('accessibility of every page, in Italian and in English', () => {
  let server: RunningServer;
  let browser: Browser;

  async function account(username: string, mustChange: boolean): Promise<void> {
    const now = new Date().toISOString();
    const planId = newId();
    const memberId = newId();
    await server.app.db
      .insertInto('plans')
      .values({ id: planId, code: `A11Y-${username}`, name: 'Piano accessibile', created_at: now })
      .execute();
    await server.app.db
      .insertInto('registry_members')
      .values({
        id: memberId,
        codice_fiscale: generateCodiceFiscale({
          surname: 'Accesso',
          name: username,
          birthDate: '1980-02-02',
          sex: 'F',
          placeCode: 'H501',
        }),
        surname: 'Accesso',
        given_name: username,
        birth_date: '1980-02-02',
        email: null,
        plan_id: planId,
        role: 'titolare',
        holder_cf: null,
        coverage_start: '2024-01-01',
        coverage_end: '2027-12-31',
        created_at: now,
        updated_at: now,
      })
      .execute();
    await server.app.db
      .insertInto('member_accounts')
      .values({
        id: newId(),
        registry_member_id: memberId,
        username,
        email: `${username}@example.test`,
        locale: 'it',
        password_hash: await hashPassword(PASSWORD),
        must_change_password: mustChange ? 1 : 0,
        temp_password_expires_at: mustChange ? new Date(Date.now() + 3_600_000).toISOString() : null,
        password_changed_at: null,
        failed_logins: 0,
        password_locked_at: null,
        created_at: now,
      })
      .execute();
  }

  beforeAll(async () => {
    server = await startServer();
    await account('lettore', false);
    // A temporary password works for one login: one such account per language.
    await account('nuovoit', true);
    await account('nuovoen', true);
    await account('nuovotel', true);
    await seedDemoNetwork(server.app.db, server.app.clock);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const language of ['it', 'en'] as const) {
    it(`[visitor] public pages have no axe violation (${language})`, async () => {
      const context = await newContext(browser, server.url, language === 'it' ? 'it-IT' : 'en-US');
      await context.addInitScript(`localStorage.setItem('onecare.language', '${language}')`);
      const page = await context.newPage();
      for (const path of PUBLIC_PAGES) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        expect(await page.locator('html').getAttribute('lang'), path).toBe(language);
        expect(await page.title(), path).toMatch(/OneCare/);
        expect([path, await axeViolations(page)]).toEqual([path, []]);
      }
      await context.close();
    });

    it(`[member] pages behind the login have no axe violation (${language})`, async () => {
      for (const [username, path] of [
        [`nuovo${language}`, '/cambio-password'],
        ['lettore', '/area-riservata'],
        ['lettore', '/strutture'],
        ['lettore', '/rimborsi'],
        ['lettore', '/pratiche'],
      ] as const) {
        const context = await newContext(browser, server.url, language === 'it' ? 'it-IT' : 'en-US');
        await context.addInitScript(`localStorage.setItem('onecare.language', '${language}')`);
        const login = await context.request.post('/api/v1/auth/login', {
          data: { username, password: PASSWORD },
          headers: { origin: server.url },
        });
        expect(login.status()).toBe(200);
        const page = await context.newPage();
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        expect([path, await axeViolations(page)]).toEqual([path, []]);
        await context.close();
      }
    });
  }

  /** A claim approved for 70,00 € and waiting to be paid, on the reader's account (rows as the claims module writes them). */
  async function approvedClaim(number: string, holder: string): Promise<string> {
    const account = await server.app.db
      .selectFrom('member_accounts as a')
      .innerJoin('registry_members as r', 'r.id', 'a.registry_member_id')
      .select(['a.id', 'r.id as registryId', 'r.plan_id'])
      .where('a.username', '=', 'lettore')
      .executeTakeFirstOrThrow();
    const id = newId();
    const now = new Date().toISOString();
    await server.app.db
      .insertInto('claims')
      .values({
        id,
        number,
        account_id: account.id,
        family_id: account.registryId,
        beneficiary_id: account.registryId,
        plan_id: account.plan_id,
        plan_code: 'A11Y',
        plan_version: 1,
        category: 'visite_specialistiche',
        state: 'approved',
        iban: 'IT60X0542811101000000123456',
        account_holder: holder,
        idempotency_key: null,
        submitted_at: now,
        expected_decision_on: now.slice(0, 10),
        claimed_cents: 12_000,
        estimated_cents: 7_000,
        accepted_cents: 7_000,
        paid_cents: null,
        last_reminder_at: null,
        draft: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }

  it('[administrator] the payments pages have no axe violation (it, en)', async () => {
    await approvedClaim('RSM-2026-900001', 'Lettore Accesso');
    await approvedClaim('RSM-2026-900002', 'Niccolò Çelik');
    for (const language of ['it', 'en'] as const) {
      const context = await newContext(browser, server.url, language === 'it' ? 'it-IT' : 'en-US');
      await context.addInitScript(`localStorage.setItem('onecare.language', '${language}')`);
      // An administrator enrolled as on the enrolment page, then logged in.
      const username = `a11y.admin.${language}`;
      const { link } = await server.app.staff.create({
        username,
        role: 'administrator',
        email: `${username}@example.test`,
      });
      const token = new URL(link).searchParams.get('token') ?? '';
      const headers = { origin: server.url };
      const start = await context.request.post('/api/v1/staff/enrolment/start', { data: { token }, headers });
      const { secret } = (await start.json()) as { secret: string };
      const enrolled = await context.request.post('/api/v1/staff/enrolment/complete', {
        data: {
          token,
          password: STAFF_PASSWORD,
          passwordConfirmation: STAFF_PASSWORD,
          code: totpCode(secret, new Date()),
        },
        headers,
      });
      expect(enrolled.status(), await enrolled.text()).toBe(200);
      // The enrolment used this step's code; a code is accepted once: the next step's.
      const login = await context.request.post('/api/v1/staff/auth/login', {
        data: { username, password: STAFF_PASSWORD, code: totpCode(secret, new Date(), 1) },
        headers,
      });
      expect(login.status(), await login.text()).toBe(200);
      const page = await context.newPage();
      await page.goto('/backoffice/pagamenti');
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.getByRole('heading', { level: 2 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect([language, '/backoffice/pagamenti', await axeViolations(page)]).toEqual([
        language,
        '/backoffice/pagamenti',
        [],
      ]);
      if (language === 'it') {
        await page.getByRole('button', { name: 'CREA DISTINTA' }).click();
        await page.getByRole('heading', { level: 1, name: /^Distinta OC-/ }).waitFor();
      } else {
        await page.getByRole('link', { name: /^OC-/ }).first().click();
        await page.getByRole('heading', { level: 1, name: /^Batch OC-/ }).waitFor();
        await page.getByRole('button', { name: 'SENT TO THE BANK' }).click();
        await page.getByLabel('Value date', { exact: true }).waitFor();
      }
      await page.waitForLoadState('networkidle');
      expect([language, page.url(), await axeViolations(page)]).toEqual([language, page.url(), []]);
      await context.close();
    }
  });

  // Most members use a phone: every page, public and behind the login, on a 390×844 screen.
  it('[phone] every page fits a phone screen (nothing to scroll sideways) with no axe violation', async () => {
    const visitor = await newContext(browser, server.url, 'it-IT', PHONE);
    const page = await visitor.newPage();
    for (const path of PUBLIC_PAGES) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await expectNoHorizontalScroll(page, path);
      expect([path, await axeViolations(page)]).toEqual([path, []]);
    }
    await visitor.close();
    for (const [username, path] of [
      ['nuovotel', '/cambio-password'],
      ['lettore', '/area-riservata'],
      ['lettore', '/strutture'],
      ['lettore', '/rimborsi'],
      ['lettore', '/pratiche'],
    ] as const) {
      const context = await newContext(browser, server.url, 'it-IT', PHONE);
      const login = await context.request.post('/api/v1/auth/login', {
        data: { username, password: PASSWORD },
        headers: { origin: server.url },
      });
      expect(login.status()).toBe(200);
      const member = await context.newPage();
      await member.goto(path);
      await member.getByRole('heading', { level: 1 }).first().waitFor();
      await member.waitForLoadState('networkidle');
      await expectNoHorizontalScroll(member, path);
      expect([path, await axeViolations(member)]).toEqual([path, []]);
      await context.close();
    }
  });

  it('[member] finds network facilities near a CAP, nearest first, and pages through them', async () => {
    const context = await newContext(browser, server.url);
    const login = await context.request.post('/api/v1/auth/login', {
      data: { username: 'lettore', password: PASSWORD },
      headers: { origin: server.url },
    });
    expect(login.status()).toBe(200);
    const page = await context.newPage();
    await page.goto('/area-riservata');
    await page.getByRole('link', { name: /Prenota una prestazione medica/ }).click();
    await page.getByRole('heading', { name: 'Strutture convenzionate' }).waitFor();
    await page
      .getByLabel('Prestazione')
      .selectOption({ label: 'Fisioterapia' })
      .catch(async () => {
        await page.getByLabel('Prestazione').click();
        await page.getByRole('option', { name: 'Fisioterapia' }).click();
      });
    await page.getByLabel('CAP', { exact: true }).fill('00184');
    await page.getByRole('button', { name: 'CERCA' }).click();
    await page
      .getByText(/strutture? trovat/)
      .first()
      .waitFor();
    const distances = (await page.getByText(/\d+(,\d)? km/).allTextContents()).map((t) =>
      Number(/(\d+(?:,\d)?) km/.exec(t)?.[1]?.replace(',', '.')),
    );
    expect(distances.length).toBeGreaterThan(1);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'SUCCESSIVA' }).click();
    await page.getByRole('button', { name: 'PRECEDENTE' }).waitFor();
    await page.getByLabel('CAP', { exact: true }).fill('99999');
    await page.getByRole('button', { name: 'CERCA' }).click();
    await page
      .getByText('CAP non trovato: controlla di averlo scritto bene o cerca per comune o provincia.')
      .waitFor();
    await context.close();
  });
});
