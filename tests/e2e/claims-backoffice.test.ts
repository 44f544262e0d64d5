import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { seedDemoData } from '../../server/demo/seed.js';
import { newId } from '../../server/lib/ids.js';
import { hashPassword } from '../../server/lib/password-hashing.js';
import { signInAsNewStaff } from '../helpers/backoffice.js';
import {
  axeViolations,
  DESKTOP,
  expectNoHorizontalScroll,
  expectVisible,
  launchChromium,
  PHONE,
  watchPageErrors,
} from '../helpers/browser.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

const PASSWORD = 'una frase lunga per seguire le pratiche';
const IBAN = 'IT60X0542811101000000123456';

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

async function pdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(text, { x: 40, y: 780, size: 11, font });
  return Buffer.from(await doc.save());
}

/**
 * The claim loop in the browser, with real emails: a member's claim, an operator who asks for the
 * prescription, the member who sends it back, the operator's decision (one invoice as proposed,
 * the other lowered with a reason) above the four-eyes threshold, a second operator's approval,
 * and the member who reads the decision in plain words.
 */
describe('claims in the back office: from the queue to the decision, and back to the member', () => {
  let smtp: TestSmtp;
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function staffPage(): Promise<Page> {
    const context = await browser.newContext({
      baseURL: server.url,
      locale: 'it-IT',
      acceptDownloads: true,
      ...DESKTOP,
    });
    contexts.push(context);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    onTestFailed(async () => {
      const shown = await page
        .locator('h1, h2, [role=alert], [role=status]')
        .allInnerTexts()
        .catch(() => []);
      process.stderr.write(
        [
          `--- staff page at failure: ${page.url()}`,
          ...shown.map((s) => `  shown: ${s}`),
          ...errors,
          '',
        ].join('\n'),
      );
    });
    return page;
  }

  async function memberPage(username: string): Promise<Page> {
    const context = await browser.newContext({
      baseURL: server.url,
      locale: 'it-IT',
      acceptDownloads: true,
      ...PHONE,
    });
    contexts.push(context);
    const login = await context.request.post('/api/v1/auth/login', {
      data: { username, password: PASSWORD },
      headers: { origin: server.url },
    });
    expect(login.status()).toBe(200);
    return context.newPage();
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startServer({ MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url });
    await seedDemoData(server.app);
    const member = await server.app.db
      .selectFrom('registry_members')
      .select('id')
      .where('given_name', '=', 'Mario')
      .where('surname', '=', 'Demo')
      .executeTakeFirstOrThrow();
    await server.app.db
      .insertInto('member_accounts')
      .values({
        id: newId(),
        registry_member_id: member.id,
        username: 'mario.pratiche',
        email: 'mario.pratiche@example.test',
        locale: 'it',
        password_hash: await hashPassword(PASSWORD),
        must_change_password: 0,
        temp_password_expires_at: null,
        password_changed_at: null,
        failed_logins: 0,
        password_locked_at: null,
        created_at: new Date().toISOString(),
      })
      .execute();
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
  });

  it('[member, operators] documents asked and sent back, a decision with a lowered line, four eyes, the member reads it', async () => {
    const member = await memberPage('mario.pratiche');
    const request = member.context().request;
    const headers = { origin: server.url };

    // The member sends a claim for his son: a specialist visit out of network and a ticket, no prescription.
    const options = await (await request.get('/api/v1/claims/options')).json();
    const luca = options.beneficiaries.find((b: { givenName: string }) => b.givenName === 'Luca');
    const draft = await (await request.post('/api/v1/claims/drafts', { headers })).json();
    const saved = await request.put(`/api/v1/claims/drafts/${draft.id}`, {
      headers,
      data: {
        beneficiaryId: luca.id,
        category: 'visite_specialistiche',
        invoices: [
          {
            id: crypto.randomUUID(),
            invoiceDate: daysAgo(5),
            invoiceNumber: 'CARD-450',
            issuerName: 'Studio Cardiologico Immaginario',
            amountCents: 150_000,
            channel: 'out_of_network',
          },
          {
            id: crypto.randomUUID(),
            invoiceDate: daysAgo(4),
            invoiceNumber: 'TK-88',
            issuerName: 'ASL Roma 1',
            amountCents: 3_615,
            channel: 'ssn_ticket',
          },
        ],
        iban: IBAN,
        accountHolder: 'Mario Demo',
      },
    });
    expect(saved.status(), await saved.text()).toBe(200);
    const upload = await request.post(
      `/api/v1/claims/drafts/${draft.id}/documents?kind=fattura&name=fattura.pdf`,
      {
        headers: { ...headers, 'content-type': 'application/pdf' },
        data: await pdf('Fattura CARD-450 - visita cardiologica - 1.500,00 EUR (documento di prova)'),
      },
    );
    expect(upload.status()).toBe(201);
    const sent = await request.post(`/api/v1/claims/drafts/${draft.id}/submit`, {
      headers,
      data: { declaration: true, idempotencyKey: crypto.randomUUID() },
    });
    expect(sent.status()).toBe(200);
    const { id, number, state } = (await sent.json()) as { id: string; number: string; state: string };
    expect(state).toBe('submitted');
    await smtp.waitForEmail('mario.pratiche@example.test', { subject: new RegExp(number) });
    // The dashboard's live caps: nothing approved yet (and the estimate is nil: no prescription).
    const familyCap = member.getByRole('meter', { name: 'Massimale annuo del nucleo' }).first();
    await member.goto('/area-riservata');
    await expectVisible(familyCap);
    expect(await familyCap.getAttribute('aria-valuetext')).toBe(
      'Utilizzati 0,00 € su 5.000,00 €: restano 5.000,00 €.',
    );

    // The first operator finds it in the queue, takes it and asks for the prescription.
    const op1 = await staffPage();
    await signInAsNewStaff(op1, server.env, 'claims_operator', 'op.prima');
    await op1.getByRole('link', { name: 'Pratiche', exact: true }).click();
    await expectVisible(op1.getByRole('heading', { level: 1, name: 'Pratiche di rimborso' }));
    const row = op1.getByRole('row').filter({ hasText: number });
    await expectVisible(row);
    await expectVisible(row.getByText('Inviata'));
    await op1.waitForLoadState('networkidle');
    expect(await axeViolations(op1)).toEqual([]);
    await row.getByRole('link', { name: number }).click();
    await expectVisible(op1.getByRole('heading', { level: 1, name: `Pratica n. ${number}` }));
    await op1.getByRole('button', { name: 'PRENDI IN CARICO' }).click();
    await expectVisible(op1.getByText('Hai preso in carico la pratica.'));
    await expectVisible(op1.locator('.claim-state--large').getByText('In valutazione'));
    // The invoice opens in the page (served inline, framed by the back office only), and closes.
    await op1.getByRole('button', { name: 'Apri fattura.pdf' }).click();
    const viewer = op1.locator('iframe[title="fattura.pdf"]');
    await expectVisible(viewer);
    const served = await op1.context().request.get((await viewer.getAttribute('src')) ?? '');
    expect([served.status(), served.headers()['content-type']]).toEqual([200, 'application/pdf']);
    expect(served.headers()['content-disposition']).toMatch(/^inline;/);
    await op1.getByRole('button', { name: 'Chiudi fattura.pdf' }).click();
    await expect.poll(() => viewer.count()).toBe(0);
    expect(await axeViolations(op1)).toEqual([]);
    const requestPanel = op1.getByRole('region', { name: 'Richiesta di documenti' });
    await expect
      .poll(() => requestPanel.getByRole('checkbox', { name: /Prescrizione medica/ }).isChecked())
      .toBe(true);
    await requestPanel
      .getByLabel("Testo per l'assistito (facoltativo)")
      .fill('Serve la prescrizione del medico per la visita.');
    await requestPanel.getByRole('button', { name: 'RICHIEDI DOCUMENTI' }).click();
    await expectVisible(op1.getByText("Richiesta inviata: l'assistito riceverà un'email."));
    await expectVisible(op1.locator('.claim-state--large').getByText('Sospesa – in attesa di integrazione'));

    // The member is told by email (no health details), follows the link and sends the prescription.
    const news = await smtp.waitForEmail('mario.pratiche@example.test', { subject: new RegExp(number) });
    expect(news.subject).not.toMatch(/prescrizione|cardiolog/i);
    const link = /(https?:\/\/\S+\/pratiche\/\S+)/.exec(news.text)?.[1] ?? '';
    expect(link).toContain(id);
    await member.goto(new URL(link).pathname);
    const asked = member.getByRole('region', { name: "Documenti richiesti dall'ufficio rimborsi" });
    await expectVisible(asked.getByText('Documenti richiesti: Prescrizione medica'));
    await expectVisible(asked.getByText('Serve la prescrizione del medico per la visita.'));
    await asked.getByLabel('Tipo di documento').selectOption({ label: 'Prescrizione medica' });
    await asked.getByLabel('Scegli un file').setInputFiles({
      name: 'prescrizione.pdf',
      mimeType: 'application/pdf',
      buffer: await pdf('Prescrizione: visita cardiologica (documento di prova)'),
    });
    await expectVisible(asked.getByText('prescrizione.pdf caricato.'));
    await asked.getByRole('button', { name: 'INVIA INTEGRAZIONE' }).click();
    await expectVisible(member.locator('.claim-state--large').getByText('In valutazione'));
    await expectNoHorizontalScroll(member, '/pratiche/:id after the integration');

    // The operator approves the ticket as proposed and lowers the visit, with its reason: above
    // 1.000,00 € in total, it waits for a second operator.
    await op1.reload();
    await expectVisible(op1.getByText('Prescrizione medica (obbligatorio): presente').first());
    const decision = op1.getByRole('region', { name: 'Decisione' });
    await expectVisible(decision);
    await decision.getByLabel('Importo accolto per la fattura CARD-450 (€)').fill('1.100,00');
    await decision.getByRole('button', { name: 'SALVA DECISIONE' }).click();
    await expectVisible(decision.getByText("Riga 1: scegli il motivo della modifica dell'importo proposto."));
    await decision
      .getByLabel('Motivo della modifica per la fattura CARD-450')
      .selectOption({ label: 'L’importo supera la tariffa riconosciuta dal piano per questa prestazione.' });
    await decision
      .getByLabel("Nota per l'assistito (facoltativa)")
      .fill('Visita riconosciuta alla tariffa del piano.');
    await decision.getByRole('button', { name: 'SALVA DECISIONE' }).click();
    await expectVisible(op1.getByText("La decisione attende l'approvazione di un secondo operatore."));
    const pending = op1.getByRole('region', { name: 'Decisione in attesa di approvazione' });
    await expectVisible(
      pending.getByText('Il totale supera la soglia oltre la quale serve un secondo operatore.'),
    );
    expect(await pending.getByRole('button', { name: 'APPROVA DECISIONE' }).count()).toBe(0);
    await op1.waitForLoadState('networkidle');
    expect(await axeViolations(op1)).toEqual([]);

    // A second operator approves it.
    const op2 = await staffPage();
    await signInAsNewStaff(op2, server.env, 'claims_operator', 'op.seconda');
    await op2.goto(`/backoffice/pratiche/${id}`);
    const toApprove = op2.getByRole('region', { name: 'Decisione in attesa di approvazione' });
    await expectVisible(toApprove.getByText(/Proposta da op\.prima/));
    await toApprove.getByRole('button', { name: 'APPROVA DECISIONE' }).click();
    await expectVisible(op2.getByText('Decisione approvata.'));
    await expectVisible(op2.locator('.claim-state--large').getByText('Approvata parzialmente'));
    await expectVisible(op2.getByText(/di op\.prima con approvazione di op\.seconda/));
    // In English too, with no axe violation.
    await op2.evaluate("localStorage.setItem('onecare.language', 'en')");
    await op2.reload();
    await expectVisible(op2.getByRole('heading', { level: 1, name: `Claim no. ${number}` }));
    await expectVisible(op2.locator('.claim-state--large').getByText('Partially approved'));
    expect(await axeViolations(op2)).toEqual([]);
    await op2.getByRole('link', { name: 'Back to the claims' }).click();
    await expectVisible(op2.getByRole('heading', { level: 1, name: 'Reimbursement claims' }));
    await op2.waitForLoadState('networkidle');
    expect(await axeViolations(op2)).toEqual([]);

    // The member reads the decision: the amounts and the reason in plain words.
    await smtp.waitForEmail('mario.pratiche@example.test', { subject: new RegExp(number) });
    await member.reload();
    await expectVisible(member.locator('.claim-state--large').getByText('Approvata parzialmente'));
    await expectVisible(
      member.getByText('Motivo: L’importo supera la tariffa riconosciuta dal piano per questa prestazione.'),
    );
    await expectVisible(member.getByText('Visita riconosciuta alla tariffa del piano.'));
    await expectVisible(member.getByText('1.100,00 €').first());
    await member.waitForLoadState('networkidle');
    expect(await axeViolations(member)).toEqual([]);
    await expectNoHorizontalScroll(member, '/pratiche/:id decided');

    // The administrator pays it: a batch, its SEPA file, sent to the bank, paid with the value date.
    const admin = await staffPage();
    await signInAsNewStaff(admin, server.env, 'administrator', 'amm.pagamenti');
    await admin.getByRole('link', { name: 'Pagamenti', exact: true }).click();
    await expectVisible(admin.getByRole('heading', { level: 1, name: 'Pagamenti' }));
    await expectVisible(admin.getByText('Pratiche da pagare: 1, per un totale di 1.136,15 €.'));
    await admin.getByRole('button', { name: 'CREA DISTINTA' }).click();
    await expectVisible(admin.getByRole('button', { name: 'INVIATO ALLA BANCA' }));
    const download = admin.waitForEvent('download');
    await admin.getByRole('link', { name: 'SCARICA XML' }).click();
    const xml = readFileSync((await (await download).path()) ?? '', 'utf8');
    expect(xml).toContain('pain.001.001.03');
    expect(xml).toContain(`<EndToEndId>${number}</EndToEndId>`);
    expect(xml).toContain('<CtrlSum>1136.15</CtrlSum>');
    expect(xml).toContain('<IBAN>IT60X0542811101000000123456</IBAN>');
    await admin.getByRole('button', { name: 'INVIATO ALLA BANCA' }).click();
    await expectVisible(admin.getByText('La distinta è segnata come inviata alla banca.'));
    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Rome' });
    await admin.getByLabel('Data valuta', { exact: true }).fill(today);
    await admin.getByRole('button', { name: 'PAGATO' }).click();
    await expectVisible(admin.getByText(/La distinta è pagata con data valuta/));
    await admin.waitForLoadState('networkidle');
    expect(await axeViolations(admin)).toEqual([]);

    // The member is told, sees "Liquidata" and downloads the settlement letter.
    await smtp.waitForEmail('mario.pratiche@example.test', { subject: new RegExp(number) });
    await member.reload();
    await expectVisible(member.locator('.claim-state--large').getByText('Liquidata'));
    const letterDownload = member.waitForEvent('download');
    await member.getByRole('link', { name: 'Scarica la lettera di liquidazione' }).click();
    const letter = readFileSync((await (await letterDownload).path()) ?? '');
    const text = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], {
      input: letter,
    }).stdout.toString();
    expect(text).toContain(number);
    expect(text).toContain('Mario Demo');
    expect(text).toMatch(/1\.100,00/);
    // The operator's reason in plain words (the letter wraps long lines).
    expect(text.replace(/\s+/g, ' ')).toMatch(/supera la tariffa riconosciuta dal piano/);
    expect(text).toContain('IT** **** … 3456');
    await member.waitForLoadState('networkidle');
    expect(await axeViolations(member)).toEqual([]);
    await expectNoHorizontalScroll(member, '/pratiche/:id paid');

    // The dashboard's caps went down by what was accepted.
    await member.goto('/area-riservata');
    await expectVisible(familyCap);
    await expect
      .poll(() => familyCap.getAttribute('aria-valuetext'))
      .toBe('Utilizzati 1.136,15 € su 5.000,00 €: restano 3.863,85 €.');
    await expectNoHorizontalScroll(member, '/area-riservata with caps');
  }, 240_000);
});
