import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { generateCodiceFiscale } from '../../server/modules/members/codice-fiscale.js';
import { expectAccessible, expectVisible, launchChromium, openPage } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { type RunningServer, startServer } from '../helpers/server.js';
import { type ReceivedEmail, startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

const HOUR = 3_600_000;
const NEW_PASSWORD = 'una lunga passeggiata sul lungomare';

interface Person {
  surname: string;
  name: string;
  birthDate: string;
  sex: 'M' | 'F';
  email: string;
  cf: string;
}

function person(surname: string, name: string, birthDate: string, sex: 'M' | 'F', email: string): Person {
  return {
    surname,
    name,
    birthDate,
    sex,
    email,
    cf: generateCodiceFiscale({ surname, name, birthDate, sex, placeCode: 'H501' }),
  };
}

// Fictitious people, written into a registry file of our own and imported with the command line.
const MARIA = person('Fittizia', 'Maria', '1981-04-12', 'F', 'maria.fittizia@example.test');
const PIETRO = person('Inventato', 'Pietro', '1972-09-03', 'M', 'pietro.inventato@example.test');
const ALICE = person('Prova', 'Alice', '1990-01-20', 'F', 'alice.prova@example.test');
const BRUNO = person('Esempio', 'Bruno', '1965-06-30', 'M', 'bruno.esempio@example.test');
const CARLA = person('Demo', 'Carla', '1988-12-01', 'F', 'carla.demo@example.test');
const DARIO = person('Campione', 'Dario', '1979-02-14', 'M', 'dario.campione@example.test');
const EVA = person('Modello', 'Eva', '1993-03-03', 'F', 'eva.modello@example.test');
const everyone = [MARIA, PIETRO, ALICE, BRUNO, CARLA, DARIO, EVA];

function line(mail: ReceivedEmail, label: string): string {
  const m = new RegExp(`^${label}: (\\S+)$`, 'm').exec(mail.text);
  if (!m?.[1]) throw new Error(`no ${label} in "${mail.subject}"`);
  return m[1];
}

describe('member account lifecycle in the browser', () => {
  let smtp: TestSmtp;
  let server: RunningServer;
  let browser: Browser;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startServer(
      {
        MAIL_TRANSPORT: 'smtp',
        SMTP_URL: smtp.url,
        SUPPORT_EMAIL: 'aiuto@onecare.example',
        SUPPORT_PHONE: '800 111 222',
      },
      clock,
    );
    const dir = mkdtempSync(join(tmpdir(), 'onecare-registry-'));
    const file = join(dir, 'anagrafica.csv');
    writeFileSync(
      file,
      [
        'codice_fiscale;cognome;nome;data_nascita;email;piano;ruolo;titolare_cf;inizio_copertura;fine_copertura',
        ...everyone.map((p) => {
          const [y, m, d] = p.birthDate.split('-');
          return `${p.cf};${p.surname};${p.name};${d}/${m}/${y};${p.email};AZIENDA-2026;titolare;;01/01/2026;31/12/2030`;
        }),
      ].join('\n'),
    );
    const imported = await runCli(server.env, 'registry', 'import', file);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain(`inserted: ${everyone.length}`);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.stop();
  });

  const open = (path = '/', locale = 'it-IT') => openPage(browser, server.url, path, locale);

  async function fillRegistration(page: Page, p: Person, email = p.email) {
    await page.getByLabel('Cognome', { exact: true }).fill(p.surname);
    await page.getByLabel('Nome', { exact: true }).fill(p.name);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Conferma email', { exact: true }).fill(email);
    await page.getByLabel('Codice fiscale', { exact: true }).fill(p.cf);
    await page.getByLabel('Data di nascita', { exact: true }).fill(p.birthDate);
  }

  const SUCCESS =
    "Registrazione terminata correttamente! Seguire le istruzioni inviate via email per completare l'attivazione";

  async function registerInBrowser(p: Person, email = p.email) {
    const { context, page } = await open('/registrazione');
    await page.getByRole('heading', { name: 'Registrazione assistito' }).waitFor();
    await fillRegistration(page, p, email);
    await page.getByRole('button', { name: 'REGISTRAMI' }).click();
    await page.getByText(SUCCESS).waitFor();
    await context.close();
  }

  async function activateFromEmail(p: Person): Promise<{ username: string; password: string }> {
    const ticketMail = await smtp.waitForEmail(p.email, { subject: /completa la registrazione/ });
    const { context, page } = await open(
      new URL(line(ticketMail, 'Attiva il tuo account')).pathname +
        new URL(line(ticketMail, 'Attiva il tuo account')).search,
    );
    await page.getByRole('button', { name: 'REGISTRATI' }).click();
    await page.getByText('Il tuo account è attivo!').waitFor();
    await context.close();
    const username = line(await smtp.waitForEmail(p.email, { subject: /username/ }), 'Username');
    const password = line(await smtp.waitForEmail(p.email, { subject: /password temporanea/ }), 'Password');
    return { username, password };
  }

  async function loginInBrowser(page: Page, username: string, password: string) {
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'LOGIN' }).click();
  }

  it('[member] registers, activates from the emailed link, logs in, chooses a password and reaches the dashboard', async () => {
    const { context, page, errors } = await open('/');
    await page.getByRole('link', { name: 'REGISTRATI' }).click();
    await page.getByRole('heading', { name: 'Registrazione assistito' }).waitFor();
    // Each waits until shown (the captcha widget and the support contacts load after the page).
    await page.getByText('(*) Campi obbligatori').waitFor();
    await page.getByText('800 111 222').first().waitFor();
    await page.getByText('Non sono un robot').waitFor();
    await page
      .getByRole('button', { name: 'INDIETRO' })
      .or(page.getByRole('link', { name: 'INDIETRO' }))
      .waitFor();
    await expectAccessible(page);
    await fillRegistration(page, MARIA);
    await page.getByText('Non sono un robot').click();
    await page.getByRole('button', { name: 'REGISTRAMI' }).click();
    await page.getByText(SUCCESS).waitFor();
    await expectAccessible(page);

    const ticketMail = await smtp.waitForEmail(MARIA.email, { subject: /completa la registrazione/ });
    const ticket = line(ticketMail, 'TICKET NUMBER');
    const link = new URL(line(ticketMail, 'Attiva il tuo account'));
    expect(link.origin).toBe(server.url);
    await page.goto(link.pathname + link.search);
    await page.getByRole('heading', { name: 'Attivazione assistito' }).waitFor();
    expect(await page.getByLabel('Ticket number').inputValue()).toBe(ticket);
    expect(page.url()).not.toContain(ticket);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'REGISTRATI' }).click();
    await page.getByText('Il tuo account è attivo!').waitFor();
    await expectAccessible(page);

    const username = line(await smtp.waitForEmail(MARIA.email, { subject: /username/ }), 'Username');
    const temporary = line(
      await smtp.waitForEmail(MARIA.email, { subject: /password temporanea/ }),
      'Password',
    );
    expect(username).toBe('maria.fittizia');

    await page.goto('/');
    await loginInBrowser(page, username, temporary);
    await page.getByRole('heading', { name: 'Scegli la tua password' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Nuova password', { exact: true }).fill('maria1981fittizia');
    await page.getByLabel('Conferma password', { exact: true }).fill('maria1981fittizia');
    await page.getByRole('button', { name: 'SALVA' }).click();
    await page
      .getByText(/almeno 15 caratteri|nome|data di nascita/)
      .first()
      .waitFor();
    await page.getByLabel('Nuova password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Conferma password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'SALVA' }).click();

    await page.getByRole('heading', { name: 'Area riservata' }).waitFor();
    await page.getByText('Maria Fittizia').first().waitFor();
    await expectVisible(page.getByText('AZIENDA-2026').first());
    await expectVisible(page.getByText(/01\/01\/2026/).first());
    await expectVisible(page.getByText(/31\/12\/2030/).first());
    for (const name of ['Prenota una prestazione medica', 'Richiedi un rimborso', 'Le mie pratiche']) {
      await expectVisible(page.getByRole('link', { name: new RegExp(name) }));
    }
    await expectAccessible(page);
    expect((await smtp.waitForEmail(MARIA.email, { subject: /password modificata/ })).subject).toBe(
      'OneCare: password modificata',
    );

    // Logging out and in again with the chosen password lands on the dashboard directly.
    await page.getByRole('button', { name: 'ESCI' }).click();
    await page.getByRole('heading', { name: 'Benvenuto in OneCare' }).waitFor();
    await loginInBrowser(page, username, NEW_PASSWORD);
    await page.getByRole('heading', { name: 'Area riservata' }).waitFor();
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([]);
    await context.close();
  });

  it('[member] registers in English with the keyboard only', async () => {
    const { context, page } = await open('/registrazione', 'en-US');
    await page.getByRole('radio', { name: /English|EN/ }).check();
    await page.getByRole('heading', { name: 'Member registration' }).waitFor();
    await expectAccessible(page);
    // From the top of the page, only Tab, typing, Space and Enter.
    const active = () =>
      page.evaluate<string>(
        "(() => { const e = document.activeElement; return e ? (e.getAttribute('name') || e.getAttribute('type') || e.textContent || '').trim() : ''; })()",
      );
    const tabTo = async (target: string) => {
      for (let i = 0; i < 25; i++) {
        if ((await active()) === target) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${target}`);
    };
    const [y, m, d] = PIETRO.birthDate.split('-');
    const typed: Array<[string, string]> = [
      ['surname', PIETRO.surname],
      ['name', PIETRO.name],
      ['codiceFiscale', PIETRO.cf],
      ['birthDate', `${m}${d}${y}`],
      ['email', PIETRO.email],
      ['emailConfirmation', PIETRO.email],
    ];
    for (const [field, value] of typed) {
      await tabTo(field);
      await page.keyboard.type(value);
    }
    await tabTo('checkbox');
    await page.keyboard.press('Space');
    await tabTo('submit');
    expect(await page.evaluate<string>('document.activeElement.textContent')).toContain('REGISTER ME');
    await page.keyboard.press('Enter');
    await page.getByText(/Registration completed/).waitFor();
    const mail = await smtp.waitForEmail(PIETRO.email, { subject: /complete your registration/ });
    expect(line(mail, 'TICKET NUMBER')).toMatch(/^[A-Z2-9]{4}-/);
    await context.close();
  });

  it('[visitor] field errors appear beside their fields, before anything is sent', async () => {
    const { context, page } = await open('/registrazione');
    await fillRegistration(page, ALICE);
    await page.getByLabel('Conferma email', { exact: true }).fill('other@example.test');
    await page.getByLabel('Nome', { exact: true }).fill('Beatrice');
    await page.getByRole('button', { name: 'REGISTRAMI' }).click();
    await page.getByText("L'indirizzo non coincide con quello scritto nel campo Email.").waitFor();
    await expectAccessible(page);
    await page.getByLabel('Conferma email', { exact: true }).fill(ALICE.email);
    await page.getByRole('button', { name: 'REGISTRAMI' }).click();
    await page.getByText('Il codice fiscale non corrisponde al nome inserito.').waitFor();
    expect(await page.getByLabel('Codice fiscale', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    await expectAccessible(page);
    await context.close();
  });

  it('[visitor] no match and already registered show the same screen; each email tells the truth', async () => {
    const stranger = person('Nessuno', 'Ignoto', '1970-07-07', 'M', 'ignoto.nessuno@example.test');
    await registerInBrowser(stranger);
    const notFound = await smtp.waitForEmail(stranger.email);
    expect(notFound.text).toContain('non ha riscontrato in anagrafica');
    expect(notFound.text).toContain('aiuto@onecare.example');

    // Maria registered and activated in the first test: she is told to recover her password instead.
    await registerInBrowser(MARIA);
    const already = await smtp.waitForEmail(MARIA.email, { subject: /richiesta di registrazione/ });
    expect(already.text).toContain('hai già un account');
  });

  it('[member] wrong, used and expired tickets are refused on the activation page', async () => {
    await registerInBrowser(ALICE);
    const ticket = line(await smtp.waitForEmail(ALICE.email, { subject: /completa/ }), 'TICKET NUMBER');
    const { context, page } = await open('/attivazione');
    const refused = /Il ticket number non è valido, è già stato usato o è scaduto/;
    await page.getByLabel('Ticket number').fill('ABCD-EFGH-JKMN-PQRS');
    await page.getByRole('button', { name: 'REGISTRATI' }).click();
    await page.getByText(refused).first().waitFor();
    await expectAccessible(page);
    await page.getByLabel('Ticket number').fill(ticket);
    await page.getByRole('button', { name: 'REGISTRATI' }).click();
    await page.getByText('Il tuo account è attivo!').waitFor();
    await page.goto('/attivazione');
    await page.getByLabel('Ticket number').fill(ticket);
    await page.getByRole('button', { name: 'REGISTRATI' }).click();
    await page.getByText(refused).first().waitFor();

    await registerInBrowser(BRUNO);
    const late = line(await smtp.waitForEmail(BRUNO.email, { subject: /completa/ }), 'TICKET NUMBER');
    clock.advance(25 * HOUR);
    await page.goto('/attivazione');
    await page.getByLabel('Ticket number').fill(late);
    await page.getByRole('button', { name: 'REGISTRATI' }).click();
    await page.getByText(refused).first().waitFor();
    await context.close();
  });

  it('[member] an expired temporary password is refused with the generic message', async () => {
    await registerInBrowser(CARLA);
    const { username, password } = await activateFromEmail(CARLA);
    clock.advance(24 * HOUR + 60_000);
    const { context, page } = await open('/');
    await loginInBrowser(page, username, password);
    await page.getByText('Username o password non corretti').waitFor();
    await expectAccessible(page);
    await context.close();
  });

  it('[member] recovers a forgotten password from the login page, through the emailed link', async () => {
    await registerInBrowser(DARIO);
    const { username, password } = await activateFromEmail(DARIO);
    {
      const { context, page } = await open('/');
      await loginInBrowser(page, username, password);
      await page.getByLabel('Nuova password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByLabel('Conferma password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'SALVA' }).click();
      await page.getByRole('heading', { name: 'Area riservata' }).waitFor();
      await context.close();
    }
    const { context, page } = await open('/');
    await page.getByRole('link', { name: 'Password dimenticata?' }).click();
    await page.getByRole('heading', { name: 'Recupero password OneCare' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Email', { exact: true }).fill(DARIO.email);
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByRole('button', { name: 'RECUPERA' }).click();
    await page
      .getByText(
        `A breve riceverai un'email all'indirizzo ${DARIO.email} con le istruzioni per il recupero della password`,
      )
      .waitFor();
    await expectAccessible(page);

    const mail = await smtp.waitForEmail(DARIO.email, { subject: /recupero password/ });
    expect(mail.text).toContain(
      'La preghiamo di cliccare sul seguente link per completare la procedura di recupero della password.',
    );
    const link = new URL(line(mail, 'Reimposta la password'));
    await page.goto(link.pathname + link.search);
    await page.getByRole('heading', { name: 'Scegli una nuova password' }).waitFor();
    expect(page.url()).not.toContain('token=');
    await expectAccessible(page);
    const chosen = 'la terza frase scelta per questo test';
    await page.getByLabel('Nuova password', { exact: true }).fill(chosen);
    await page.getByLabel('Conferma password', { exact: true }).fill(chosen);
    await page.getByRole('button', { name: 'SALVA' }).click();
    await page.getByText('La password è stata cambiata.').waitFor();
    expect((await smtp.waitForEmail(DARIO.email, { subject: /password modificata/ })).subject).toBe(
      'OneCare: password modificata',
    );

    // The same link a second time is refused.
    await page.goto(link.pathname + link.search);
    await page
      .getByText(/non è valido|già stato usato|scaduto/)
      .first()
      .waitFor();
    await page.goto('/');
    await loginInBrowser(page, username, chosen);
    await page.getByRole('heading', { name: 'Area riservata' }).waitFor();
    await context.close();
  });

  it('[member] gets a forgotten username by email; the page answers the same for anyone', async () => {
    await registerInBrowser(EVA);
    const { username } = await activateFromEmail(EVA);
    const { context, page } = await open('/');
    await page.getByRole('link', { name: 'Username dimenticata?' }).click();
    await page.getByRole('heading', { name: 'Recupero username OneCare' }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('Email', { exact: true }).fill(EVA.email);
    await page.getByLabel('Codice fiscale', { exact: true }).fill(EVA.cf);
    await page.getByRole('button', { name: 'RECUPERA' }).click();
    await page
      .getByText(`a breve riceverai un'email all'indirizzo ${EVA.email} con la tua username`)
      .waitFor();
    expect(line(await smtp.waitForEmail(EVA.email, { subject: /recupero username/ }), 'Username')).toBe(
      username,
    );
    await context.close();
  });

  it('[visitor] the instructions page explains the steps and gives the support contacts', async () => {
    for (const locale of ['it-IT', 'en-US']) {
      const { context, page } = await open('/istruzioni', locale);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByText('aiuto@onecare.example').first().waitFor();
      await expectAccessible(page);
      await context.close();
    }
  });
});
