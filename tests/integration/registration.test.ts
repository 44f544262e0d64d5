import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { solveCaptcha } from '../helpers/captcha.js';
import { createPlan, createRegistryMember, type TestPerson } from '../helpers/factories.js';
import {
  lineValue,
  type MemberTestApp,
  memberTestApp,
  postJson,
  registerAndActivate,
  registrationBody,
} from '../helpers/member-flow.js';

const HOUR = 3_600_000;

describe('registration and activation', () => {
  let m: MemberTestApp;
  let planId: string;
  const clock = new ManualClock('2026-06-10T08:00:00.000Z');
  beforeAll(async () => {
    m = await memberTestApp({ clock });
    planId = await createPlan(m.t.app);
  });
  afterAll(() => m.close());

  const register = async (
    person: TestPerson,
    overrides: Record<string, string> = {},
    headers: Record<string, string> = {},
  ) => postJson(m.t, '/api/v1/registrations', await registrationBody(m.t, person, overrides), headers);

  it('[visitor] field errors come beside each field, in the language asked, before anything else', async () => {
    const person = await createRegistryMember(m.t.app, planId, {
      surname: 'Ferrari',
      name: 'Anna',
      birthDate: '1984-03-02',
      sex: 'F',
    });
    const res = await register(person, {
      surname: '',
      emailConfirmation: 'other@example.test',
      birthDate: '2099-01-01',
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    const byField = Object.fromEntries(
      body.error.details.map((d: { field: string; code: string }) => [d.field, d.code]),
    );
    expect(byField).toEqual({
      surname: 'required',
      emailConfirmation: 'email_mismatch',
      birthDate: 'birth_date_future',
    });
    expect(body.error.details.find((d: { field: string }) => d.field === 'surname').message).toBe(
      'Campo obbligatorio.',
    );

    const en = await register(person, { codiceFiscale: 'RSSMRA80A01H50' }, { 'accept-language': 'en' });
    expect(en.json().error.details).toEqual([
      {
        field: 'codiceFiscale',
        code: 'cf_malformed',
        message: 'The codice fiscale is not written correctly (16 characters).',
      },
    ]);
    const incoherent = await register(person, { name: 'Giovanna' });
    expect(incoherent.json().error.details[0]).toMatchObject({
      field: 'codiceFiscale',
      code: 'cf_incoherent_name',
    });
    const badCheck = await register(person, {
      codiceFiscale: person.codiceFiscale.slice(0, 15) + (person.codiceFiscale.endsWith('A') ? 'B' : 'A'),
    });
    expect(badCheck.json().error.details[0]).toMatchObject({
      field: 'codiceFiscale',
      code: 'cf_check_character',
    });
    expect(m.smtp.received.filter((e) => e.to === person.email)).toHaveLength(0);
  });

  it('[visitor] the captcha is required, and a solved one works once', async () => {
    const person = await createRegistryMember(m.t.app, planId);
    const missing = await register(person, { altcha: '' });
    expect(missing.json().error.details).toEqual([
      expect.objectContaining({ field: 'altcha', code: 'captcha_missing' }),
    ]);
    const altcha = await solveCaptcha(m.t.app);
    expect((await register(person, { altcha })).statusCode).toBe(202);
    const replay = await register(person, { altcha });
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error.details[0]).toMatchObject({ field: 'altcha', code: 'captcha_invalid' });
  });

  it('[visitor] unknown, insured and already registered people get the same status and body; the emails tell the truth', async () => {
    // No email in the registry: with the right card number, the account takes the address typed.
    const insured = await createRegistryMember(m.t.app, planId, { email: null, cardNumber: 'TS10001' });
    const registered = await createRegistryMember(m.t.app, planId, { email: null, cardNumber: 'TS10002' });
    const { email: accountEmail } = await registerAndActivate(m, registered);
    const unknown: TestPerson = { ...(await createRegistryMember(m.t.app, planId)), name: 'Mario' };
    const stranger = { ...unknown, surname: 'Sconosciuto', name: 'Ugo' };
    const { generateCodiceFiscale } = await import('../../server/modules/members/codice-fiscale.js');
    stranger.codiceFiscale = generateCodiceFiscale({
      surname: 'Sconosciuto',
      name: 'Ugo',
      birthDate: stranger.birthDate,
      sex: 'M',
      placeCode: 'F205',
    });

    const answers = [
      await register(insured, {
        email: 'new.member@example.test',
        emailConfirmation: 'new.member@example.test',
      }),
      await register(registered, {
        email: 'someone.typing@example.test',
        emailConfirmation: 'someone.typing@example.test',
      }),
      await register(stranger, {
        email: 'stranger@example.test',
        emailConfirmation: 'stranger@example.test',
      }),
    ];
    for (const a of answers) {
      expect(a.statusCode).toBe(202);
      expect(a.body).toBe('{"status":"received"}');
    }
    const ticket = await m.smtp.waitForEmail('new.member@example.test');
    expect(ticket.subject).toBe('OneCare: completa la registrazione');
    expect(lineValue(ticket, 'TICKET NUMBER')).toMatch(/^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$/);
    expect(ticket.text).toContain('/attivazione?ticket=');

    // Told at the account's address, not at the one typed by whoever is trying.
    const already = await m.smtp.waitForEmail(accountEmail);
    expect(already.text).toContain('hai già un account');
    expect(already.text).toContain('/recupero-password');
    expect(m.smtp.received.some((e) => e.to === 'someone.typing@example.test')).toBe(false);

    const notFound = await m.smtp.waitForEmail('stranger@example.test');
    expect(notFound.text).toContain('non ha riscontrato in anagrafica');
    expect(notFound.text).toContain('supporto@onecare.example');
    for (const mail of [ticket, already, notFound]) {
      expect(mail.subject).not.toMatch(
        /Rossi|Bianchi|Verdi|Esposito|Ricci|Marino|Greco|Bruno|Gallo|Conti|Sconosciuto/,
      );
    }
  });

  it('[stranger] knowing someone’s data is not enough when the registry holds their email', async () => {
    const person = await createRegistryMember(m.t.app, planId, { email: 'owner@example.test' });
    const res = await register(person, {
      email: 'thief@example.test',
      emailConfirmation: 'thief@example.test',
    });
    expect(res.statusCode).toBe(202);
    const mail = await m.smtp.waitForEmail('thief@example.test');
    expect(mail.text).toContain('non ha riscontrato in anagrafica');
    // Case and spacing in names are ignored; the registry email matches whatever the case.
    const ok = await register(person, {
      surname: ` ${person.surname.toUpperCase()} `,
      email: 'OWNER@example.test',
      emailConfirmation: 'owner@example.test',
    });
    expect(ok.statusCode).toBe(202);
    expect((await m.smtp.waitForEmail('owner@example.test')).subject).toBe(
      'OneCare: completa la registrazione',
    );
  });

  it('[former member] a coverage that has ended does not match', async () => {
    const person = await createRegistryMember(m.t.app, planId, { coverageEnd: '2025-12-31' });
    await register(person);
    expect((await m.smtp.waitForEmail(person.email ?? '')).text).toContain(
      'non ha riscontrato in anagrafica',
    );
  });

  it('[member] the ticket activates the account: two emails, one with the username, one with a temporary password', async () => {
    const a = await createRegistryMember(m.t.app, planId, {
      surname: "D'Amico",
      name: 'Nicolò',
      birthDate: '1990-05-04',
      sex: 'M',
    });
    const b = await createRegistryMember(m.t.app, planId, {
      surname: 'Damico',
      name: 'Nicolo',
      birthDate: '1991-07-08',
      sex: 'M',
    });
    const first = await registerAndActivate(m, a);
    const second = await registerAndActivate(m, b);
    expect(first.username).toBe('nicolo.damico');
    expect(second.username).toBe('nicolo.damico2');
    expect(first.temporaryPassword).toMatch(/^[2-9A-HJKMNP-Z]{20}$/);
    const account = await m.t.app.db
      .selectFrom('member_accounts')
      .selectAll()
      .where('username', '=', first.username)
      .executeTakeFirstOrThrow();
    expect(account.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(account.must_change_password).toBe(1);
    // Nothing secret is kept in clear: not the ticket, not the temporary password.
    const verifications = await m.t.app.db.selectFrom('verifications').selectAll().execute();
    expect(JSON.stringify(verifications)).not.toContain(first.temporaryPassword);
    const outbox = await m.t.app.db.selectFrom('outbox_emails').select(['text_body', 'status']).execute();
    expect(outbox.filter((o) => o.status === 'sent' && o.text_body !== null)).toEqual([]);
  });

  it('[member] a ticket works once; a wrong one, an expired one, and one dead after 5 wrong tries are refused alike', async () => {
    const person = await createRegistryMember(m.t.app, planId);
    await register(person);
    const ticket = lineValue(await m.smtp.waitForEmail(person.email ?? ''), 'TICKET NUMBER');
    const wrong = `${ticket.slice(0, -1)}${ticket.endsWith('Z') ? 'Y' : 'Z'}`;
    for (let i = 0; i < 5; i++) {
      const res = await postJson(m.t, '/api/v1/activations', { ticket: wrong });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('TICKET_INVALID');
    }
    // Dead after 5 wrong tries, even with the right ticket.
    expect((await postJson(m.t, '/api/v1/activations', { ticket })).json().error.code).toBe('TICKET_INVALID');

    // Registering again sends a fresh ticket and kills the old one.
    await register(person);
    const fresh = lineValue(await m.smtp.waitForEmail(person.email ?? ''), 'TICKET NUMBER');
    expect(fresh).not.toBe(ticket);
    await register(person);
    const newest = lineValue(await m.smtp.waitForEmail(person.email ?? ''), 'TICKET NUMBER');
    expect((await postJson(m.t, '/api/v1/activations', { ticket: fresh })).statusCode).toBe(400);
    // Typed in lower case, with spaces: still accepted.
    const typed = newest.toLowerCase().replace(/-/g, ' ');
    expect((await postJson(m.t, '/api/v1/activations', { ticket: typed })).statusCode).toBe(200);
    expect((await postJson(m.t, '/api/v1/activations', { ticket: newest })).json().error.code).toBe(
      'TICKET_INVALID',
    );

    const late = await createRegistryMember(m.t.app, planId);
    await register(late);
    const lateTicket = lineValue(await m.smtp.waitForEmail(late.email ?? ''), 'TICKET NUMBER');
    clock.advance(24 * HOUR + 1000);
    expect((await postJson(m.t, '/api/v1/activations', { ticket: lateTicket })).json().error.code).toBe(
      'TICKET_INVALID',
    );
  });

  it('[auditor] registration and activation are in the audit trail, without secrets', async () => {
    const events = await m.t.app.db.selectFrom('audit_events').selectAll().execute();
    const names = new Set(events.map((e) => e.event));
    expect(names).toContain('registration_request');
    expect(names).toContain('user_created');
    expect(names).toContain('authn_token_invalid');
    for (const e of events) {
      expect(e.details ?? '').not.toMatch(/[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}|argon2|@example/);
      expect(e.occurred_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
  });
});
