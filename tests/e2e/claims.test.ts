import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { seedDemoData } from '../../server/demo/seed.js';
import { newId } from '../../server/lib/ids.js';
import { hashPassword } from '../../server/lib/password-hashing.js';
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

const PASSWORD = 'una frase lunga per chiedere i rimborsi';
const IBAN = 'IT60X0542811101000000123456';

/** A day `days` before today, as YYYY-MM-DD (the server's today is Europe/Rome: stay clear of midnight). */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

async function pdfInvoice(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  page.drawText('Fattura n. 2026/118 - Visita specialistica - 120,00 EUR (documento di prova)', {
    x: 40,
    y: 780,
    size: 11,
    font,
  });
  return Buffer.from(await pdf.save());
}

function jpegPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 200, channels: 3, background: { r: 230, g: 236, b: 240 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/**
 * How the test moves around the page: with the keyboard only (Tab until the control has focus,
 * then keys), or by pointer/touch (click, fill). Both end in the same page state.
 */
interface Driver {
  press(target: Locator): Promise<void>;
  fill(target: Locator, value: string): Promise<void>;
  /** A native `<select>`: the option with this label. */
  select(target: Locator, label: string): Promise<void>;
  /** A radio of a group, by the radio's locator. */
  check(target: Locator): Promise<void>;
  date(target: Locator, iso: string): Promise<void>;
  files(target: Locator, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void>;
}

function pointer(touch: boolean): Driver {
  return {
    press: (target) => (touch ? target.tap() : target.click()),
    fill: (target, value) => target.fill(value),
    select: async (target, label) => {
      await target.selectOption({ label });
    },
    check: (target) => (touch ? target.tap() : target.check()),
    date: (target, iso) => target.fill(iso),
    files: (target, files) => target.setInputFiles(files),
  };
}

function keyboard(page: Page): Driver {
  const isFocused = (target: Locator) => target.evaluate((el) => el === el.ownerDocument.activeElement);
  /** Tab (forward) until `target` has focus; fails if it is not reached, as a keyboard user would. */
  async function tabTo(target: Locator): Promise<void> {
    await target.waitFor();
    for (let i = 0; i < 120; i++) {
      if (await isFocused(target)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`could not reach ${target.toString()} with Tab`);
  }
  return {
    async press(target) {
      await tabTo(target);
      await page.keyboard.press('Enter');
    },
    async fill(target, value) {
      await tabTo(target);
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.press('Delete');
      await page.keyboard.type(value);
    },
    async select(target, label) {
      await tabTo(target);
      const options = await target.locator('option').allInnerTexts();
      const wanted = options.findIndex((text) => text.trim() === label);
      const current = await target.evaluate(
        (el) => (el as unknown as { selectedIndex: number }).selectedIndex,
      );
      const key = wanted > current ? 'ArrowDown' : 'ArrowUp';
      for (let i = 0; i < Math.abs(wanted - current); i++) await page.keyboard.press(key);
      expect(await target.evaluate((el) => (el as unknown as { selectedIndex: number }).selectedIndex)).toBe(
        wanted,
      );
    },
    async check(target) {
      // A radio group is one Tab stop: reach its first radio, then arrows (Space ticks a checkbox).
      const type = await target.getAttribute('type');
      if (type === 'radio') {
        const name = (await target.getAttribute('name')) ?? '';
        const group = page.locator(`input[type="radio"][name="${name}"]`);
        await tabTo(group.first());
        const index = await group.evaluateAll(
          (els, target) => els.indexOf(target as (typeof els)[number]),
          await target.elementHandle(),
        );
        await page.keyboard.press('Space');
        for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
      } else {
        await tabTo(target);
        await page.keyboard.press('Space');
      }
      expect(await target.isChecked()).toBe(true);
    },
    async date(target, iso) {
      // Reached with Tab; the value is set as a whole: the order of a native date field's parts
      // follows the browser's own language, not the page's.
      await tabTo(target);
      await target.fill(iso);
    },
    async files(target, files) {
      await tabTo(target);
      // Space on a focused file input opens the chooser; Chromium may ignore a press that comes
      // right after the previous chooser closed, so press again (as a person would).
      for (let attempt = 1; ; attempt++) {
        const chooser = page.waitForEvent('filechooser', { timeout: 5000 });
        await page.keyboard.press('Space');
        try {
          await (await chooser).setFiles(files);
          return;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    },
  };
}

describe('claims: request a reimbursement, follow it, cancel one', () => {
  let smtp: TestSmtp;
  let server: RunningServer;
  let browser: Browser;

  /** A member account for a demo registry member (the registration flow has its own tests). */
  async function account(givenName: string, surname: string, username: string): Promise<void> {
    const member = await server.app.db
      .selectFrom('registry_members')
      .select('id')
      .where('given_name', '=', givenName)
      .where('surname', '=', surname)
      .executeTakeFirstOrThrow();
    await server.app.db
      .insertInto('member_accounts')
      .values({
        id: newId(),
        registry_member_id: member.id,
        username,
        email: `${username}@example.test`,
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
  }

  async function signedIn(
    username: string,
    language: 'it' | 'en',
    phone: boolean,
  ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({
      baseURL: server.url,
      locale: language === 'it' ? 'it-IT' : 'en-US',
      acceptDownloads: true,
      ...(phone ? PHONE : DESKTOP),
    });
    await context.addInitScript(`localStorage.setItem('onecare.language', '${language}')`);
    const login = await context.request.post('/api/v1/auth/login', {
      data: { username, password: PASSWORD },
      headers: { origin: server.url },
    });
    expect(login.status()).toBe(200);
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    const answers: string[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/api/'))
        answers.push(`${response.request().method()} ${url.pathname} ${response.status()}`);
    });
    onTestFailed(async () => {
      const shown = await page
        .locator('h1, h2, [role=alert], [role=status], .field__error')
        .allInnerTexts()
        .catch(() => []);
      process.stderr.write(
        [
          `--- page at failure: ${page.isClosed() ? '(closed)' : page.url()}`,
          ...shown.filter((s) => s.trim() !== '').map((s) => `  shown: ${s.replace(/\s+/g, ' ')}`),
          ...answers.slice(-15).map((a) => `  api: ${a}`),
          ...errors.map((e) => `  console: ${e}`),
          '',
        ].join('\n'),
      );
    });
    return { context, page, errors };
  }

  /** A claim sent through the API with the member's sign-in cookie (to have another one to cancel). */
  async function claimThroughApi(
    context: BrowserContext,
    givenName: string,
  ): Promise<{ id: string; number: string }> {
    const headers = { origin: server.url };
    const options = await (await context.request.get('/api/v1/claims/options')).json();
    const beneficiary = options.beneficiaries.find((b: { givenName: string }) => b.givenName === givenName);
    const draft = await (await context.request.post('/api/v1/claims/drafts', { headers })).json();
    const put = await context.request.put(`/api/v1/claims/drafts/${draft.id}`, {
      headers,
      data: {
        beneficiaryId: beneficiary.id,
        category: 'ticket_ssn',
        invoices: [
          {
            id: crypto.randomUUID(),
            invoiceDate: daysAgo(3),
            invoiceNumber: 'T-77',
            issuerName: 'ASL Roma 1',
            // Above the demo plan's 300,00 € for a decision at once: it waits for the claims office.
            amountCents: 32_500,
            channel: 'ssn_ticket',
          },
        ],
        iban: IBAN,
        accountHolder: 'Titolare Demo',
      },
    });
    expect(put.status()).toBe(200);
    const upload = await context.request.post(
      `/api/v1/claims/drafts/${draft.id}/documents?kind=fattura&name=ticket.pdf`,
      { headers: { ...headers, 'content-type': 'application/pdf' }, data: await pdfInvoice() },
    );
    expect(upload.status()).toBe(201);
    const submit = await context.request.post(`/api/v1/claims/drafts/${draft.id}/submit`, {
      headers,
      data: { declaration: true, idempotencyKey: crypto.randomUUID() },
    });
    expect(submit.status()).toBe(200);
    return (await submit.json()) as { id: string; number: string };
  }

  beforeAll(async () => {
    smtp = await startSmtpServer();
    // No claim drawn for the sample: a simple claim of the demo plan is always decided at once.
    server = await startServer({
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: smtp.url,
      CLAIM_AUTO_SAMPLE_BASIS_POINTS: '0',
    });
    await seedDemoData(server.app);
    await account('Mario', 'Demo', 'mario.demo');
    await account('Anna', 'Esempio', 'anna.esempio');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
  });

  const runs = [
    {
      name: 'on a desktop, keyboard only, in Italian',
      language: 'it' as const,
      phone: false,
      username: 'mario.demo',
      holder: 'Mario Demo',
      son: 'Luca Demo',
      sonGivenName: 'Luca',
    },
    {
      name: 'on a phone, by touch, in English',
      language: 'en' as const,
      phone: true,
      username: 'anna.esempio',
      holder: 'Anna Esempio',
      son: 'Marco Esempio',
      sonGivenName: 'Marco',
    },
  ];

  for (const run of runs) {
    it(`[member] requests a reimbursement for a son with two invoices and follows it (${run.name})`, async () => {
      const it_ = run.language === 'it';
      const text = <T>(italian: T, english: T): T => (it_ ? italian : english);
      const { context, page, errors } = await signedIn(run.username, run.language, run.phone);
      const act = run.phone ? pointer(true) : keyboard(page);
      const checkPage = async (where: string) => {
        await page.waitForLoadState('networkidle');
        expect([where, await axeViolations(page)]).toEqual([where, []]);
        if (run.phone) await expectNoHorizontalScroll(page, where);
      };
      const next = () => act.press(page.getByRole('button', { name: text('AVANTI', 'NEXT'), exact: true }));
      const stepHeading = (n: number, name: string) =>
        page.getByRole('heading', {
          level: 2,
          name: text(`Passo ${n} di 6: ${name}`, `Step ${n} of 6: ${name}`),
        });
      const expectStep = async (n: number, name: string) => {
        await expectVisible(stepHeading(n, name));
        // Focus moves to the new step's heading; the indicator marks it as the current step.
        await expect
          .poll(() => stepHeading(n, name).evaluate((el) => el === el.ownerDocument.activeElement))
          .toBe(true);
        expect(
          await page
            .getByRole('list', { name: text('Passaggi della richiesta', 'Steps of the request') })
            .locator('[aria-current="step"]')
            .textContent(),
        ).toContain(name);
      };

      await page.goto('/area-riservata');
      await act.press(
        page.getByRole('link', { name: text('Richiedi un rimborso', 'Request a reimbursement') }),
      );
      await expectVisible(
        page.getByRole('heading', {
          level: 1,
          name: text('Richiedi un rimborso', 'Request a reimbursement'),
        }),
      );
      await expectVisible(stepHeading(1, text('Beneficiario', 'Beneficiary')));
      await checkPage('/rimborsi step 1');

      // 1 Beneficiario
      await act.check(page.getByRole('radio', { name: run.son }));
      await next();
      // 2 Categoria
      await expectStep(2, text('Categoria', 'Category'));
      await checkPage('/rimborsi step 2');
      await act.check(page.getByRole('radio', { name: text('Visite specialistiche', 'Specialist visits') }));
      await next();

      // 3 Fatture: a future date and a zero amount are caught before anything is sent.
      await expectStep(3, text('Fatture', 'Invoices'));
      const first = page.getByRole('group', { name: text('Fattura 1', 'Invoice 1') });
      await act.date(first.getByLabel(text('Data fattura', 'Invoice date')), daysAgo(-3));
      await act.fill(first.getByLabel(text('Numero fattura', 'Invoice number')), '2026/118');
      await act.fill(first.getByLabel(text('Emessa da', 'Issued by')), 'Dott.ssa Bianchi');
      await act.fill(first.getByLabel(text('Importo (€)', 'Amount (€)')), '0,00');
      await act.select(first.getByLabel(text('Canale', 'Channel')), text('Fuori rete', 'Out of network'));
      await next();
      await expectVisible(
        first.getByText(
          text(
            'La data della fattura non può essere nel futuro.',
            'The invoice date cannot be in the future.',
          ),
        ),
      );
      await expectVisible(
        first.getByText(
          text("L'importo deve essere maggiore di zero.", 'The amount must be more than zero.'),
        ),
      );
      await checkPage('/rimborsi step 3 with errors');
      await act.date(first.getByLabel(text('Data fattura', 'Invoice date')), daysAgo(6));
      await act.fill(first.getByLabel(text('Importo (€)', 'Amount (€)')), '120,00');

      await act.press(page.getByRole('button', { name: text('AGGIUNGI UNA FATTURA', 'ADD AN INVOICE') }));
      const second = page.getByRole('group', { name: text('Fattura 2', 'Invoice 2') });
      await act.date(second.getByLabel(text('Data fattura', 'Invoice date')), daysAgo(5));
      await act.fill(second.getByLabel(text('Numero fattura', 'Invoice number')), 'TK-5521');
      await act.fill(second.getByLabel(text('Emessa da', 'Issued by')), 'ASL Roma 1');
      await act.fill(second.getByLabel(text('Importo (€)', 'Amount (€)')), '36,15');
      await act.select(second.getByLabel(text('Canale', 'Channel')), text('Ticket SSN', 'SSN ticket'));
      await next();

      // 4 Documenti: the checklist, a PDF invoice and a phone photo of the prescription.
      await expectStep(4, text('Documenti', 'Documents'));
      await expectVisible(
        page.getByText(text('Prescrizione medica — obbligatorio', 'Prescription — required')),
      );
      expect(await page.getByLabel(text('Scegli un file', 'Choose a file')).getAttribute('accept')).toBe(
        'application/pdf,image/jpeg,image/png',
      );
      const photo = page.getByLabel(text('Scatta una foto', 'Take a photo'));
      expect(await photo.getAttribute('capture')).toBe('environment');
      await act.select(
        page.getByLabel(text('Tipo di documento', 'Kind of document')),
        text('Fattura o ricevuta', 'Invoice or receipt'),
      );
      await act.files(page.getByLabel(text('Scegli un file', 'Choose a file')), [
        { name: 'fattura.pdf', mimeType: 'application/pdf', buffer: await pdfInvoice() },
      ]);
      await expectVisible(page.getByText(text('fattura.pdf caricato.', 'fattura.pdf uploaded.')));
      // A file that is not a PDF, JPEG or PNG is refused, and the page says why.
      await act.files(page.getByLabel(text('Scegli un file', 'Choose a file')), [
        { name: 'note.pdf', mimeType: 'application/pdf', buffer: Buffer.from('just some text, not a PDF') },
      ]);
      await expectVisible(
        page
          .getByRole('alert')
          .filter({ hasText: text('note.pdf non è stato accettato', 'note.pdf was not accepted') }),
      );
      await act.select(
        page.getByLabel(text('Tipo di documento', 'Kind of document')),
        text('Prescrizione medica', 'Prescription'),
      );
      await act.files(photo, [
        { name: 'prescrizione.jpg', mimeType: 'image/jpeg', buffer: await jpegPhoto() },
      ]);
      await expectVisible(page.getByText(text('prescrizione.jpg caricato.', 'prescrizione.jpg uploaded.')));
      await checkPage('/rimborsi step 4');
      await next();

      // 5 IBAN
      await expectStep(5, 'IBAN');
      await checkPage('/rimborsi step 5');
      await act.fill(page.getByLabel('IBAN', { exact: true }), 'IT60 X054 2811 1010 0000 0123 457');
      await act.fill(page.getByLabel(text('Intestatario del conto', 'Account holder')), run.holder);
      await next();
      await expectVisible(
        page.getByText(
          text(
            "L'IBAN non è valido: controlla lettere e cifre.",
            'The IBAN is not valid: check its letters and digits.',
          ),
        ),
      );
      await act.fill(page.getByLabel('IBAN', { exact: true }), IBAN);
      await next();

      // 6 Riepilogo: the estimate, line by line, from the plan's rules.
      await expectStep(6, text('Riepilogo', 'Summary'));
      const euro = (it: string, en: string) => text(it, en);
      const lines = page.locator('.estimate-line');
      await expectVisible(lines.first());
      await expectVisible(
        lines.filter({ hasText: '2026/118' }).getByText(euro('70,00 €', '€70.00'), { exact: true }),
      );
      await expectVisible(
        lines.filter({ hasText: 'TK-5521' }).getByText(euro('36,15 €', '€36.15'), { exact: true }).first(),
      );
      await expectVisible(page.getByText(euro('106,15 €', '€106.15'), { exact: true }));
      await checkPage('/rimborsi step 6');

      // Without the declaration nothing is sent.
      await act.press(page.getByRole('button', { name: text('INVIA RICHIESTA', 'SEND REQUEST') }));
      await expectVisible(
        page.getByText(
          text(
            'Conferma la dichiarazione per inviare la richiesta.',
            'Confirm the declaration to send the request.',
          ),
        ),
      );
      await act.check(
        page.getByRole('checkbox', {
          name: text(
            'Dichiaro che i dati e i documenti sono veritieri',
            'I declare that the data and documents are true',
          ),
        }),
      );
      await act.press(page.getByRole('button', { name: text('INVIA RICHIESTA', 'SEND REQUEST') }));

      const sentText = page.getByText(
        text(
          /La tua richiesta n\. RSM-\d{4}-\d{6,} è stata inviata\./,
          /Your request no\. RSM-\d{4}-\d{6,} has been sent\./,
        ),
      );
      await expectVisible(sentText);
      // A simple claim (documents there, every invoice accepted by the rules): approved at once.
      await expectVisible(
        page.getByText(
          text(
            'Buone notizie: la richiesta rispetta tutte le regole del piano',
            'Good news: the request meets every rule of the plan',
          ),
          {
            exact: false,
          },
        ),
      );
      const number = /RSM-\d{4}-\d{6,}/.exec((await sentText.textContent()) ?? '')?.[0] ?? '';
      await expectVisible(page.getByText(number, { exact: true }));
      await checkPage('/rimborsi sent');

      const receipt = await smtp.waitForEmail(`${run.username}@example.test`, {
        subject: new RegExp(number),
      });
      expect(receipt.text).toContain(number);

      // Le mie pratiche: the claim is there, with its amounts.
      await act.press(page.getByRole('link', { name: text('Le mie pratiche', 'My claims'), exact: true }));
      await expectVisible(
        page.getByRole('heading', { level: 1, name: text('Le mie pratiche', 'My claims') }),
      );
      const card = page.locator('.claim-card').filter({ hasText: number });
      await expectVisible(card);
      await expectVisible(card.getByText(text('Approvata', 'Approved'), { exact: true }));
      await expectVisible(card.getByText(euro('156,15 €', '€156.15')));
      // Estimated and accepted: the same amount.
      await expect.poll(() => card.getByText(euro('106,15 €', '€106.15')).count()).toBe(2);
      await checkPage('/pratiche');

      // Another claim, sent earlier; the filters are in the address.
      const { number: other } = await claimThroughApi(context, run.sonGivenName);
      await page.reload();
      await expectVisible(page.locator('.claim-card').filter({ hasText: other }));
      await act.select(
        page.getByLabel(text('Stato', 'Status'), { exact: true }),
        text('Approvata', 'Approved'),
      );
      await act.press(page.getByRole('button', { name: text('FILTRA', 'FILTER') }));
      await expect.poll(() => new URL(page.url()).searchParams.get('stato')).toBe('approved');
      await expectVisible(page.getByText(text('1 pratica trovata.', '1 claim found.')));

      // The claim page: timeline, invoices, documents (downloaded as they were uploaded).
      await act.press(page.getByRole('link', { name: text(`Pratica n. ${number}`, `Claim no. ${number}`) }));
      await expectVisible(
        page.getByRole('heading', { level: 1, name: text(`Pratica n. ${number}`, `Claim no. ${number}`) }),
      );
      await expectVisible(page.getByRole('heading', { name: text('Cronologia', 'Timeline') }));
      await checkPage('/pratiche/:id');
      const download = page.waitForEvent('download');
      await act.press(page.getByRole('link', { name: text('Scarica fattura.pdf', 'Download fattura.pdf') }));
      expect((await download).suggestedFilename()).toBe('fattura.pdf');

      // A message to the claims office.
      await act.fill(
        page.getByLabel(
          text("Scrivi un messaggio all'ufficio rimborsi", 'Write a message to the claims office'),
        ),
        text('Allego tutto, grazie.', 'All attached, thanks.'),
      );
      await act.press(page.getByRole('button', { name: text('INVIA MESSAGGIO', 'SEND MESSAGE') }));
      await expectVisible(
        page.locator('.message').filter({ hasText: text('Allego tutto, grazie.', 'All attached, thanks.') }),
      );

      // Cancel the other claim, after confirming.
      await page.goto('/pratiche');
      await act.press(page.getByRole('link', { name: text(`Pratica n. ${other}`, `Claim no. ${other}`) }));
      await expectVisible(
        page.getByRole('heading', { level: 1, name: text(`Pratica n. ${other}`, `Claim no. ${other}`) }),
      );
      await act.press(page.getByRole('button', { name: text('ANNULLA', 'CANCEL'), exact: true }));
      await expectVisible(
        page.getByText(
          text(`Vuoi annullare la pratica n. ${other}?`, `Do you want to cancel claim no. ${other}?`),
        ),
      );
      await checkPage('/pratiche/:id cancel confirmation');
      await act.press(
        page.getByRole('button', { name: text('SÌ, ANNULLA LA PRATICA', 'YES, CANCEL THE CLAIM') }),
      );
      await expectVisible(
        page.getByText(text('La pratica è stata annullata.', 'The claim has been cancelled.')),
      );
      await expectVisible(page.locator('.claim-state--large').getByText(text('Annullata', 'Cancelled')));
      await expect(
        page.getByRole('button', { name: text('ANNULLA', 'CANCEL'), exact: true }).count(),
      ).resolves.toBe(0);

      // Reopening /rimborsi starts a new, empty request.
      await page.goto('/rimborsi');
      await expectVisible(stepHeading(1, text('Beneficiario', 'Beneficiary')));

      expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
      await context.close();
      // The whole wizard twice over, keyboard or touch: 40–50 s on a quiet machine, more on a busy one.
    }, 150_000);
  }

  it('[member] a draft is resumed at the step reached, with what was typed', async () => {
    await account('Chiara', 'Fittizia', 'chiara.fittizia');
    const { context, page } = await signedIn('chiara.fittizia', 'it', false);
    await page.goto('/rimborsi');
    await page.getByRole('radio', { name: 'Chiara Fittizia (tu)' }).check();
    await page.getByRole('button', { name: 'AVANTI' }).click();
    await page.getByRole('radio', { name: 'Ticket SSN' }).check();
    await page.getByRole('button', { name: 'AVANTI' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Passo 3 di 6: Fatture' }));
    await page.getByLabel('Data fattura').fill(daysAgo(2));
    await page.getByLabel('Numero fattura').fill('R-1');
    await page.getByLabel('Emessa da').fill('ASL Roma 2');
    await page.getByLabel('Importo (€)').fill('1.234,5');
    await page.getByLabel('Canale').selectOption({ label: 'Ticket SSN' });
    await page.getByRole('button', { name: 'AVANTI' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Passo 4 di 6: Documenti' }));
    // Reopened, the request goes on from the documents, and the invoice is as typed.
    await page.reload();
    await expectVisible(page.getByRole('heading', { name: 'Passo 4 di 6: Documenti' }));
    await page.getByRole('button', { name: 'INDIETRO' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Passo 3 di 6: Fatture' }));
    expect(await page.getByLabel('Importo (€)').inputValue()).toBe('1.234,50');
    expect(await page.getByLabel('Numero fattura').inputValue()).toBe('R-1');
    await context.close();
  });

  it('[member] chooses a network facility from the search and is warned of an invoice already sent', async () => {
    await account('Nadia', 'Prova', 'nadia.prova');
    const { context, page } = await signedIn('nadia.prova', 'it', false);
    const { number: earlier } = await claimThroughApi(context, 'Nadia');
    await page.goto('/rimborsi');
    await page.getByRole('radio', { name: 'Nadia Prova (tu)' }).check();
    await page.getByRole('button', { name: 'AVANTI' }).click();
    await page.getByRole('radio', { name: 'Visite specialistiche' }).check();
    await page.getByRole('button', { name: 'AVANTI' }).click();

    // The same ticket as the claim sent before.
    const first = page.getByRole('group', { name: 'Fattura 1' });
    await first.getByLabel('Data fattura').fill(daysAgo(3));
    await first.getByLabel('Numero fattura').fill('T-77');
    await first.getByLabel('Emessa da').fill('ASL Roma 1');
    await first.getByLabel('Importo (€)').fill('25,00');
    await first.getByLabel('Canale').selectOption({ label: 'Ticket SSN' });
    // A visit in a network facility: the facility is required, chosen from the network search.
    await page.getByRole('button', { name: 'AGGIUNGI UNA FATTURA' }).click();
    const second = page.getByRole('group', { name: 'Fattura 2' });
    await second.getByLabel('Data fattura').fill(daysAgo(2));
    await second.getByLabel('Numero fattura').fill('V-9');
    await second.getByLabel('Emessa da').fill('Centro Medico Demo');
    await second.getByLabel('Importo (€)').fill('80,00');
    await second.getByLabel('Canale').selectOption({ label: 'Struttura convenzionata' });
    await page.getByRole('button', { name: 'AVANTI' }).click();
    await expectVisible(second.getByText('Scegli la struttura convenzionata.'));

    await second.getByRole('button', { name: 'CERCA LA STRUTTURA' }).click();
    const picker = page.getByRole('region', { name: 'Cerca la struttura della fattura 2' });
    await expectVisible(picker);
    await picker.getByRole('button', { name: 'CERCA', exact: true }).click();
    const choose = picker.getByRole('button', { name: /^SCEGLI / }).first();
    await expectVisible(choose);
    const facility = ((await choose.textContent()) ?? '').replace(/^SCEGLI /, '');
    expect(await axeViolations(page)).toEqual([]);
    await choose.click();
    await expectVisible(second.getByText(`Struttura scelta: ${facility}`));
    await expect
      .poll(() => page.evaluate<string>("document.activeElement?.textContent ?? ''"))
      .toBe('CAMBIA STRUTTURA');

    // Saved: the server finds the ticket on the earlier claim; the warning does not block.
    await page.getByRole('button', { name: 'AVANTI' }).click();
    await expectVisible(first.getByText(`questa fattura sembra già presente nella pratica ${earlier}`));
    await expect
      .poll(() => page.evaluate<string>("document.activeElement?.textContent ?? ''"))
      .toContain('sembra già presente');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'AVANTI' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Passo 4 di 6: Documenti' }));
    await context.close();
  });

  it('[member] sends the documents the claims office asked for, then a reminder', async () => {
    await account('Giulia', 'Prova', 'giulia.prova');
    const { context, page } = await signedIn('giulia.prova', 'it', false);
    const claim = await claimThroughApi(context, 'Giulia');
    await server.app.claims.transition(claim.id, 'in_review', 'system');
    await server.app.claims.transition(claim.id, 'needs_documents', 'staff', {
      reasonCode: 'documents_requested',
      note: 'Manca la prescrizione del medico di base.',
    });

    await page.goto(`/pratiche/${claim.id}`);
    await expectVisible(page.getByRole('heading', { level: 1, name: `Pratica n. ${claim.number}` }));
    await expectVisible(page.locator('.claim-state--large').getByText('Sospesa – in attesa di integrazione'));
    const request = page.getByRole('region', { name: "Documenti richiesti dall'ufficio rimborsi" });
    await expectVisible(request.getByText('Manca la prescrizione del medico di base.'));
    await expectVisible(page.getByText("L'ufficio rimborsi ha chiesto altri documenti"));
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('radio', { name: /English|EN/ }).check();
    await expectVisible(page.getByRole('region', { name: 'Documents requested by the claims office' }));
    await page.waitForLoadState('networkidle');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('radio', { name: /Italiano|IT/ }).check();

    await request.getByRole('button', { name: 'INVIA INTEGRAZIONE' }).click();
    await expectVisible(request.getByText("Carica almeno un documento prima di inviare l'integrazione."));
    await request.getByLabel('Tipo di documento').selectOption({ label: 'Prescrizione medica' });
    await request.getByLabel('Scegli un file').setInputFiles({
      name: 'prescrizione.pdf',
      mimeType: 'application/pdf',
      buffer: await pdfInvoice(),
    });
    await expectVisible(request.getByText('prescrizione.pdf caricato.'));
    await request.getByRole('button', { name: 'INVIA INTEGRAZIONE' }).click();
    await expectVisible(page.getByText('Integrazione inviata: la pratica torna in valutazione.'));
    await expectVisible(page.locator('.claim-state--large').getByText('In valutazione'));
    await expectVisible(page.getByText(/Potrai inviare un sollecito dal \d{2}\/\d{2}\/\d{4}\./));
    await expectVisible(page.getByRole('link', { name: 'Scarica prescrizione.pdf' }));

    // Thirty days in review later, a reminder can be sent; then not again for a week.
    await server.app.db
      .updateTable('claim_events')
      .set({ at: new Date(Date.now() - 40 * 86_400_000).toISOString() })
      .where('claim_id', '=', claim.id)
      .where('to_state', '=', 'in_review')
      .execute();
    await page.reload();
    await page.getByRole('button', { name: 'INVIA UN SOLLECITO' }).click();
    await expectVisible(page.getByText("Sollecito inviato all'ufficio rimborsi."));
    await expectVisible(page.getByText(/Potrai inviare un sollecito dal \d{2}\/\d{2}\/\d{4}\./));
    expect(await page.getByRole('button', { name: 'INVIA UN SOLLECITO' }).count()).toBe(0);
    await context.close();
  });

  for (const language of ['it', 'en'] as const) {
    it(`[member] the claims pages have no axe violation when empty (${language})`, async () => {
      const [givenName, surname] = language === 'it' ? ['Elena', 'Demo'] : ['Roberto', 'Campione'];
      await account(givenName, surname, `vuoto.${language}`);
      const { context, page } = await signedIn(`vuoto.${language}`, language, false);
      for (const path of ['/rimborsi', '/pratiche']) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        expect([path, await axeViolations(page)]).toEqual([path, []]);
      }
      await expectVisible(
        page.getByText(language === 'it' ? 'Non hai ancora pratiche.' : 'You have no claims yet.'),
      );
      await context.close();
    });
  }
});
