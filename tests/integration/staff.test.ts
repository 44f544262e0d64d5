import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTS } from '#contracts/reports.codes.js';
import { ManualClock } from '../../server/lib/clock.js';
import { STAFF_ROLES, type StaffRole } from '../../server/modules/staff/staff.table.js';
import { isMemberAccess } from '../../server/plugins/route-access.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { solveCaptcha } from '../helpers/captcha.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import {
  GOOD_PASSWORD,
  login,
  ORIGIN,
  postJson,
  registerAndActivate,
  sessionCookie,
} from '../helpers/member-flow.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';
import {
  enrolledStaff,
  STAFF_PASSWORD,
  staffCookie,
  staffLogin,
  tokenOf,
  totpCode,
} from '../helpers/staff.js';

const MIN = 60_000;

describe('back-office staff: enrolment and two-factor login', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  const clock = new ManualClock('2026-11-02T08:00:00.000Z');
  beforeAll(async () => {
    smtp = await startSmtpServer();
    // The route-by-route walk calls every route as every role from one address, past the global
    // 600 a minute (tests/integration/http.test.ts tests that limit).
    t = await buildTestApp({
      clock,
      startWorker: true,
      env: { MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, RATE_LIMIT_PER_MINUTE: '100000' },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const start = (token: string) => postJson(t, '/api/v1/staff/enrolment/start', { token });
  const complete = (payload: Record<string, string>) =>
    postJson(t, '/api/v1/staff/enrolment/complete', payload);

  it('[administrator] enrols with the one-time link: QR code and key, first code, password, 10 recovery codes shown once', async () => {
    const { link } = await t.app.staff.create({
      username: 'anna.admin',
      role: 'administrator',
      email: 'anna@example.test',
    });
    expect(link).toMatch(/^http:\/\/localhost:3000\/backoffice\/attivazione\?token=[a-z0-9]{12}\./);
    const token = tokenOf(link);
    const first = await start(token);
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body).toMatchObject({ username: 'anna.admin', role: 'administrator' });
    expect(body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.otpauthUri).toContain('otpauth://totp/OneCare:anna.admin?');
    expect(body.qrCodeSvg).toMatch(/^<svg/);
    // Reloading the page shows the same key until enrolment completes.
    expect((await start(token)).json().secret).toBe(body.secret);

    const wrong = await complete({
      token,
      password: STAFF_PASSWORD,
      passwordConfirmation: STAFF_PASSWORD,
      code: '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details).toEqual([
      expect.objectContaining({ field: 'code', code: 'totp_invalid' }),
    ]);
    const weak = await complete({
      token,
      password: 'anna.admin2026',
      passwordConfirmation: 'x',
      code: totpCode(body.secret, clock.now()),
    });
    expect(weak.json().error.details.map((d: { field: string }) => d.field)).toEqual([
      'password',
      'password',
      'passwordConfirmation',
    ]);

    const ok = await complete({
      token,
      password: STAFF_PASSWORD,
      passwordConfirmation: STAFF_PASSWORD,
      code: totpCode(body.secret, clock.now()),
    });
    expect(ok.statusCode).toBe(200);
    const codes: string[] = ok.json().recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$/);

    // Stored only as hashes; the TOTP key is sealed.
    const rows = await t.app.db.selectFrom('staff_recovery_codes').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(codes[0]?.replace('-', ''));
    const user = await t.app.db
      .selectFrom('staff_users')
      .selectAll()
      .where('username', '=', 'anna.admin')
      .executeTakeFirstOrThrow();
    expect(user.totp_secret_sealed).not.toContain(body.secret);
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    // The link is used up.
    expect((await start(token)).json().error.code).toBe('LINK_INVALID');
  });

  it('[staff] logs in only with username, password and a current code; a code works once', async () => {
    const { username, secret } = await enrolledStaff(t.app, clock, 'oscar.operatore', 'claims_operator');
    clock.advance(60_000);
    const here = '192.0.2.50';
    expect((await staffLogin(t.app, username, '123456', undefined, here)).json().error.code).toBe(
      'INVALID_CREDENTIALS',
    );
    expect(
      (await staffLogin(t.app, username, totpCode(secret, clock.now()), 'wrong password here', here))
        .statusCode,
    ).toBe(401);
    const code = totpCode(secret, clock.now());
    const ok = await staffLogin(t.app, username, code);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      username,
      role: 'claims_operator',
      idleTimeoutSeconds: 1800,
      recoveryCodesLeft: 10,
    });
    expect(ok.cookies[0]).toMatchObject({
      name: 'onecare_staff',
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
    });
    // The same code again (a replay, even from another device) is refused.
    expect((await staffLogin(t.app, username, code, undefined, here)).statusCode).toBe(401);
    // A code from the previous 30-second step still counts once for clock drift... but not an older step than used.
    clock.advance(30_000);
    expect((await staffLogin(t.app, username, totpCode(secret, clock.now()))).statusCode).toBe(200);
  });

  it('[staff] a recovery code replaces the authenticator for one login', async () => {
    const { username, recoveryCodes } = await enrolledStaff(t.app, clock, 'rita.revisore', 'auditor');
    const code = recoveryCodes[3] ?? '';
    const ok = await staffLogin(t.app, username, code.toLowerCase());
    expect(ok.statusCode).toBe(200);
    expect(ok.json().recoveryCodesLeft).toBe(9);
    expect((await staffLogin(t.app, username, code, undefined, '192.0.2.51')).statusCode).toBe(401);
  });

  it('[staff] an unknown user and a wrong second factor get the same answer', async () => {
    const a = await staffLogin(t.app, 'nobody.here', '123456', undefined, '192.0.2.52');
    const { username } = await enrolledStaff(t.app, clock, 'bruno.booking', 'booking_desk');
    const b = await staffLogin(t.app, username, '000000', undefined, '192.0.2.52');
    expect(a.statusCode).toBe(401);
    expect(a.body).toBe(b.body);
  });

  it('[attacker] password spraying on the back office: logging into an own account does not reset the per-address counter', async () => {
    const own = await enrolledStaff(t.app, clock, 'spruzzo.proprio', 'auditor');
    const address = '198.51.100.210';
    const attempt = (username: string, code: string, altcha?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/staff/auth/login',
        remoteAddress: address,
        headers: ORIGIN,
        payload: {
          username,
          password: username === own.username ? STAFF_PASSWORD : 'Autunno2026!Autunno2026!',
          code,
          ...(altcha ? { altcha } : {}),
        },
      });
    const guesses: string[] = [];
    for (let i = 0; i < 20; i++) {
      if (i % 4 === 0) {
        const code = own.recoveryCodes[i / 4] ?? '';
        expect((await attempt(own.username, code, await solveCaptcha(t.app))).statusCode).toBe(200);
      }
      clock.advance(2000);
      const res = await attempt(`victim.${i}`, '123456');
      guesses.push(res.statusCode === 401 ? 'tried' : res.json().error.code);
      clock.advance(2000);
    }
    expect(guesses.filter((g) => g === 'tried')).toHaveLength(5);
    expect(guesses.slice(5)).toEqual(Array(15).fill('CAPTCHA_REQUIRED'));
  });

  it('[attacker] 20 wrong passwords lock a staff user for 15 minutes only; live sessions go on; one email per burst', async () => {
    const { username, secret } = await enrolledStaff(t.app, clock, 'lia.lucchetto', 'administrator');
    clock.advance(30_000);
    const cookie = staffCookie(await staffLogin(t.app, username, totpCode(secret, clock.now())));
    const attempt = async (password: string, address: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/staff/auth/login',
        remoteAddress: address,
        headers: ORIGIN,
        payload: {
          username,
          password,
          code: totpCode(secret, clock.now()),
          altcha: await solveCaptcha(t.app),
        },
      });
    for (let i = 0; i < 20; i++) {
      clock.advance(61_000);
      expect((await attempt(`wrong guess number ${i}`, `192.0.2.${100 + i}`)).statusCode).toBe(401);
    }
    clock.advance(61_000);
    // Locked: the right password and code are refused for now...
    expect((await attempt(STAFF_PASSWORD, '192.0.2.200')).statusCode).toBe(401);
    // ...but the session already open goes on.
    expect((await t.app.inject({ url: '/api/v1/staff/auth/session', headers: { cookie } })).statusCode).toBe(
      200,
    );
    const notices = await t.app.db
      .selectFrom('outbox_emails')
      .select(['subject', 'text_body'])
      .where('template', '=', 'staff-login-failures')
      .where('recipient', '=', `${username}@example.test`)
      .orderBy('created_at')
      .execute();
    // One at the 5th failure, one when the lock began: not one per failure.
    expect(notices).toHaveLength(2);
    for (const n of notices)
      expect(n.subject).toBe('OneCare: tentativi di accesso al back office non riusciti');
    const mail = await smtp.waitForEmail(`${username}@example.test`, { subject: /tentativi di accesso/ });
    expect(mail.subject).not.toContain(username);
    clock.advance(15 * MIN);
    expect((await attempt(STAFF_PASSWORD, '192.0.2.201')).statusCode).toBe(200);
  });

  it('[staff] the staff session ends after 30 idle minutes and after 12 hours', async () => {
    const { username, secret } = await enrolledStaff(t.app, clock, 'ida.idle', 'auditor');
    clock.advance(30_000);
    const cookie = staffCookie(await staffLogin(t.app, username, totpCode(secret, clock.now())));
    const session = () => t.app.inject({ url: '/api/v1/staff/auth/session', headers: { cookie } });
    expect((await session()).statusCode).toBe(200);
    clock.advance(31 * MIN);
    expect((await session()).statusCode).toBe(401);

    clock.advance(MIN);
    const cookie2 = staffCookie(await staffLogin(t.app, username, totpCode(secret, clock.now())));
    const events = () => t.app.inject({ url: '/api/v1/staff/audit-events', headers: { cookie: cookie2 } });
    for (let i = 0; i < 24; i++) {
      clock.advance(29 * MIN);
      expect((await events()).statusCode).toBe(200);
    }
    clock.advance(29 * MIN);
    expect((await events()).statusCode).toBe(401);
  });

  it('[staff] logout ends the staff session', async () => {
    const { username, secret } = await enrolledStaff(t.app, clock, 'luca.logout', 'auditor');
    clock.advance(30_000);
    const cookie = staffCookie(await staffLogin(t.app, username, totpCode(secret, clock.now())));
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/staff/auth/logout',
          headers: { ...ORIGIN, cookie },
        })
      ).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/staff/auth/session', headers: { cookie } })).statusCode).toBe(
      401,
    );
  });

  describe('route by route', () => {
    const cookies = new Map<StaffRole, string>();
    let memberCookie = '';

    beforeAll(async () => {
      for (const role of STAFF_ROLES) {
        const { username, secret } = await enrolledStaff(t.app, clock, `rr.${role.replace('_', '')}`, role);
        clock.advance(30_000);
        cookies.set(role, staffCookie(await staffLogin(t.app, username, totpCode(secret, clock.now()))));
      }
      const planId = await createPlan(t.app);
      const person = await createRegistryMember(t.app, planId);
      const creds = await registerAndActivate({ t, smtp, close: async () => {} }, person);
      const first = await login(t, creds.username, creds.temporaryPassword);
      const changed = await postJson(
        t,
        '/api/v1/auth/password',
        { newPassword: GOOD_PASSWORD, newPasswordConfirmation: GOOD_PASSWORD },
        { cookie: sessionCookie(first) },
      );
      memberCookie = sessionCookie(changed);
    });

    const call = (method: string, url: string, cookie?: string) =>
      t.app.inject({
        method: method as 'GET',
        url: url.replace(/:(\w+)/g, 'x'),
        headers: { ...ORIGIN, ...(cookie ? { cookie } : {}) },
        ...(method === 'GET' || method === 'HEAD' ? {} : { payload: {} }),
      });

    it('[anyone] every API route declares who may call it', () => {
      const undeclared = t.app.routeCatalog
        .filter((r) => r.url.startsWith('/api/v1/') && r.method !== 'HEAD' && r.access === undefined)
        .map((r) => `${r.method} ${r.url}`);
      expect(undeclared).toEqual([]);
    });

    it('[member, visitor, wrong role] every staff route refuses them; the right roles get through', async () => {
      const staffRoutes = t.app.routeCatalog.filter(
        (r) => r.method !== 'HEAD' && typeof r.access === 'object' && 'staff' in r.access,
      );
      expect(staffRoutes.length).toBeGreaterThanOrEqual(4);
      for (const r of staffRoutes) {
        const label = `${r.method} ${r.url}`;
        expect([label, (await call(r.method, r.url)).statusCode]).toEqual([label, 401]);
        expect([label, (await call(r.method, r.url, memberCookie)).statusCode]).toEqual([label, 401]);
        // Logging out would end the sessions this walk goes on with; its own test covers it.
        if (r.url === '/api/v1/staff/auth/logout') continue;
        const access = r.access as { staff: readonly StaffRole[] | 'any' };
        for (const role of STAFF_ROLES) {
          const allowed = access.staff === 'any' || access.staff.includes(role);
          const status = (await call(r.method, r.url, cookies.get(role))).statusCode;
          // Allowed: past the guard (neither 401 nor 403) and handled (the empty input may be refused,
          // an unknown id may be 404, but nothing answers 5xx).
          if (allowed)
            expect([label, role, status !== 401 && status !== 403 && status < 500]).toEqual([
              label,
              role,
              true,
            ]);
          else expect([label, role, status]).toEqual([label, role, 403]);
        }
      }
    });

    it('[administrator, auditor] the reports are theirs alone (walked above); the live caps are a member route', () => {
      const declared = (url: string) =>
        t.app.routeCatalog.find((r) => r.method === 'GET' && r.url === url)?.access;
      for (const report of REPORTS) {
        for (const suffix of ['', '.csv']) {
          expect(declared(`/api/v1/staff/reports/${report}${suffix}`)).toEqual({
            staff: ['administrator', 'auditor'],
          });
        }
      }
      expect(declared('/api/v1/claims/caps')).toBe('member');
    });

    it('[administrator, auditor] payments: administrators make and move batches, auditors read them, letters for the claims desk too', () => {
      const declared = (url: string, method = 'GET') =>
        t.app.routeCatalog.find((r) => r.url === url && r.method === method)?.access;
      const batches = '/api/v1/staff/payments/batches';
      const read = { staff: ['administrator', 'auditor'] };
      const write = { staff: ['administrator'] };
      expect([
        declared(batches),
        declared('/api/v1/staff/payments/payable'),
        declared(`${batches}/:id`),
        declared(`${batches}/:id/file`),
        declared(batches, 'POST'),
        declared(`${batches}/:id/cancel`, 'POST'),
        declared(`${batches}/:id/sent`, 'POST'),
        declared(`${batches}/:id/paid`, 'POST'),
        declared('/api/v1/staff/payments/letters/:id'),
        declared('/api/v1/claims/:id/letter'),
      ]).toEqual([
        read,
        read,
        read,
        read,
        write,
        write,
        write,
        write,
        { staff: ['administrator', 'auditor', 'claims_operator'] },
        'member',
      ]);
    });

    it('[staff] every member route refuses a staff session', async () => {
      const memberRoutes = t.app.routeCatalog.filter((r) => isMemberAccess(r.access) && r.method !== 'HEAD');
      expect(memberRoutes.length).toBeGreaterThanOrEqual(5);
      for (const r of memberRoutes) {
        for (const role of STAFF_ROLES) {
          const res = await call(r.method, r.url, cookies.get(role));
          expect([`${r.method} ${r.url}`, role, res.statusCode]).toEqual([`${r.method} ${r.url}`, role, 401]);
        }
        if (r.url !== '/api/v1/auth/logout') {
          const status = (await call(r.method, r.url, memberCookie)).statusCode;
          expect([r.url, status !== 401 && status !== 403 && status < 500]).toEqual([r.url, true]);
        }
      }
    });

    it('[auditor] reads the audit trail, filtered', async () => {
      const res = await t.app.inject({
        url: '/api/v1/staff/audit-events?event=authn_login_success&limit=5',
        headers: { cookie: cookies.get('auditor') ?? '' },
      });
      expect(res.statusCode).toBe(200);
      const events = res.json().events;
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e: { event: string }) => e.event === 'authn_login_success')).toBe(true);
    });
  });
});
