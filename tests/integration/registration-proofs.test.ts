import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { newId } from '../../server/lib/ids.js';
import { createPlan, createRegistryMember, type TestPerson } from '../helpers/factories.js';
import {
  lineValue,
  type MemberTestApp,
  memberTestApp,
  ORIGIN,
  postJson,
  registrationBody,
} from '../helpers/member-flow.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

const DAY = 24 * 3_600_000;

/**
 * Members with no email in the registry (decision 027): a ticket goes to a typed address only with
 * the card number on file, or once the back office confirms the request. Whoever types, the answer
 * is the same, and the typed address gets the same "not found" email whenever it gets no ticket.
 */
describe('registration of members with no email on file', () => {
  let m: MemberTestApp;
  let planId: string;
  const cookies: Record<'admin' | 'auditor' | 'operator' | 'desk', string> = {
    admin: '',
    auditor: '',
    operator: '',
    desk: '',
  };
  const clock = new ManualClock('2026-12-03T09:00:00.000Z');

  const secrets: Partial<Record<keyof typeof cookies, { username: string; secret: string }>> = {};
  let signedInAt = 0;
  /** Staff sessions end after 30 idle minutes, and these tests move the clock by days. */
  async function signIn() {
    if (signedInAt > 0 && clock.now().getTime() - signedInAt < 20 * 60_000) return;
    clock.advance(30_000);
    signedInAt = clock.now().getTime();
    for (const [key, s] of Object.entries(secrets)) {
      cookies[key as keyof typeof cookies] = staffCookie(
        await staffLogin(m.t.app, s.username, totpCode(s.secret, clock.now())),
      );
    }
  }
  beforeAll(async () => {
    m = await memberTestApp({ clock });
    planId = await createPlan(m.t.app);
    const roles = [
      ['admin', 'administrator'],
      ['auditor', 'auditor'],
      ['operator', 'claims_operator'],
      ['desk', 'booking_desk'],
    ] as const;
    for (const [key, role] of roles) secrets[key] = await enrolledStaff(m.t.app, clock, `proof.${key}`, role);
  });
  afterAll(() => m.close());

  const register = async (person: TestPerson, email: string, extra: Record<string, string> = {}) =>
    postJson(
      m.t,
      '/api/v1/registrations',
      await registrationBody(
        m.t,
        { ...person, cardNumber: null },
        { email, emailConfirmation: email, ...extra },
      ),
    );
  /** The templates of the emails queued for an address, sorted: what the outbox holds, sent or not. */
  const outboxTo = async (email: string) =>
    (
      await m.t.app.db
        .selectFrom('outbox_emails')
        .select(['template', 'text_body', 'subject'])
        .where('recipient', '=', email)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    )
      .map((r) => r.template)
      .sort();
  const tickets = async (memberId: string) =>
    m.t.app.db
      .selectFrom('verifications')
      .selectAll()
      .where('registry_member_id', '=', memberId)
      .where('purpose', '=', 'activation')
      .execute();
  const staff = async (who: keyof typeof cookies, method: 'GET' | 'POST', url: string) => {
    await signIn();
    return m.t.app.inject({ method, url, headers: { ...ORIGIN, cookie: cookies[who] } });
  };
  const queue = async (who: keyof typeof cookies = 'admin') =>
    (await staff(who, 'GET', '/api/v1/staff/registration-requests')).json().requests as {
      id: string;
      typed: { email: string; codiceFiscale: string; surname: string; name: string; birthDate: string };
      member: { id: string };
      earlierRequests: number;
      createdAt: string;
      expiresAt: string;
    }[];

  it('[stranger] with the card number on file, a missing or wrong one sends no ticket; the right one does', async () => {
    const person = await createRegistryMember(m.t.app, planId, { email: null, cardNumber: 'OC24061990' });
    const answers = [
      await register(person, 'nocard@example.test'),
      await register(person, 'wrongcard@example.test', { cardNumber: 'OC24061991' }),
      await register(person, 'blankcard@example.test', { cardNumber: '   ' }),
    ];
    expect(await outboxTo('nocard@example.test')).toEqual(['registration-not-found']);
    expect(await outboxTo('wrongcard@example.test')).toEqual(['registration-not-found']);
    expect(await outboxTo('blankcard@example.test')).toEqual(['registration-not-found']);
    expect(await tickets(person.id)).toEqual([]);

    // Typed as people copy it from the card: lower case, spaces, dashes.
    answers.push(await register(person, 'owner@example.test', { cardNumber: ' oc-2406 1990 ' }));
    expect(await outboxTo('owner@example.test')).toEqual(['registration-ticket']);
    const [ticket] = await tickets(person.id);
    expect(ticket).toMatchObject({ email: 'owner@example.test', address_proof: 'card_number' });
    for (const a of answers) {
      expect(a.statusCode).toBe(202);
      expect(a.body).toBe('{"status":"received"}');
    }
    // The ticket works: the account takes the proven address.
    const mail = await m.smtp.waitForEmail('owner@example.test', { subject: /registrazione/ });
    const act = await postJson(m.t, '/api/v1/activations', { ticket: lineValue(mail, 'TICKET NUMBER') });
    expect(act.statusCode).toBe(200);
    const account = await m.t.app.db
      .selectFrom('member_accounts')
      .select('email')
      .where('registry_member_id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(account.email).toBe('owner@example.test');
    // Later registrations, whatever the card number: the notice goes to the account's address.
    await register(person, 'late.thief@example.test', { cardNumber: 'OC24061990' });
    expect(await outboxTo('late.thief@example.test')).toEqual([]);
    expect(await outboxTo('owner@example.test')).toEqual([
      'account-temporary-password',
      'account-username',
      'registration-already-registered',
      'registration-ticket',
    ]);
  });

  it('[stranger] after 5 wrong card numbers even the right one is refused for a day', async () => {
    const person = await createRegistryMember(m.t.app, planId, { email: null, cardNumber: 'CARD7777' });
    // Leaving the field empty is no guess: it does not count.
    for (let i = 0; i < 5; i++) await register(person, `empty${i}@example.test`);
    const counter = () =>
      m.t.app.db
        .selectFrom('login_throttles')
        .selectAll()
        .where('key', '=', `card:${person.id}`)
        .executeTakeFirst();
    expect(await counter()).toBeUndefined();
    for (let i = 0; i < 5; i++)
      await register(person, `guess${i}@example.test`, { cardNumber: `CARD000${i}` });
    await register(person, 'late.owner@example.test', { cardNumber: 'CARD7777' });
    expect(await outboxTo('late.owner@example.test')).toEqual(['registration-not-found']);
    expect(await tickets(person.id)).toEqual([]);
    clock.advance(DAY + 1_000);
    await register(person, 'late.owner@example.test', { cardNumber: 'CARD7777' });
    expect(await outboxTo('late.owner@example.test')).toEqual([
      'registration-not-found',
      'registration-ticket',
    ]);
  });

  it('[visitor] not found, wrong card and waiting for the back office: same answer, same email text', async () => {
    const withCard = await createRegistryMember(m.t.app, planId, { email: null, cardNumber: 'SAME1234' });
    const withoutCard = await createRegistryMember(m.t.app, planId, { email: null });
    const ended = await createRegistryMember(m.t.app, planId, { coverageEnd: '2020-12-31', email: null });
    const answers = [
      await register(withCard, 'same.a@example.test', { cardNumber: 'WRONG123' }),
      await register(withoutCard, 'same.b@example.test', { cardNumber: 'ANYTHING1' }),
      await register(ended, 'same.c@example.test'),
    ];
    for (const a of answers) {
      expect(a.statusCode).toBe(202);
      expect(a.body).toBe('{"status":"received"}');
    }
    const mails = [
      await m.smtp.waitForEmail('same.a@example.test'),
      await m.smtp.waitForEmail('same.b@example.test'),
      await m.smtp.waitForEmail('same.c@example.test'),
    ];
    expect(new Set(mails.map((b) => JSON.stringify([b.subject, b.text, b.html]))).size).toBe(1);
    expect(mails[0]?.text).toContain('non ha riscontrato in anagrafica');
    expect(mails[0]?.text).toContain('numero di tessera');
  });

  it('[administrator] no card number on file: the request waits in the queue; a confirmation sends exactly one ticket', async () => {
    const person = await createRegistryMember(m.t.app, planId, { email: null });
    const res = await register(person, 'queued@example.test', { cardNumber: 'WHATEVER' });
    const at = clock.now();
    expect(res.statusCode).toBe(202);
    expect(await outboxTo('queued@example.test')).toEqual(['registration-not-found']);
    expect(await tickets(person.id)).toEqual([]);

    const before = await m.t.app.db
      .selectFrom('audit_events')
      .select('id')
      .where('event', '=', 'sensitive_read')
      .execute();
    const listed = (await queue()).filter((r) => r.member.id === person.id);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      typed: {
        email: 'queued@example.test',
        codiceFiscale: person.codiceFiscale,
        surname: person.surname,
        name: person.name,
        birthDate: person.birthDate,
      },
      earlierRequests: 0,
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + 14 * DAY).toISOString(),
    });
    const reads = await m.t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event', '=', 'sensitive_read')
      .execute();
    expect(reads.length).toBe(before.length + 1);
    expect(reads.at(-1)?.details).toContain('registration_requests');

    const id = listed[0]?.id ?? '';
    expect(
      (await staff('admin', 'POST', `/api/v1/staff/registration-requests/${id}/confirm`)).statusCode,
    ).toBe(204);
    expect(await outboxTo('queued@example.test')).toEqual(['registration-not-found', 'registration-ticket']);
    expect(await tickets(person.id)).toEqual([
      expect.objectContaining({ email: 'queued@example.test', address_proof: 'back_office' }),
    ]);
    // Decided once: a second confirmation (or a rejection) is a conflict, and sends nothing.
    expect(
      (await staff('admin', 'POST', `/api/v1/staff/registration-requests/${id}/confirm`)).statusCode,
    ).toBe(409);
    expect(
      (await staff('admin', 'POST', `/api/v1/staff/registration-requests/${id}/reject`)).statusCode,
    ).toBe(409);
    expect(await outboxTo('queued@example.test')).toEqual(['registration-not-found', 'registration-ticket']);
    expect((await queue()).some((r) => r.id === id)).toBe(false);
    const audit = await m.t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event', '=', 'registration_request_confirmed')
      .execute();
    expect(audit).toEqual([expect.objectContaining({ actor_type: 'staff', subject_id: person.id })]);

    const mail = await m.smtp.waitForEmail('queued@example.test', { subject: /completa la registrazione/ });
    const act = await postJson(m.t, '/api/v1/activations', { ticket: lineValue(mail, 'TICKET NUMBER') });
    expect(act.statusCode).toBe(200);
    await m.smtp.waitForEmail('queued@example.test', { subject: /username/ });

    // The back office can send a fresh ticket only to that proven address.
    const other = await createRegistryMember(m.t.app, planId, { email: null });
    await register(other, 'twice@example.test');
    const [request] = (await queue()).filter((r) => r.member.id === other.id);
    await staff('admin', 'POST', `/api/v1/staff/registration-requests/${request?.id}/confirm`);
    expect(
      (await staff('admin', 'POST', `/api/v1/staff/registry/members/${other.id}/resend-activation`))
        .statusCode,
    ).toBe(204);
    expect(await outboxTo('twice@example.test')).toEqual([
      'registration-not-found',
      'registration-ticket',
      'registration-ticket',
    ]);
  });

  it('[administrator] rejects a request: a polite email, no ticket, audited', async () => {
    const person = await createRegistryMember(m.t.app, planId, { email: null });
    await register(person, 'rejected@example.test', { cardNumber: '' });
    const [request] = (await queue()).filter((r) => r.member.id === person.id);
    expect(
      (await staff('admin', 'POST', `/api/v1/staff/registration-requests/${request?.id}/reject`)).statusCode,
    ).toBe(204);
    expect(await outboxTo('rejected@example.test')).toEqual([
      'registration-not-found',
      'registration-rejected',
    ]);
    expect(await tickets(person.id)).toEqual([]);
    // Both have the same subject, which names no one; the second one says the office looked at it.
    const mails = [
      await m.smtp.waitForEmail('rejected@example.test'),
      await m.smtp.waitForEmail('rejected@example.test'),
    ];
    expect(mails.map((x) => x.subject)).toEqual([
      'OneCare: richiesta di registrazione',
      'OneCare: richiesta di registrazione',
    ]);
    expect(mails.filter((x) => x.text.includes('non ha potuto confermarla'))).toHaveLength(1);
    const audit = await m.t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event', '=', 'registration_request_rejected')
      .execute();
    expect(audit).toEqual([expect.objectContaining({ subject_id: person.id })]);
  });

  it('[stranger] a newer request replaces the older one; requests expire after 14 days', async () => {
    const person = await createRegistryMember(m.t.app, planId, { email: null });
    await register(person, 'first@example.test');
    const [first] = (await queue()).filter((r) => r.member.id === person.id);
    clock.advance(60_000);
    await register(person, 'second@example.test');
    const listed = (await queue()).filter((r) => r.member.id === person.id);
    expect(listed.map((r) => [r.typed.email, r.earlierRequests])).toEqual([['second@example.test', 1]]);
    expect(
      (await staff('admin', 'POST', `/api/v1/staff/registration-requests/${first?.id}/confirm`)).statusCode,
    ).toBe(409);
    expect(await outboxTo('first@example.test')).toEqual(['registration-not-found']);

    clock.advance(14 * DAY);
    expect((await queue()).some((r) => r.member.id === person.id)).toBe(false);
    expect(
      (await staff('admin', 'POST', `/api/v1/staff/registration-requests/${listed[0]?.id}/confirm`))
        .statusCode,
    ).toBe(409);
    expect(await tickets(person.id)).toEqual([]);
    expect(
      (await staff('admin', 'POST', '/api/v1/staff/registration-requests/nope/confirm')).statusCode,
    ).toBe(404);

    // Once the registry holds a card number for the member, the queue is no longer the way in.
    const later = await createRegistryMember(m.t.app, planId, { email: null });
    await register(later, 'later@example.test');
    const [waiting] = (await queue()).filter((r) => r.member.id === later.id);
    await m.t.app.db
      .updateTable('registry_members')
      .set({ card_number: 'NEWCARD1' })
      .where('id', '=', later.id)
      .execute();
    expect(
      (await staff('admin', 'POST', `/api/v1/staff/registration-requests/${waiting?.id}/confirm`)).statusCode,
    ).toBe(409);
    expect(await tickets(later.id)).toEqual([]);
  });

  it('[auditor, operator, booking desk] the auditor reads the queue; only administrators decide', async () => {
    const person = await createRegistryMember(m.t.app, planId, { email: null });
    await register(person, 'roles@example.test');
    const [request] = (await queue('auditor')).filter((r) => r.member.id === person.id);
    expect(request).toBeDefined();
    for (const who of ['operator', 'desk'] as const) {
      expect((await staff(who, 'GET', '/api/v1/staff/registration-requests')).statusCode).toBe(403);
    }
    for (const who of ['auditor', 'operator', 'desk'] as const) {
      for (const action of ['confirm', 'reject']) {
        const url = `/api/v1/staff/registration-requests/${request?.id}/${action}`;
        expect([who, action, (await staff(who, 'POST', url)).statusCode]).toEqual([who, action, 403]);
      }
    }
    expect((await m.t.app.inject({ url: '/api/v1/staff/registration-requests' })).statusCode).toBe(401);
    expect(await outboxTo('roles@example.test')).toEqual(['registration-not-found']);
  });

  it('[administrator] a ticket typed before the card number rule is never resent to that address', async () => {
    const person = await createRegistryMember(m.t.app, planId, { email: null });
    const now = clock.now().toISOString();
    await m.t.app.db
      .insertInto('verifications')
      .values({
        id: newId(),
        purpose: 'activation',
        lookup: 'OLDOLD',
        token_hash: 'x',
        registry_member_id: person.id,
        account_id: null,
        email: 'typed.long.ago@example.test',
        locale: 'it',
        expires_at: now,
        used_at: null,
        failed_attempts: 0,
        created_at: now,
        address_proof: null,
      })
      .execute();
    const res = await staff('admin', 'POST', `/api/v1/staff/registry/members/${person.id}/resend-activation`);
    expect(res.statusCode).toBe(409);
    expect(await outboxTo('typed.long.ago@example.test')).toEqual([]);
  });

  it('[operator] the member page says whether a card number is on file, never the number', async () => {
    const person = await createRegistryMember(m.t.app, planId, { email: null, cardNumber: 'SECRET99' });
    const page = await staff('operator', 'GET', `/api/v1/staff/registry/members/${person.id}`);
    expect(page.json().member.hasCardNumber).toBe(true);
    expect(page.body).not.toContain('SECRET99');
  });
});
