import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../server/demo/seed.js';
import { newId } from '../../server/lib/ids.js';
import { hashPassword } from '../../server/lib/password-hashing.js';
import {
  axeViolations,
  DESKTOP,
  expectVisible,
  launchChromium,
  watchPageErrors,
} from '../helpers/browser.js';
import { driveClaim, insertSubmittedClaim } from '../helpers/claims.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';
import { staffWithSession, totpCode } from '../helpers/staff.js';

const PASSWORD = 'una frase lunga per il mio profilo';
const OLD_IBAN = 'IT60X0542811101000000123456';
const NEW_IBAN = 'IT06X0306909606100000063581';
const USERNAME = 'mario.spazio';
const EMAIL = `${USERNAME}@example.test`;

function pdfText(pdf: Buffer): string {
  const out = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf });
  if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr.toString()}`);
  return out.stdout.toString('utf8');
}

async function pdfInvoice(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  page.drawText('Fattura n. 9/2026 - documento di prova', {
    x: 40,
    y: 780,
    size: 11,
    font: await pdf.embedFont(StandardFonts.Helvetica),
  });
  return Buffer.from(await pdf.save());
}

describe('the member space in the browser', () => {
  let smtp: TestSmtp;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let registryId = '';
  let accountId = '';
  let errors: string[] = [];

  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      const shown = await page
        .locator('h1, h2, [role=alert], [role=status], .field__error')
        .allInnerTexts()
        .catch(() => []);
      process.stderr.write(
        [`--- page at failure: ${page.url()}`, ...shown.map((s) => `  shown: ${s}`), ...errors].join('\n'),
      );
    });
  });

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startServer({
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: smtp.url,
      CLAIM_AUTO_SAMPLE_BASIS_POINTS: '0',
    });
    await seedDemoData(server.app);
    const member = await server.app.db
      .selectFrom('registry_members')
      .select('id')
      .where('given_name', '=', 'Mario')
      .where('surname', '=', 'Demo')
      .executeTakeFirstOrThrow();
    registryId = member.id;
    accountId = newId();
    await server.app.db
      .insertInto('member_accounts')
      .values({
        id: accountId,
        registry_member_id: member.id,
        username: USERNAME,
        email: EMAIL,
        locale: 'it',
        password_hash: await hashPassword(PASSWORD),
        must_change_password: 0,
        temp_password_expires_at: null,
        password_changed_at: null,
        failed_logins: 0,
        password_locked_at: null,
        created_at: new Date().toISOString(),
        iban: OLD_IBAN,
        iban_holder: 'Mario Demo',
      })
      .execute();
    browser = await launchChromium();
    context = await browser.newContext({
      baseURL: server.url,
      locale: 'it-IT',
      acceptDownloads: true,
      ...DESKTOP,
    });
    await context.addInitScript(`localStorage.setItem('onecare.language', 'it')`);
    page = await context.newPage();
    errors = watchPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
  });

  const loginInBrowser = async (code?: () => string) => {
    await page.goto('/login');
    await page.getByLabel('Username', { exact: true }).fill(USERNAME);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'LOGIN' }).click();
    if (code) {
      const field = page.getByLabel('Codice di verifica', { exact: true });
      await expectVisible(field);
      await field.fill(code());
      await page.getByRole('button', { name: 'VERIFICA' }).click();
    }
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Area riservata' }));
  };

  /** A claim sent through the API with the browser's cookie: the wizard's prefill is its IBAN. */
  async function claimThroughApi(): Promise<{ id: string; number: string; iban: string }> {
    const headers = { origin: server.url };
    const options = await (await context.request.get('/api/v1/claims/options')).json();
    const beneficiary = options.beneficiaries.find((b: { self: boolean }) => b.self);
    const draft = await (await context.request.post('/api/v1/claims/drafts', { headers })).json();
    const put = await context.request.put(`/api/v1/claims/drafts/${draft.id}`, {
      headers,
      data: {
        beneficiaryId: beneficiary.id,
        category: 'ticket_ssn',
        invoices: [
          {
            id: crypto.randomUUID(),
            invoiceDate: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10),
            invoiceNumber: 'T-9',
            issuerName: 'ASL Roma 1',
            amountCents: 32_500,
            channel: 'ssn_ticket',
          },
        ],
        iban: options.payee.iban,
        accountHolder: options.payee.accountHolder,
      },
    });
    expect(put.status()).toBe(200);
    const upload = await context.request.post(
      `/api/v1/claims/drafts/${draft.id}/documents?kind=fattura&name=fattura.pdf`,
      { headers: { ...headers, 'content-type': 'application/pdf' }, data: await pdfInvoice() },
    );
    expect(upload.status()).toBe(201);
    const submit = await context.request.post(`/api/v1/claims/drafts/${draft.id}/submit`, {
      headers,
      data: { declaration: true, idempotencyKey: crypto.randomUUID() },
    });
    expect(submit.status()).toBe(200);
    const sent = (await submit.json()) as { id: string; number: string };
    const row = await server.app.db
      .selectFrom('claims')
      .select('iban')
      .where('id', '=', sent.id)
      .executeTakeFirstOrThrow();
    return { ...sent, iban: row.iban ?? '' };
  }

  it('[member] changes the IBAN with the password; the notice email arrives; the next claim uses it', async () => {
    await loginInBrowser();
    const before = await claimThroughApi();
    expect(before.iban).toBe(OLD_IBAN);
    await page.getByRole('link', { name: 'Profilo', exact: true }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Il mio profilo' }));
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Nuovo IBAN', { exact: true }).fill('IT06 X030 6909 6061 0000 0063 581');
    await page.getByLabel('Intestatario del conto', { exact: true }).fill('Mario Demo');
    await page.getByRole('button', { name: 'CAMBIA IBAN' }).click();
    // Without the password nothing changes.
    await expectVisible(
      page
        .getByText('Password attuale: campo obbligatorio', { exact: false })
        .or(page.locator('.field__error').first()),
    );
    await page.getByLabel('Password attuale', { exact: true }).first().fill(PASSWORD);
    await page.getByRole('button', { name: 'CAMBIA IBAN' }).click();
    await expectVisible(
      page
        .getByText('IBAN cambiato. Ti abbiamo inviato un’email di conferma.')
        .or(page.getByText("IBAN cambiato. Ti abbiamo inviato un'email di conferma.")),
    );
    const notice = await smtp.waitForEmail(EMAIL, { subject: /IBAN/ });
    expect(notice.subject).not.toContain(NEW_IBAN);
    expect(notice.text).toContain('3581');
    expect(notice.text).toMatch(/\/profilo\/segnala-iban\?token=/);
    const after = await claimThroughApi();
    expect(after.iban).toBe(NEW_IBAN);
    const kept = await server.app.db
      .selectFrom('claims')
      .select('iban')
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow();
    expect(kept.iban).toBe(OLD_IBAN);
  });

  it('[member] signs out another device from the sessions list', async () => {
    const other = await browser.newContext({ baseURL: server.url });
    const login = await other.request.post('/api/v1/auth/login', {
      data: { username: USERNAME, password: PASSWORD },
      headers: { origin: server.url, 'user-agent': 'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0' },
    });
    expect(login.status()).toBe(200);
    expect((await other.request.get('/api/v1/profile')).status()).toBe(200);
    await page.goto('/profilo');
    const button = page.getByRole('button', { name: 'Esci dal dispositivo Firefox · Windows' });
    await expectVisible(button);
    await expectVisible(page.getByRole('row', { name: /Questo dispositivo/ }));
    await button.click();
    await expect.poll(async () => (await other.request.get('/api/v1/profile')).status()).toBe(401);
    await other.close();
  });

  it('[member] turns on two-step verification and logs in with a code', async () => {
    await page.goto('/profilo');
    const section = page.locator('section', {
      has: page.getByRole('heading', { name: 'Verifica in due passaggi' }),
    });
    await section.getByLabel('Password attuale', { exact: true }).fill(PASSWORD);
    await section.getByRole('button', { name: 'ATTIVA' }).click();
    const key = page.getByTestId('totp-key');
    await expectVisible(key);
    const secret = ((await key.textContent()) ?? '').trim();
    await expectVisible(
      page
        .getByRole('img', { name: 'Codice QR per l’app di autenticazione' })
        .or(page.getByRole('img', { name: "Codice QR per l'app di autenticazione" })),
    );
    await section.getByLabel('Codice a 6 cifre', { exact: true }).fill(totpCode(secret, new Date()));
    await section.getByRole('button', { name: 'CONFERMA' }).click();
    const codes = page.getByRole('list', { name: 'Codici di recupero' }).getByRole('listitem');
    await expect.poll(() => codes.count()).toBe(10);
    // Log out, then in again: the password, then the code (the next time step: a code is never used twice).
    await context.clearCookies();
    await loginInBrowser(() => totpCode(secret, new Date(), 1));
    const profile = await (await context.request.get('/api/v1/profile')).json();
    expect(profile.twoFactor.enabled).toBe(true);
  });

  it('[member] downloads the yearly statement and reads its totals back', async () => {
    const year = new Date().getFullYear() - 1;
    const plan = await server.app.db
      .selectFrom('registry_members')
      .select('plan_id')
      .where('id', '=', registryId)
      .executeTakeFirstOrThrow();
    const paid = await insertSubmittedClaim(server.app, {
      accountId,
      familyId: registryId,
      beneficiaryId: registryId,
      planId: plan.plan_id,
      category: 'visite_specialistiche',
      submittedAt: `${year}-03-01T09:00:00.000Z`,
      lines: [
        { invoiceDate: `${year}-02-10`, amountCents: 12_345, estimatedCents: 6_001 },
        { invoiceDate: `${year}-02-11`, amountCents: 8_001, estimatedCents: 3_333 },
      ],
    });
    await driveClaim(server.app, paid, { to: 'approved', by: 'staff' });
    await driveClaim(server.app, paid, { to: 'paid', paidOn: `${year}-04-02` });
    await page.goto('/area-riservata');
    await page.getByRole('link', { name: 'Rendiconto annuale', exact: true }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Rendiconto annuale' }));
    await page.getByLabel('Anno', { exact: true }).selectOption(String(year));
    const total = page.locator('[data-total="amount"]').first();
    await expect.poll(async () => (await total.textContent()) ?? '').toMatch(/203,46/);
    expect(await page.locator('[data-total="reimbursed"]').first().textContent()).toMatch(/93,34/);
    expect(await page.locator('[data-total="left"]').first().textContent()).toMatch(/110,12/);
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'SCARICA PDF' }).click(),
    ]);
    const text = pdfText(readFileSync((await download.path()) ?? ''));
    expect(text).toContain(`Rendiconto annuale ${year}`);
    expect(text).toMatch(/203,46 €\s+93,34 €\s+110,12 €/);
  });

  it('[member] asks for all the data and opens the ZIP: JSON, a document, the operator’s view in the access log', async () => {
    const claim = await server.app.db
      .selectFrom('claims')
      .select('id')
      .where('account_id', '=', accountId)
      .where('iban', '=', NEW_IBAN)
      .executeTakeFirstOrThrow();
    const operator = await staffWithSession(server.app, 'operatore.spazio', 'claims_operator');
    const view = await context.request.get(`/api/v1/staff/claims/${claim.id}`, {
      headers: { cookie: operator.cookie },
    });
    expect(view.status()).toBe(200);
    await page.goto('/profilo');
    const log = page.locator('section', { has: page.getByRole('heading', { name: 'Accesso ai tuoi dati' }) });
    await expectVisible(log.getByRole('cell', { name: 'Operatore pratiche' }).first());
    await page.getByRole('button', { name: 'SCARICA I MIEI DATI' }).click();
    await expectVisible(page.getByText(/Pronto: ti abbiamo inviato il link/), 30_000);
    const mail = await smtp.waitForEmail(EMAIL, { subject: /i tuoi dati/ });
    const link = /(https?:\/\/\S+\/api\/v1\/profile\/data-export\/\S+)/.exec(mail.text)?.[1] ?? '';
    const res = await context.request.get(link);
    expect(res.status()).toBe(200);
    const files = unzipSync(new Uint8Array(await res.body()));
    const data = JSON.parse(Buffer.from(files['data.json'] ?? []).toString('utf8'));
    expect(data.account.username).toBe(USERNAME);
    expect(data.claims.map((c: { id: string }) => c.id)).toContain(claim.id);
    const documents = Object.keys(files).filter((f) => f.startsWith('documents/'));
    expect(documents.length).toBeGreaterThan(0);
    expect(
      Buffer.from(files[documents[0] ?? ''] ?? [])
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const access = JSON.parse(Buffer.from(files['access-log.json'] ?? []).toString('utf8'));
    expect(access.entries).toContainEqual(
      expect.objectContaining({ role: 'claims_operator', what: 'claim' }),
    );
    // Once only.
    expect((await context.request.get(link)).status()).toBe(400);
  });
});
