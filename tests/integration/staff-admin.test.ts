import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import type { StaffRole } from '../../server/modules/staff/staff.table.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { ORIGIN } from '../helpers/member-flow.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';
import {
  enrolledStaff,
  enrolmentLinkIn,
  enrolWithToken,
  staffCookie,
  staffLogin,
  tokenOf,
  totpCode,
} from '../helpers/staff.js';

const STEP = 30_000;

describe('back-office staff users managed by administrators', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  const clock = new ManualClock('2026-11-03T08:00:00.000Z');
  let admin = '';
  let adminId = '';

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await buildTestApp({ clock, startWorker: true, env: { MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url } });
    const a = await enrolledStaff(t.app, clock, 'adele.admin', 'administrator');
    admin = await signIn(a.username, a.secret);
    adminId = await idOf('adele.admin');
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  /** Logs in with the next time step's code (a code is accepted once). */
  async function signIn(username: string, secret: string): Promise<string> {
    clock.advance(STEP);
    const res = await staffLogin(t.app, username, totpCode(secret, clock.now()));
    expect(res.statusCode, res.body).toBe(200);
    return staffCookie(res);
  }

  async function idOf(username: string): Promise<string> {
    const row = await t.app.db
      .selectFrom('staff_users')
      .select('id')
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A user made by the command line, enrolled and signed in. */
  async function signedIn(username: string, role: StaffRole) {
    const s = await enrolledStaff(t.app, clock, username, role);
    return { ...s, id: await idOf(username), cookie: await signIn(username, s.secret) };
  }

  const call = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object, language = 'it') =>
    t.app.inject({
      method,
      url,
      headers: { ...ORIGIN, cookie, 'accept-language': language },
      ...(payload ? { payload } : {}),
    });
  const act = (cookie: string, id: string, action: string, payload: object = {}, language = 'it') =>
    call('POST', `/api/v1/staff/users/${id}/${action}`, cookie, payload, language);
  const sessionOf = (cookie: string) =>
    t.app.inject({ url: '/api/v1/staff/auth/session', headers: { cookie } });
  const events = (event: string, subject: string) =>
    t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event', '=', event)
      .where('subject_id', '=', subject)
      .execute();

  it('[administrator] creates a user: the enrolment link arrives by email and enrols them; a retry is a conflict', async () => {
    const res = await call('POST', '/api/v1/staff/users', admin, {
      username: ' Nadia.Nuova ',
      email: 'Nadia.Nuova@Example.test',
      role: 'claims_operator',
    });
    expect(res.statusCode, res.body).toBe(201);
    const user = res.json().user;
    expect(user).toMatchObject({
      username: 'nadia.nuova',
      email: 'nadia.nuova@example.test',
      role: 'claims_operator',
      state: 'waiting_for_enrolment',
      locale: 'it',
      lastLoginAt: null,
    });
    // The administrator never sees the link.
    expect(res.body).not.toContain('token');

    const mail = await smtp.waitForEmail('nadia.nuova@example.test');
    expect(mail.subject).toBe('OneCare: attivazione accesso back office');
    expect(mail.subject).not.toContain('nadia');
    expect(mail.text).toContain('Username: nadia.nuova');
    expect(mail.text).toContain('Operatore pratiche');
    const link = enrolmentLinkIn(mail.text);
    expect(link.startsWith('http://localhost:3000/backoffice/attivazione?token=')).toBe(true);

    const { secret } = await enrolWithToken(t.app, clock, tokenOf(link));
    // Single use.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/enrolment/start',
      headers: ORIGIN,
      payload: { token: tokenOf(link) },
    });
    expect(again.json().error.code).toBe('LINK_INVALID');
    await signIn('nadia.nuova', secret);

    const list = await call('GET', '/api/v1/staff/users', admin);
    expect(list.statusCode).toBe(200);
    const listed = list.json().users.find((u: { username: string }) => u.username === 'nadia.nuova');
    expect(listed).toMatchObject({ state: 'active', email: 'nadia.nuova@example.test' });
    expect(listed.lastLoginAt).toBe(clock.now().toISOString());
    expect(listed.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    // A retry (or a second administrator) with the same username: a clear conflict, never a duplicate.
    const retry = await call(
      'POST',
      '/api/v1/staff/users',
      admin,
      { username: 'nadia.nuova', email: 'altra@example.test', role: 'auditor' },
      'en',
    );
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error).toMatchObject({
      code: 'CONFLICT',
      details: [
        {
          field: 'username',
          code: 'username_taken',
          message: 'This username is already used by another back-office user.',
        },
      ],
    });
    const rows = await t.app.db
      .selectFrom('staff_users')
      .select('id')
      .where('username', '=', 'nadia.nuova')
      .execute();
    expect(rows).toHaveLength(1);

    const created = await events('user_created', user.id);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor_type: 'staff', actor_id: adminId, outcome: 'success' });
    expect(JSON.parse(created[0]?.details ?? '{}')).toEqual({ kind: 'staff', role: 'claims_operator' });
    expect(JSON.stringify(created)).not.toContain('nadia.nuova@example.test');
  });

  it('[administrator] concurrent creations of one username make one user', async () => {
    const body = { username: 'gemma.gemella', email: 'gemma@example.test', role: 'auditor' };
    const answers = await Promise.all([
      call('POST', '/api/v1/staff/users', admin, body),
      call('POST', '/api/v1/staff/users', admin, body),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    expect(
      await t.app.db.selectFrom('staff_users').select('id').where('username', '=', 'gemma.gemella').execute(),
    ).toHaveLength(1);
  });

  it('[administrator] the enrolment email follows the chosen language', async () => {
    const res = await call('POST', '/api/v1/staff/users', admin, {
      username: 'edward.english',
      email: 'edward@example.test',
      role: 'booking_desk',
      locale: 'en',
    });
    expect(res.statusCode).toBe(201);
    const mail = await smtp.waitForEmail('edward@example.test');
    expect(mail.subject).toBe('OneCare: back-office access activation');
    expect(mail.text).toContain('Booking desk');
  });

  it('[administrator] wrong data is refused field by field, in the caller’s language', async () => {
    const res = await call(
      'POST',
      '/api/v1/staff/users',
      admin,
      { username: '1x', email: 'not-an-address', role: 'superuser' },
      'en',
    );
    expect(res.statusCode).toBe(400);
    const error = res.json().error;
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`)).toEqual([
      'username:username_invalid',
      'email:email_invalid',
      'role:role_invalid',
    ]);
    expect(error.details[2].message).toBe('Choose one of the roles.');
    const missing = await call('POST', '/api/v1/staff/users', admin, { username: 'solo.nome' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('[administrator] disabling ends the user’s sessions at once; login gets the wrong-password answer; enabling lets them back', async () => {
    const u = await signedIn('dario.disattivato', 'booking_desk');
    expect((await sessionOf(u.cookie)).statusCode).toBe(200);

    const res = await act(admin, u.id, 'disable');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.state).toBe('disabled');
    expect((await sessionOf(u.cookie)).statusCode).toBe(401);
    const left = await t.app.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('subject_type', '=', 'staff')
      .where('subject_id', '=', u.id)
      .execute();
    expect(left).toEqual([]);

    clock.advance(STEP);
    const refused = await staffLogin(t.app, u.username, totpCode(u.secret, clock.now()));
    const wrongPassword = await staffLogin(
      t.app,
      u.username,
      totpCode(u.secret, clock.now()),
      'not the password',
    );
    expect(refused.statusCode).toBe(401);
    expect(refused.body).toBe(wrongPassword.body);
    expect(refused.json().error.code).toBe('INVALID_CREDENTIALS');

    // Disabling twice changes nothing.
    expect((await act(admin, u.id, 'disable')).json().user.state).toBe('disabled');
    expect(await events('user_disabled', u.id)).toHaveLength(1);

    const enabled = await act(admin, u.id, 'enable');
    expect(enabled.json().user.state).toBe('active');
    await signIn(u.username, u.secret);
    const [disabled] = await events('user_disabled', u.id);
    expect(disabled).toMatchObject({ actor_id: adminId, outcome: 'success' });
    expect(await events('user_enabled', u.id)).toHaveLength(1);
  });

  it('[administrator] a role change ends the sessions and counts at the next login', async () => {
    const u = await signedIn('rocco.ruolo', 'auditor');
    expect((await call('GET', '/api/v1/staff/audit-events', u.cookie)).statusCode).toBe(200);

    const bad = await act(admin, u.id, 'role', { role: 'emperor' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ field: 'role', code: 'role_invalid' });

    const res = await act(admin, u.id, 'role', { role: 'claims_operator' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.role).toBe('claims_operator');
    expect((await sessionOf(u.cookie)).statusCode).toBe(401);

    const cookie = await signIn(u.username, u.secret);
    expect((await sessionOf(cookie)).json().role).toBe('claims_operator');
    expect((await call('GET', '/api/v1/staff/audit-events', cookie)).statusCode).toBe(403);

    const [change] = await events('authz_change', u.id);
    expect(change).toMatchObject({ actor_id: adminId, outcome: 'success' });
    expect(JSON.parse(change?.details ?? '{}')).toEqual({
      kind: 'staff',
      from: 'auditor',
      to: 'claims_operator',
    });
  });

  it('[administrator] resetting two-factor kills the authenticator, the recovery codes and the sessions; the emailed link enrols again', async () => {
    const u = await signedIn('teresa.telefono', 'claims_operator');
    const res = await act(admin, u.id, 'reset-two-factor');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user.state).toBe('waiting_for_enrolment');
    expect((await sessionOf(u.cookie)).statusCode).toBe(401);

    clock.advance(STEP);
    expect((await staffLogin(t.app, u.username, totpCode(u.secret, clock.now()))).statusCode).toBe(401);
    expect((await staffLogin(t.app, u.username, u.recoveryCodes[0] ?? '')).statusCode).toBe(401);
    expect(
      await t.app.db.selectFrom('staff_recovery_codes').select('id').where('staff_id', '=', u.id).execute(),
    ).toEqual([]);

    const mail = await smtp.waitForEmail('teresa.telefono@example.test');
    expect(mail.subject).toBe('OneCare: nuova attivazione dell’accesso back office');
    const { secret } = await enrolWithToken(t.app, clock, tokenOf(enrolmentLinkIn(mail.text)));
    expect(secret).not.toBe(u.secret);
    await signIn(u.username, secret);
    const [reset] = await events('authn_mfa_reset', u.id);
    expect(reset).toMatchObject({ actor_id: adminId, outcome: 'success' });

    // A disabled user cannot be reset (the link would not work): enable first.
    await act(admin, u.id, 'disable');
    const refused = await act(admin, u.id, 'reset-two-factor');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details[0]).toMatchObject({ field: 'id', code: 'user_disabled' });
  });

  it('[administrator] cannot disable, demote or reset themselves', async () => {
    for (const [action, payload] of [
      ['disable', {}],
      ['role', { role: 'auditor' }],
      ['reset-two-factor', {}],
    ] as const) {
      const res = await act(admin, adminId, action, payload, 'en');
      expect([action, res.statusCode]).toEqual([action, 409]);
      expect(res.json().error).toEqual({
        code: 'STAFF_SELF_ACTION',
        message:
          'You cannot disable your own user, change its role or reset its two-factor authentication: ask another administrator.',
      });
    }
    const it = await act(admin, adminId, 'disable', {}, 'it');
    expect(it.json().error.message).toMatch(/^Non puoi disattivare il tuo utente/);
    expect((await sessionOf(admin)).statusCode).toBe(200);
    const refusals = await t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('subject_id', '=', adminId)
      .where('outcome', '=', 'failure')
      .execute();
    expect(refusals.length).toBe(4);
    expect(JSON.parse(refusals[0]?.details ?? '{}')).toMatchObject({ reason: 'staff_self_action' });
  });

  it('[administrator] the last active administrator can never be disabled, demoted or reset', async () => {
    const b = await signedIn('bianca.admin', 'administrator');
    // Adele disables Bianca: Adele stays.
    expect((await act(admin, b.id, 'disable')).statusCode).toBe(200);
    const bianca = await t.app.db
      .selectFrom('staff_users')
      .selectAll()
      .where('id', '=', b.id)
      .executeTakeFirstOrThrow();
    // Bianca's request, checked before she was disabled, arrives after: Adele is the last one left.
    const origin = { ip: null, userAgent: null };
    await expect(t.app.staff.disable(bianca, adminId, origin)).rejects.toMatchObject({
      code: 'LAST_ADMINISTRATOR',
    });
    await expect(t.app.staff.changeRole(bianca, adminId, 'auditor', origin)).rejects.toMatchObject({
      code: 'LAST_ADMINISTRATOR',
    });
    await expect(t.app.staff.resetTwoFactor(bianca, adminId, origin)).rejects.toMatchObject({
      code: 'LAST_ADMINISTRATOR',
    });
    const adele = await t.app.db
      .selectFrom('staff_users')
      .selectAll()
      .where('id', '=', adminId)
      .executeTakeFirstOrThrow();
    expect(adele).toMatchObject({ role: 'administrator', disabled_at: null });
    expect(adele.enrolled_at).not.toBeNull();
    const refused = (await events('user_disabled', adminId)).filter((e) => e.actor_id === b.id);
    expect(refused).toEqual([expect.objectContaining({ outcome: 'failure' })]);
    expect(JSON.parse(refused[0]?.details ?? '{}')).toMatchObject({ reason: 'last_administrator' });

    // Bianca is enabled again; two administrators disabling each other at the same moment: one stays.
    expect((await act(admin, b.id, 'enable')).json().user.state).toBe('active');
    const biancaCookie = await signIn(b.username, b.secret);
    const answers = await Promise.all([act(admin, b.id, 'disable'), act(biancaCookie, adminId, 'disable')]);
    expect(answers.filter((a) => a.statusCode === 200)).toHaveLength(1);
    const loser = answers.find((a) => a.statusCode !== 200);
    // Refused by the rule, or by the guard when the other's change committed first.
    expect([401, 409]).toContain(loser?.statusCode);
    if (loser?.statusCode === 409) expect(loser.json().error.code).toBe('LAST_ADMINISTRATOR');
    const active = await t.app.db
      .selectFrom('staff_users')
      .select('id')
      .where('role', '=', 'administrator')
      .where('disabled_at', 'is', null)
      .execute();
    expect(active).toHaveLength(1);

    // Whoever won enables the other; Adele signs in again for the tests after this one.
    const winner = active[0]?.id === adminId ? admin : biancaCookie;
    const other = active[0]?.id === adminId ? b.id : adminId;
    expect((await act(winner, other, 'enable')).statusCode).toBe(200);
    expect((await act(winner, 'no-such-user', 'disable')).json().error.code).toBe('NOT_FOUND');
  });

  it('[claims operator, booking desk, auditor, visitor] are refused every staff-user route', async () => {
    const roles: StaffRole[] = ['claims_operator', 'booking_desk', 'auditor'];
    const target = await idOf('nadia.nuova');
    for (const role of roles) {
      const u = await signedIn(`rifiutato.${role.replace('_', '')}`, role);
      const answers = [
        await call('GET', '/api/v1/staff/users', u.cookie),
        await call('POST', '/api/v1/staff/users', u.cookie, {
          username: 'intruso.x',
          email: 'x@example.test',
          role: 'administrator',
        }),
        await act(u.cookie, target, 'disable'),
        await act(u.cookie, target, 'enable'),
        await act(u.cookie, target, 'role', { role: 'administrator' }),
        await act(u.cookie, target, 'reset-two-factor'),
      ];
      expect([role, answers.map((a) => a.statusCode)]).toEqual([role, [403, 403, 403, 403, 403, 403]]);
    }
    expect((await call('GET', '/api/v1/staff/users', '')).statusCode).toBe(401);
    expect(
      await t.app.db.selectFrom('staff_users').select('id').where('username', '=', 'intruso.x').execute(),
    ).toEqual([]);
  });
});
