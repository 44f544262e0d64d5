import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { solveCaptcha } from '../helpers/captcha.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import {
  GOOD_PASSWORD,
  login,
  type MemberTestApp,
  memberTestApp,
  ORIGIN,
  postJson,
  registerAndActivate,
  sessionCookie,
} from '../helpers/member-flow.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('login, first password change and sessions', () => {
  let m: MemberTestApp;
  let planId: string;
  const logLines: string[] = [];
  const clock = new ManualClock('2026-09-01T07:00:00.000Z');
  beforeAll(async () => {
    m = await memberTestApp({ clock, logLines });
    planId = await createPlan(m.t.app, 'ONECARE-PLUS');
  });
  afterAll(() => m.close());

  const get = (url: string, cookie?: string) => m.t.app.inject({ url, headers: cookie ? { cookie } : {} });

  async function activeMember(overrides: Parameters<typeof createRegistryMember>[2] = {}) {
    const person = await createRegistryMember(m.t.app, planId, overrides);
    const creds = await registerAndActivate(m, person);
    const first = await login(m.t, creds.username, creds.temporaryPassword);
    const cookie = sessionCookie(first);
    const changed = await postJson(
      m.t,
      '/api/v1/auth/password',
      { newPassword: GOOD_PASSWORD, newPasswordConfirmation: GOOD_PASSWORD },
      { cookie },
    );
    if (changed.statusCode !== 200) throw new Error(changed.body);
    return { person, ...creds, cookie: sessionCookie(changed) };
  }

  it('[member] first login with the temporary password: only the password change is reachable until it is done', async () => {
    const person = await createRegistryMember(m.t.app, planId, {
      surname: 'Lombardi',
      name: 'Teresa',
      birthDate: '1975-11-30',
      sex: 'F',
    });
    const creds = await registerAndActivate(m, person);
    const res = await login(m.t, creds.username, creds.temporaryPassword);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ mustChangePassword: true, idleTimeoutSeconds: 1800 });
    const cookie = sessionCookie(res);
    // Single use: a second login with the temporary password is refused; this session goes on.
    expect((await login(m.t, creds.username, creds.temporaryPassword)).statusCode).toBe(401);
    const c = res.cookies[0];
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    const me = await get('/api/v1/me', cookie);
    expect(me.statusCode).toBe(403);
    expect(me.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const weak = await postJson(
      m.t,
      '/api/v1/auth/password',
      { newPassword: 'teresa1975lombardi!', newPasswordConfirmation: 'x' },
      { cookie },
    );
    expect(weak.statusCode).toBe(400);
    const codes = weak.json().error.details.map((d: { code: string }) => d.code);
    expect(codes).toContain('contains_name');
    expect(codes).toContain('password_mismatch');
    const short = await postJson(
      m.t,
      '/api/v1/auth/password',
      { newPassword: 'corta', newPasswordConfirmation: 'corta' },
      { cookie, 'accept-language': 'en' },
    );
    expect(short.json().error.details[0]).toEqual({
      field: 'newPassword',
      code: 'too_short',
      params: { min: 15 },
      message: 'Your password must be at least 15 characters long.',
    });

    const changed = await postJson(
      m.t,
      '/api/v1/auth/password',
      { newPassword: GOOD_PASSWORD, newPasswordConfirmation: GOOD_PASSWORD },
      { cookie },
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json().mustChangePassword).toBe(false);
    const rotated = sessionCookie(changed);
    expect(rotated).not.toBe(cookie);
    expect((await get('/api/v1/me', cookie)).statusCode).toBe(401);

    const dashboard = await get('/api/v1/me', rotated);
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.json()).toEqual({
      username: 'teresa.lombardi',
      surname: 'Lombardi',
      name: 'Teresa',
      role: 'titolare',
      plan: { code: 'ONECARE-PLUS', name: 'Piano di prova ONECARE-PLUS' },
      coverage: { start: '2020-01-01', end: null },
    });
    expect((await m.smtp.waitForEmail(creds.email, { subject: /password modificata/ })).text).toContain(
      'è stata appena modificata',
    );

    // The temporary password works once: it is gone now.
    expect((await login(m.t, creds.username, creds.temporaryPassword)).statusCode).toBe(401);
    expect((await login(m.t, creds.username, GOOD_PASSWORD)).statusCode).toBe(200);
  });

  it('[visitor] the password strength check answers codes with params, and the message in the language asked', async () => {
    const check = (language: string) =>
      postJson(m.t, '/api/v1/auth/password-check', { password: 'corta' }, { 'accept-language': language });
    const italian = await check('it');
    expect(italian.statusCode).toBe(200);
    expect(italian.json().problems[0]).toEqual({
      code: 'too_short',
      params: { min: 15 },
      message: 'La password deve contenere almeno 15 caratteri.',
    });
    expect((await check('en')).json().problems[0].message).toBe(
      'Your password must be at least 15 characters long.',
    );
  });

  it('[member] a temporary password expires after 24 hours', async () => {
    const person = await createRegistryMember(m.t.app, planId);
    const creds = await registerAndActivate(m, person);
    clock.advance(24 * HOUR + MIN);
    const res = await login(m.t, creds.username, creds.temporaryPassword);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('[attacker] an unknown username and a wrong password get the very same answer', async () => {
    const { username } = await activeMember();
    const a = await login(m.t, username, 'not the right password at all');
    const b = await login(m.t, 'nobody.here', 'not the right password at all');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(a.body).toBe(b.body);
    expect(a.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('[attacker] after 5 failures the captcha is required and a growing delay applies', async () => {
    const { username } = await activeMember();
    const address = '203.0.113.9';
    const attempt = async (extra: Record<string, unknown> = {}) =>
      m.t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: address,
        headers: { origin: 'http://localhost:3000' },
        payload: { username, password: 'wrong wrong wrong wrong', ...extra },
      });
    for (let i = 0; i < 5; i++) expect((await attempt()).statusCode).toBe(401);
    // 6th try at once: wait 1 s.
    const early = await attempt();
    expect(early.statusCode).toBe(429);
    expect(early.headers['retry-after']).toBe('1');
    clock.advance(1000);
    const noCaptcha = await attempt();
    expect(noCaptcha.statusCode).toBe(400);
    expect(noCaptcha.json().error.code).toBe('CAPTCHA_REQUIRED');
    expect((await attempt({ altcha: await solveCaptcha(m.t.app) })).statusCode).toBe(401);
    // 6 failures: the next try must wait 2 s, then 4 s after the 7th.
    clock.advance(1000);
    expect((await attempt({ altcha: await solveCaptcha(m.t.app) })).statusCode).toBe(429);
    clock.advance(1000);
    expect((await attempt({ altcha: await solveCaptcha(m.t.app) })).statusCode).toBe(401);
    const waitMore = await attempt({ altcha: await solveCaptcha(m.t.app) });
    expect(waitMore.headers['retry-after']).toBe('4');
    // The right password, with the captcha and after the wait, logs in and clears the counters.
    clock.advance(4000);
    const ok = await attempt({ password: GOOD_PASSWORD, altcha: await solveCaptcha(m.t.app) });
    expect(ok.statusCode).toBe(200);
    // The success clears the account's counter only: from another address no captcha is asked,
    // from this one it still is until the address counter fades.
    const elsewhere = await m.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '203.0.113.10',
      payload: { username, password: GOOD_PASSWORD },
    });
    expect(elsewhere.statusCode).toBe(200);
    expect((await attempt({ password: GOOD_PASSWORD })).json().error.code).toBe('CAPTCHA_REQUIRED');
  });

  it('[attacker] the per-address counter slows down guessing across many usernames', async () => {
    const address = '198.51.100.77';
    for (let i = 0; i < 5; i++) {
      const res = await m.t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: address,
        payload: { username: `guess.${i}`, password: 'whatever whatever 1' },
      });
      expect(res.statusCode).toBe(401);
    }
    const sixth = await m.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: address,
      payload: { username: 'guess.99', password: 'whatever whatever 1' },
    });
    expect([400, 429]).toContain(sixth.statusCode);
  });

  it('[attacker] password spraying: logging into an own account now and then does not reset the per-address counter', async () => {
    const own = await activeMember();
    const address = '198.51.100.200';
    const attempt = (username: string, password: string, altcha?: string) =>
      m.t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: address,
        payload: { username, password, ...(altcha ? { altcha } : {}) },
      });
    const guesses: string[] = [];
    for (let i = 0; i < 20; i++) {
      // Every 4 guesses the attacker logs into their own account (solving the captcha if asked).
      if (i % 4 === 0) {
        const ok = await attempt(own.username, GOOD_PASSWORD, await solveCaptcha(m.t.app));
        expect(ok.statusCode).toBe(200);
      }
      clock.advance(2000);
      const res = await attempt(`spray.victim.${i}`, 'Estate2026!Estate2026!');
      guesses.push(res.statusCode === 401 ? 'tried' : res.json().error.code);
      clock.advance(2000);
    }
    // Only 5 guesses are tried without the captcha; the other 15 meet it.
    expect(guesses.filter((g) => g === 'tried')).toHaveLength(5);
    expect(guesses.slice(5)).toEqual(Array(15).fill('CAPTCHA_REQUIRED'));
  });

  it('[member] the per-address counter fades: one failure less for every 15 minutes without failures', async () => {
    const address = '198.51.100.201';
    const attempt = (username: string) =>
      m.t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: address,
        payload: { username, password: 'not the password at all' },
      });
    for (let i = 0; i < 5; i++) expect((await attempt(`fade.${i}`)).statusCode).toBe(401);
    clock.advance(14 * MIN);
    expect((await attempt('fade.x')).json().error.code).toBe('CAPTCHA_REQUIRED');
    clock.advance(MIN);
    // 15 minutes after the last failure the count is 4: one try without the captcha.
    expect((await attempt('fade.5')).statusCode).toBe(401);
    expect((await attempt('fade.6')).statusCode).toBe(429);
    clock.advance(2 * 15 * MIN);
    expect((await attempt('fade.7')).statusCode).toBe(401);
  });

  it("[attacker] with a member's session, wrong current passwords count like failed logins; the 5th ends the session", async () => {
    const { cookie, username } = await activeMember();
    const address = '198.51.100.220';
    const change = (currentPassword: string) =>
      m.t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        remoteAddress: address,
        headers: { ...ORIGIN, cookie },
        payload: {
          currentPassword,
          newPassword: 'attacker chosen password 123',
          newPasswordConfirmation: 'attacker chosen password 123',
        },
      });
    for (let i = 0; i < 4; i++) {
      const wrong = await change(`guess number ${i} of the current one`);
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.details[0].code).toBe('current_password_wrong');
    }
    const fifth = await change('guess number 5 of the current one');
    expect(fifth.statusCode).toBe(401);
    expect(fifth.json().error.code).toBe('UNAUTHENTICATED');
    const cleared = fifth.cookies.find((c) => c.name.endsWith('onecare_session'));
    expect(cleared?.value).toBe('');
    // The session is gone, even with the right current password.
    expect((await get('/api/v1/me', cookie)).statusCode).toBe(401);
    expect((await change(GOOD_PASSWORD)).statusCode).toBe(401);
    // The failures count on the account's login counter: a login needs the captcha (after the delay).
    const next = await m.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '203.0.113.77',
      payload: { username, password: GOOD_PASSWORD },
    });
    expect(next.statusCode).toBe(429);
    const ended = await m.t.app.db
      .selectFrom('audit_events')
      .select(['event', 'details'])
      .where('event', 'in', ['authn_password_change_fail', 'authn_session_terminated'])
      .execute();
    expect(ended.filter((e) => e.event === 'authn_password_change_fail')).toHaveLength(5);
    expect(ended.filter((e) => e.event === 'authn_session_terminated')).toHaveLength(1);
  });

  it('[attacker] 100 consecutive failures lock the password for 15 minutes, not for good; the member is emailed once', async () => {
    const { username, email } = await activeMember();
    await m.t.app.db
      .updateTable('member_accounts')
      .set({ failed_logins: 99 })
      .where('username', '=', username)
      .execute();
    const attempt = (password: string, address: string) =>
      m.t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: address,
        payload: { username, password },
      });
    expect((await attempt('the hundredth wrong one', '192.0.2.1')).statusCode).toBe(401);
    // Locked: even the right password is refused, with the same answer.
    const locked = await attempt(GOOD_PASSWORD, '192.0.2.2');
    expect(locked.statusCode).toBe(401);
    expect(locked.json().error.code).toBe('INVALID_CREDENTIALS');
    clock.advance(14 * MIN);
    expect((await attempt(GOOD_PASSWORD, '192.0.2.3')).statusCode).toBe(401);
    const events = await m.t.app.db
      .selectFrom('audit_events')
      .select('event')
      .where('event', '=', 'authn_login_lock')
      .execute();
    expect(events.length).toBe(1);
    const notices = await m.t.app.db
      .selectFrom('outbox_emails')
      .select(['subject', 'recipient'])
      .where('template', '=', 'login-failures')
      .where('recipient', '=', email)
      .execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]?.subject).toBe('OneCare: tentativi di accesso non riusciti');
    const mail = await m.smtp.waitForEmail(email, { subject: /tentativi di accesso/ });
    expect(mail.text).toContain('15 minuti');
    // The lock ends by itself.
    clock.advance(MIN + 1000);
    expect((await attempt(GOOD_PASSWORD, '192.0.2.4')).statusCode).toBe(200);
  });

  it('[attacker] a member is emailed at the 5th consecutive failure, not at every one', async () => {
    const { username, email } = await activeMember();
    for (let i = 0; i < 7; i++) {
      clock.advance(61_000);
      const res = await m.t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: `192.0.2.${20 + i}`,
        payload: { username, password: `wrong guess ${i} for this one`, altcha: await solveCaptcha(m.t.app) },
      });
      expect(res.statusCode).toBe(401);
    }
    const notices = await m.t.app.db
      .selectFrom('outbox_emails')
      .select('subject')
      .where('template', '=', 'login-failures')
      .where('recipient', '=', email)
      .execute();
    expect(notices).toHaveLength(1);
    expect(notices[0]?.subject).not.toContain(username);
  });

  it('[member] a session ends after 30 idle minutes; reading its expiry does not extend it; "stay signed in" does', async () => {
    const { cookie } = await activeMember();
    const info = await get('/api/v1/auth/session', cookie);
    expect(info.statusCode).toBe(200);
    const idle = new Date(info.json().idleExpiresAt).getTime();
    expect(idle - clock.now().getTime()).toBe(30 * MIN);
    clock.advance(20 * MIN);
    expect(new Date((await get('/api/v1/auth/session', cookie)).json().idleExpiresAt).getTime()).toBe(idle);
    const extended = await postJson(m.t, '/api/v1/auth/session/extend', {}, { cookie });
    expect(new Date(extended.json().idleExpiresAt).getTime()).toBe(clock.now().getTime() + 30 * MIN);
    clock.advance(29 * MIN);
    expect((await get('/api/v1/me', cookie)).statusCode).toBe(200);
    clock.advance(31 * MIN);
    const expired = await get('/api/v1/me', cookie);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('[member] a session ends after 8 hours however active', async () => {
    const { cookie } = await activeMember();
    for (let i = 0; i < 16; i++) {
      clock.advance(29 * MIN);
      expect((await get('/api/v1/me', cookie)).statusCode).toBe(200);
    }
    clock.advance(29 * MIN);
    expect((await get('/api/v1/me', cookie)).statusCode).toBe(401);
  });

  it('[attacker] a password change does not restart the 8-hour absolute limit of the session', async () => {
    const { cookie } = await activeMember();
    const started = await get('/api/v1/auth/session', cookie);
    const absolute = started.json().absoluteExpiresAt;
    expect(new Date(absolute).getTime() - clock.now().getTime()).toBe(8 * HOUR);
    // 7 h 45 min of activity, then the password change rotates the session.
    for (let i = 0; i < 16; i++) {
      clock.advance(29 * MIN);
      expect((await get('/api/v1/me', cookie)).statusCode).toBe(200);
    }
    clock.advance(MIN);
    const other = 'un altro pomeriggio lungo e sereno 2026';
    const changed = await postJson(
      m.t,
      '/api/v1/auth/password',
      { currentPassword: GOOD_PASSWORD, newPassword: other, newPasswordConfirmation: other },
      { cookie },
    );
    expect(changed.statusCode).toBe(200);
    expect(changed.json().absoluteExpiresAt).toBe(absolute);
    const rotated = sessionCookie(changed);
    clock.advance(14 * MIN);
    expect((await get('/api/v1/me', rotated)).statusCode).toBe(200);
    clock.advance(2 * MIN);
    expect((await get('/api/v1/me', rotated)).statusCode).toBe(401);
  });

  it('[member] logout ends the session; a new login gets a new session token', async () => {
    const { cookie, username } = await activeMember();
    const again = await login(m.t, username, GOOD_PASSWORD);
    expect(sessionCookie(again)).not.toBe(cookie);
    expect((await postJson(m.t, '/api/v1/auth/logout', {}, { cookie })).statusCode).toBe(204);
    expect((await get('/api/v1/me', cookie)).statusCode).toBe(401);
    expect((await get('/api/v1/me', sessionCookie(again))).statusCode).toBe(200);
  });

  it('[attacker] a cross-site POST is refused even with a valid session cookie', async () => {
    const { cookie } = await activeMember();
    const res = await m.t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: {
        newPassword: 'attacker chosen password 123',
        newPasswordConfirmation: 'attacker chosen password 123',
      },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_REJECTED');
  });

  it('[operator] the logs carry no personal data', () => {
    const all = logLines.join('\n');
    expect(all).not.toMatch(/@example\.test/);
    expect(all).not.toMatch(/Lombardi|Teresa/);
    expect(all).not.toMatch(/[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]/);
    expect(all).not.toContain('203.0.113.9');
    expect(all).toContain('request completed');
  });
});

describe('cookies over HTTPS', () => {
  let m: MemberTestApp;
  beforeAll(async () => {
    m = await memberTestApp({ env: { PUBLIC_URL: 'https://onecare.example' } });
  });
  afterAll(() => m.close());

  it('[member] the session cookie is __Host- prefixed and Secure', async () => {
    const planId = await createPlan(m.t.app);
    const person = await createRegistryMember(m.t.app, planId);
    const headers = { origin: 'https://onecare.example' };
    const creds = await registerAndActivate(m, person, headers);
    const res = await postJson(
      m.t,
      '/api/v1/auth/login',
      { username: creds.username, password: creds.temporaryPassword },
      headers,
    );
    expect(res.statusCode).toBe(200);
    expect(res.cookies[0]).toMatchObject({
      name: '__Host-onecare_session',
      secure: true,
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });
    expect(res.cookies[0]?.domain).toBeUndefined();
  });
});
