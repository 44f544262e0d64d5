/**
 * Booking a medical service in the network, end to end in Chromium with real emails: Mario Demo
 * books a specialist (cardiology) visit for himself at a facility found by CAP, with two windows;
 * the booking desk proposes another slot; he accepts; the email brings the calendar file (parsed
 * back) and the code; he downloads the voucher; after the visit the desk marks it performed with
 * the invoice amount; the direct claim is decided and paid in a SEPA batch to the facility's IBAN.
 * Another booking is cancelled by the member within the notice: the cancel .ics has the same UID.
 */
import ICAL from 'ical.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { seedDemoData } from '../../server/demo/seed.js';
import { ManualClock } from '../../server/lib/clock.js';
import { newId } from '../../server/lib/ids.js';
import { hashPassword } from '../../server/lib/password-hashing.js';
import { italianToday } from '../../server/lib/text.js';
import { nextWorkingDay } from '../../server/modules/bookings/booking-time.js';
import {
  axeViolations,
  DESKTOP,
  expectVisible,
  launchChromium,
  watchPageErrors,
} from '../helpers/browser.js';
import { readPain001 } from '../helpers/pain001.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { type ReceivedEmail, startSmtpServer, type TestSmtp } from '../helpers/smtp.js';
import { staffWithSession } from '../helpers/staff.js';

const PASSWORD = 'una frase lunga per prenotare le visite';

function icsOf(mail: ReceivedEmail) {
  const file = mail.parsed.attachments.find((a) => a.filename?.endsWith('.ics'));
  if (!file) throw new Error(`no .ics in "${mail.subject}"`);
  const calendar = new ICAL.Component(ICAL.parse(file.content.toString('utf8')));
  const event = calendar.getFirstSubcomponent('vevent');
  if (!event) throw new Error('no VEVENT');
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    status: event.getFirstPropertyValue('status'),
    location: String(event.getFirstPropertyValue('location')),
    tzid: event.getFirstProperty('dtstart')?.getParameter('tzid'),
    start: String(event.getFirstPropertyValue('dtstart')),
  };
}

describe('bookings: book, be confirmed, get the calendar entry and the voucher, the visit becomes a paid direct claim', () => {
  let smtp: TestSmtp;
  let server: RunningServer;
  let browser: Browser;
  const clock = new ManualClock(new Date());
  let facility: { id: string; name: string; address: string; cap: string; iban: string };
  let marioAccount = '';

  async function memberContext(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      baseURL: server.url,
      locale: 'it-IT',
      acceptDownloads: true,
      ...DESKTOP,
    });
    await context.addInitScript(`localStorage.setItem('onecare.language', 'it')`);
    const { token } = await server.app.sessions.create('member', marioAccount);
    await context.addCookies([{ name: 'onecare_session', value: token, url: server.url }]);
    const page = await context.newPage();
    watch(page);
    return { context, page };
  }

  async function deskContext(role: 'booking_desk' | 'administrator' = 'booking_desk') {
    const staff = await staffWithSession(server.app, `sportello.${newId().slice(-6)}`, role);
    const context = await browser.newContext({ baseURL: server.url, locale: 'it-IT', ...DESKTOP });
    await context.addInitScript(`localStorage.setItem('onecare.language', 'it')`);
    const [name, value] = staff.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    watch(page);
    return { context, page, cookie: staff.cookie };
  }

  function watch(page: Page) {
    const errors = watchPageErrors(page);
    onTestFailed(async () => {
      const shown = await page
        .locator('h1, h2, [role=alert], [role=status], .field__error')
        .allInnerTexts()
        .catch(() => []);
      process.stderr.write(
        [
          `--- page at failure: ${page.isClosed() ? '(closed)' : page.url()}`,
          ...shown.filter((s) => s.trim() !== '').map((s) => `  shown: ${s.replace(/\s+/g, ' ')}`),
          ...errors.map((e) => `  console: ${e}`),
          '',
        ].join('\n'),
      );
    });
  }

  const accessible = async (page: Page, where: string) => {
    await page.waitForLoadState('networkidle');
    expect([where, await axeViolations(page)]).toEqual([where, []]);
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startServer({ MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url }, clock);
    await seedDemoData(server.app);
    const member = await server.app.db
      .selectFrom('registry_members')
      .select('id')
      .where('given_name', '=', 'Mario')
      .where('surname', '=', 'Demo')
      .executeTakeFirstOrThrow();
    marioAccount = newId();
    await server.app.db
      .insertInto('member_accounts')
      .values({
        id: marioAccount,
        registry_member_id: member.id,
        username: 'mario.prenota',
        email: 'mario.prenota@example.test',
        locale: 'it',
        password_hash: await hashPassword(PASSWORD),
        must_change_password: 0,
        temp_password_expires_at: null,
        password_changed_at: null,
        failed_logins: 0,
        password_locked_at: null,
        created_at: clock.now().toISOString(),
      })
      .execute();
    const row = await server.app.db
      .selectFrom('facilities as f')
      .innerJoin('facility_services as s', 's.facility_id', 'f.id')
      .select(['f.id', 'f.name', 'f.address', 'f.cap', 'f.iban'])
      .where('s.service_code', '=', 'visite_specialistiche')
      .where('f.iban', 'is not', null)
      .orderBy('f.code')
      .executeTakeFirstOrThrow();
    facility = { ...row, iban: row.iban ?? '' };
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
  });

  it('[member] books a cardiology visit by CAP with two windows; [booking desk] proposes another slot; [member] accepts, gets the .ics and the voucher; the visit becomes a direct claim paid to the facility', async () => {
    const today = italianToday(clock.now());
    const first = nextWorkingDay(today);
    const second = nextWorkingDay(first);
    const proposedDay = nextWorkingDay(second);
    const { page } = await memberContext();

    await page.goto('/area-riservata');
    await page.getByRole('link', { name: 'Prenota una prestazione medica' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Prenota una prestazione medica' }));
    await accessible(page, 'wizard step 1');
    await page.getByRole('radio', { name: 'Mario Demo' }).check();
    await page.getByLabel('Prestazione', { exact: true }).selectOption({ label: 'Visite specialistiche' });
    await page.getByRole('button', { name: 'AVANTI' }).click();

    await expectVisible(page.getByRole('heading', { level: 2, name: 'La struttura', exact: true }));
    await page.getByLabel('Prestazione', { exact: true }).selectOption({ label: 'Visite specialistiche' });
    await page.getByLabel('CAP', { exact: true }).fill(facility.cap);
    await page.getByRole('button', { name: 'CERCA' }).click();
    await page.getByRole('button', { name: `Scegli ${facility.name}`, exact: true }).click();
    await expectVisible(page.getByText(`Hai scelto: ${facility.name}`));
    await accessible(page, 'wizard step 2');
    await page.getByRole('button', { name: 'AVANTI' }).click();

    await expectVisible(page.getByRole('heading', { level: 2, name: 'Quando preferisci', exact: true }));
    await page.getByLabel('Giorno').first().fill(first);
    await page.getByRole('button', { name: 'AGGIUNGI UNA PREFERENZA' }).click();
    await page.getByLabel('Giorno').nth(1).fill(second);
    await page.getByLabel('Fascia').nth(1).selectOption({ label: 'Pomeriggio (14–19)' });
    await accessible(page, 'wizard step 3');
    await page.getByRole('button', { name: 'AVANTI' }).click();

    await expectVisible(page.getByRole('heading', { level: 2, name: 'Prescrizione', exact: true }));
    const png = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#eeeeee' } })
      .png()
      .toBuffer();
    await page
      .getByLabel('Prescrizione medica (PDF, JPEG o PNG)')
      .setInputFiles({ name: 'prescrizione-cardiologia.png', mimeType: 'image/png', buffer: png });
    await expectVisible(page.getByText('prescrizione-cardiologia.png'));
    await page.getByRole('button', { name: 'AVANTI' }).click();

    await expectVisible(page.getByRole('heading', { level: 2, name: 'Riepilogo', exact: true }));
    await expectVisible(page.getByText('a tuo carico è prevista una quota di 20,00 €'));
    await accessible(page, 'wizard summary');
    await page.getByRole('button', { name: 'INVIA PRENOTAZIONE' }).click();
    await expectVisible(page.getByRole('heading', { name: 'Prenotazione inviata' }));
    const booking = await server.app.db
      .selectFrom('bookings')
      .selectAll()
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(booking.windows)).toHaveLength(2);
    await smtp.waitForEmail('mario.prenota@example.test', { subject: /è stata inviata/ });

    // The desk proposes another slot: the third working day, 10:30.
    const desk = await deskContext();
    await desk.page.goto('/backoffice/prenotazioni');
    await desk.page.getByRole('link', { name: booking.number }).click();
    await expectVisible(
      desk.page.getByRole('heading', { level: 1, name: `Prenotazione n. ${booking.number}` }),
    );
    await accessible(desk.page, 'desk request');
    await desk.page.locator('#propose-date').fill(proposedDay);
    await desk.page.locator('#propose-time').fill('10:30');
    await desk.page.getByRole('button', { name: 'PROPONI' }).click();
    await expectVisible(
      desk.page
        .getByText('Proposta inviata all’assistito.')
        .or(desk.page.getByText("Proposta inviata all'assistito.")),
    );
    const news = await smtp.waitForEmail('mario.prenota@example.test', { subject: /Novità/ });
    expect(news.text).not.toMatch(/visit|cardio/i);

    // Mario accepts in the portal.
    await page.goto(`/prenotazioni/${booking.id}`);
    await expectVisible(page.getByRole('heading', { name: 'Proposta della centrale' }));
    await accessible(page, 'booking with a proposal');
    await page.getByRole('button', { name: 'ACCETTA' }).click();
    await expectVisible(page.getByText('Proposta accettata: la prenotazione è confermata.'));
    const confirmed = await smtp.waitForEmail('mario.prenota@example.test', { subject: /è confermata/ });
    const code = /CODICE DI AUTORIZZAZIONE: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(confirmed.text)?.[1];
    expect(code).toBeTruthy();
    const ics = icsOf(confirmed);
    expect(ics).toMatchObject({ method: 'REQUEST', tzid: 'Europe/Rome', uid: `${booking.id}@127.0.0.1` });
    expect(ics.start).toBe(`${proposedDay}T10:30:00`);
    expect(ics.location).toContain(facility.address);

    // The voucher.
    await page.reload();
    await expectVisible(page.getByText(code ?? ''));
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Scarica il voucher (PDF)' }).click();
    const file = await (await download).path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');

    // The facility checks the code on the public page.
    const check = await browser.newContext({ baseURL: server.url, locale: 'it-IT', ...DESKTOP });
    const checkPage = await check.newPage();
    await checkPage.goto('/verifica-prenotazione');
    await checkPage.getByLabel('Codice di autorizzazione').fill(code ?? '');
    await checkPage.getByRole('button', { name: 'VERIFICA' }).click();
    await expectVisible(
      checkPage.getByText(/Codice valido: Visite specialistiche, .* alle 10:30, assistito M\.D\./),
    );
    await accessible(checkPage, 'code check');
    await check.close();

    // After the visit: the desk marks it performed with the invoice amount.
    const start = await server.app.db
      .selectFrom('bookings')
      .select('start_at')
      .where('id', '=', booking.id)
      .executeTakeFirstOrThrow();
    clock.set(new Date(new Date(start.start_at ?? '').getTime() + 2 * 3_600_000));
    const desk2 = await deskContext();
    await desk2.page.goto(`/backoffice/prenotazioni/${booking.id}`);
    await desk2.page.getByLabel('Importo della fattura della struttura (€)').fill('120,00');
    await desk2.page.getByLabel('Numero della fattura').fill('FT-2026-55');
    await desk2.page.getByRole('button', { name: 'ESEGUITA' }).click();
    await expectVisible(
      desk2.page.getByText('Prestazione registrata: creata la pratica di rimborso diretto.'),
    );
    const claim = await server.app.db
      .selectFrom('claims')
      .selectAll()
      .where('booking_id', '=', booking.id)
      .executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ kind: 'direct', iban: facility.iban, claimed_cents: 12_000 });

    // The claims office decides it (the engine's proposal); the administrator makes the payment batch.
    const operator = await staffWithSession(server.app, `pratiche.${newId().slice(-6)}`, 'claims_operator');
    const asOperator = (method: 'GET' | 'POST', url: string, payload?: object) =>
      server.app.inject({
        method,
        url,
        headers: { origin: server.url, 'sec-fetch-site': 'same-origin', cookie: operator.cookie },
        ...(payload ? { payload } : {}),
      });
    expect((await asOperator('POST', `/api/v1/staff/claims/${claim.id}/take`)).statusCode).toBeLessThan(300);
    const proposal = (await asOperator('GET', `/api/v1/staff/claims/${claim.id}`)).json() as {
      invoices: { id: string; proposal: { acceptedCents: number } }[];
    };
    expect(proposal.invoices[0]?.proposal.acceptedCents).toBe(10_000);
    const decided = await asOperator('POST', `/api/v1/staff/claims/${claim.id}/decision`, {
      lines: proposal.invoices.map((i) => ({ invoiceId: i.id, acceptedCents: i.proposal.acceptedCents })),
    });
    expect(decided.statusCode, decided.body).toBeLessThan(300);
    const admin = await staffWithSession(server.app, `admin.${newId().slice(-6)}`, 'administrator');
    const batch = await server.app.inject({
      method: 'POST',
      url: '/api/v1/staff/payments/batches',
      headers: { origin: server.url, 'sec-fetch-site': 'same-origin', cookie: admin.cookie },
      payload: {},
    });
    expect(batch.statusCode, batch.body).toBe(201);
    const xml = await server.app.inject({
      method: 'GET',
      url: `/api/v1/staff/payments/batches/${batch.json().id}/file`,
      headers: { origin: server.url, 'sec-fetch-site': 'same-origin', cookie: admin.cookie },
    });
    const transfer = readPain001(xml.body).transfers.find((t) => t.creditorIban === facility.iban);
    expect(transfer).toMatchObject({ amount: '100.00' });

    // Mario sees his share on the booking page.
    const again = await memberContext();
    await again.page.goto(`/prenotazioni/${booking.id}`);
    await expectVisible(again.page.locator('.badge', { hasText: 'Eseguita' }));
    await expectVisible(again.page.getByText('20,00 €').first());
    await accessible(again.page, 'performed booking');
  }, 240_000);

  it('[member] cancels another booking inside the notice; the cancel .ics has the same UID', async () => {
    clock.set(new Date());
    const { context, page } = await memberContext();
    const headers = { origin: server.url };
    const options = await (await context.request.get('/api/v1/bookings/options')).json();
    const mario = options.beneficiaries.find((b: { givenName: string }) => b.givenName === 'Mario');
    const png = await sharp({ create: { width: 50, height: 30, channels: 3, background: '#dddddd' } })
      .png()
      .toBuffer();
    const doc = await context.request.post('/api/v1/bookings/documents?name=prescrizione.png', {
      headers: { ...headers, 'content-type': 'image/png' },
      data: png,
    });
    expect(doc.status()).toBe(201);
    const day = nextWorkingDay(nextWorkingDay(nextWorkingDay(nextWorkingDay(italianToday(clock.now())))));
    const made = await context.request.post('/api/v1/bookings', {
      headers,
      data: {
        idempotencyKey: crypto.randomUUID(),
        beneficiaryId: mario.id,
        service: 'visite_specialistiche',
        facilityId: facility.id,
        windows: [{ date: day, part: 'morning' }],
        documentIds: [(await doc.json()).id],
      },
    });
    expect(made.status()).toBe(201);
    const booking = await made.json();
    const desk = await deskContext();
    const confirm = await desk.context.request.post(`/api/v1/staff/bookings/${booking.id}/confirm`, {
      headers,
      data: { date: day, time: '09:00' },
    });
    expect(confirm.status()).toBe(200);
    const confirmed = await smtp.waitForEmail('mario.prenota@example.test', {
      subject: new RegExp(`${booking.number} è confermata`),
    });
    const uid = icsOf(confirmed).uid;

    await page.goto(`/prenotazioni/${booking.id}`);
    await expectVisible(page.getByText(/Puoi annullare fino al/));
    await page.getByRole('button', { name: 'ANNULLA PRENOTAZIONE' }).click();
    await expectVisible(page.getByText('Prenotazione annullata.'));
    const cancelled = await smtp.waitForEmail('mario.prenota@example.test', { subject: /annullato/ });
    expect(icsOf(cancelled)).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', uid });
  });
});
