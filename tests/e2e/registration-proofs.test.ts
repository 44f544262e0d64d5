import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCodiceFiscale } from '../../server/modules/members/codice-fiscale.js';
import { signInAsNewStaff } from '../helpers/backoffice.js';
import { expectAccessible, launchChromium, openPage } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { type ReceivedEmail, startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

interface Person {
  surname: string;
  name: string;
  birthDate: string;
  cf: string;
  card: string;
}

function person(surname: string, name: string, birthDate: string, sex: 'M' | 'F', card: string): Person {
  return {
    surname,
    name,
    birthDate,
    card,
    cf: generateCodiceFiscale({ surname, name, birthDate, sex, placeCode: 'F205' }),
  };
}

// Fictitious members with no email in the registry: one with a card number, one without.
const WITH_CARD = person('Tesserato', 'Ivo', '1977-05-21', 'M', 'OC-7755-21');
const WITHOUT_CARD = person('Senzatessera', 'Olga', '1983-09-09', 'F', '');

const SUCCESS =
  "Registrazione terminata correttamente! Seguire le istruzioni inviate via email per completare l'attivazione";

function line(mail: ReceivedEmail, label: string): string {
  const m = new RegExp(`^${label}: (\\S+)$`, 'm').exec(mail.text);
  if (!m?.[1]) throw new Error(`no ${label} in "${mail.subject}"`);
  return m[1];
}

describe('registration of members with no email on file, in the browser', () => {
  let smtp: TestSmtp;
  let server: RunningServer;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startServer({ MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url });
    dir = mkdtempSync(join(tmpdir(), 'onecare-proofs-e2e-'));
    const file = join(dir, 'anagrafica.csv');
    writeFileSync(
      file,
      [
        'codice_fiscale;cognome;nome;data_nascita;email;piano;ruolo;titolare_cf;inizio_copertura;fine_copertura;numero_tessera',
        ...[WITH_CARD, WITHOUT_CARD].map(
          (p) => `${p.cf};${p.surname};${p.name};${p.birthDate};;E2E-TESSERA;titolare;;2025-01-01;;${p.card}`,
        ),
      ].join('\n'),
    );
    const imported = await runCli(server.env, 'registry', 'import', file);
    expect(imported.code, imported.out).toBe(0);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (path: string, locale = 'it-IT') => openPage(browser, server.url, path, locale);

  async function fill(page: Page, p: Person, email: string) {
    await page.getByLabel('Cognome', { exact: true }).fill(p.surname);
    await page.getByLabel('Nome', { exact: true }).fill(p.name);
    await page.getByLabel('Codice fiscale', { exact: true }).fill(p.cf);
    await page.getByLabel('Data di nascita', { exact: true }).fill(p.birthDate);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Conferma email', { exact: true }).fill(email);
  }

  async function activate(page: Page, email: string) {
    const ticketMail = await smtp.waitForEmail(email, { subject: /completa la registrazione/ });
    const link = new URL(line(ticketMail, 'Attiva il tuo account'));
    await page.goto(link.pathname + link.search);
    await page.getByRole('heading', { name: 'Attivazione assistito' }).waitFor();
    await page.getByRole('button', { name: 'REGISTRATI' }).click();
    await page.getByText('Il tuo account è attivo!').waitFor();
    expect(line(await smtp.waitForEmail(email, { subject: /username/ }), 'Username')).toMatch(/\./);
  }

  it('[visitor] the card number field is there for everyone, described, accessible in Italian and English', async () => {
    const en = await open('/registrazione', 'en-US');
    await en.page.getByRole('radio', { name: /English|EN/ }).check();
    await en.page.getByRole('heading', { name: 'Member registration' }).waitFor();
    const enField = en.page.getByLabel('Card number', { exact: true });
    await enField.waitFor();
    expect(await enField.getAttribute('aria-describedby')).toBeTruthy();
    await en.page.getByText('Required only if the fund does not have your email address').waitFor();
    await en.page.getByText("I'm not a robot").or(en.page.getByText('Non sono un robot')).first().waitFor();
    await expectAccessible(en.page);
    await en.context.close();

    const { context, page } = await open('/registrazione');
    const field = page.getByLabel('Numero tessera', { exact: true });
    await field.waitFor();
    await page.getByText('Obbligatorio solo se la tua email non è registrata presso il fondo').waitFor();
    // Optional: no "required" mark for assistive technology either.
    expect(await field.getAttribute('aria-required')).not.toBe('true');
    await page.getByText('Non sono un robot').waitFor();
    await expectAccessible(page);
    await context.close();
  });

  it('[member] with no email on file, registers with the card number typed from the keyboard and activates', async () => {
    const email = 'ivo.tesserato@example.test';
    const { context, page } = await open('/registrazione');
    await page.getByRole('heading', { name: 'Registrazione assistito' }).waitFor();
    await fill(page, WITH_CARD, email);
    // From the confirmation field, the next stop of the Tab key is the card number.
    await page.getByLabel('Conferma email', { exact: true }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>("document.activeElement?.getAttribute('name') ?? ''")).toBe(
      'cardNumber',
    );
    await page.keyboard.type('oc 7755 21');
    await page.getByRole('button', { name: 'REGISTRAMI' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(SUCCESS).waitFor();
    await expectAccessible(page);
    await activate(page, email);
    await context.close();
  });

  it('[administrator] confirms a request of a member with neither email nor card number: the ticket arrives and activates', async () => {
    const email = 'olga.senzatessera@example.test';
    const visitor = await open('/registrazione');
    await visitor.page.getByRole('heading', { name: 'Registrazione assistito' }).waitFor();
    await fill(visitor.page, WITHOUT_CARD, email);
    await visitor.page.getByRole('button', { name: 'REGISTRAMI' }).click();
    // The same answer as anyone gets; the email says the data could not be verified yet.
    await visitor.page.getByText(SUCCESS).waitFor();
    const first = await smtp.waitForEmail(email);
    expect(first.subject).toBe('OneCare: richiesta di registrazione');
    expect(first.text).toContain('numero di tessera');
    await visitor.context.close();

    const { context, page } = await open('/backoffice');
    await signInAsNewStaff(page, server.env, 'administrator', 'e2e.registrazioni');
    await page.getByRole('link', { name: 'Registrazioni da confermare' }).click();
    await page.getByRole('heading', { name: 'Registrazioni da confermare', level: 1 }).waitFor();
    await page.getByText(email).waitFor();
    await expectAccessible(page);
    const who = `${WITHOUT_CARD.surname} ${WITHOUT_CARD.name}`;
    // The member it matched is one link away.
    expect(await page.getByRole('link', { name: who }).getAttribute('href')).toMatch(
      /^\/backoffice\/anagrafica\//,
    );
    await page.getByRole('button', { name: `Conferma la richiesta di ${who}` }).click();
    await page.getByText(`Richiesta confermata: il ticket è stato inviato a ${email}.`).waitFor();
    await page.getByText('Nessuna richiesta in attesa.').waitFor();
    await expectAccessible(page);
    await context.close();

    const member = await open('/');
    await activate(member.page, email);
    await member.context.close();
  });
});
