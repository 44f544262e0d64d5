import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { RECOVERY_ANSWER_MS } from '../../server/modules/auth/auth.service.js';
import { solveCaptcha } from '../helpers/captcha.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import {
  GOOD_PASSWORD,
  lineValue,
  login,
  type MemberTestApp,
  memberTestApp,
  postJson,
  registerAndActivate,
  sessionCookie,
} from '../helpers/member-flow.js';
import type { ReceivedEmail } from '../helpers/smtp.js';

const MIN = 60_000;
const NEW_PASSWORD = 'il mare di ottobre è ancora caldo';

function resetToken(mail: ReceivedEmail): string {
  expect(mail.text).toContain(
    'La preghiamo di cliccare sul seguente link per completare la procedura di recupero della password.',
  );
  return new URL(lineValue(mail, 'Reimposta la password')).searchParams.get('token') ?? '';
}

describe('password and username recovery', () => {
  let m: MemberTestApp;
  let planId: string;
  const clock = new ManualClock('2026-10-05T10:00:00.000Z');
  beforeAll(async () => {
    m = await memberTestApp({ clock });
    planId = await createPlan(m.t.app);
  });
  afterAll(() => m.close());

  async function activeMember() {
    const person = await createRegistryMember(m.t.app, planId);
    const creds = await registerAndActivate(m, person);
    const first = await login(m.t, creds.username, creds.temporaryPassword);
    const changed = await postJson(
      m.t,
      '/api/v1/auth/password',
      { newPassword: GOOD_PASSWORD, newPasswordConfirmation: GOOD_PASSWORD },
      { cookie: sessionCookie(first) },
    );
    await m.smtp.waitForEmail(creds.email, { subject: /password modificata/ });
    return { person, ...creds, cookie: sessionCookie(changed) };
  }
  const outboxRecipients = async (addresses: string[]) =>
    (
      await m.t.app.db
        .selectFrom('outbox_emails')
        .select('recipient')
        .where('recipient', 'in', addresses)
        .execute()
    ).map((r) => r.recipient);
  const recover = async (email: string, username: string, headers: Record<string, string> = {}) =>
    postJson(
      m.t,
      '/api/v1/auth/password-recovery',
      { email, username, altcha: await solveCaptcha(m.t.app) },
      headers,
    );

  it('[visitor] the answer is the same whether or not the account exists; only a real pair gets a link', async () => {
    const { username, email } = await activeMember();
    const answers = [
      await recover(email, username),
      await recover('someone.else@example.test', username),
      await recover(email, 'no.such.user'),
      await recover('nobody@example.test', 'nobody'),
    ];
    for (const a of answers) {
      expect(a.statusCode).toBe(202);
      expect(a.body).toBe('{"status":"received"}');
    }
    const mail = await m.smtp.waitForEmail(email, { subject: /recupero password/ });
    expect(mail.subject).toBe('OneCare: recupero password');
    expect(resetToken(mail)).toMatch(/^[a-z0-9]{12}\.[A-Za-z0-9_-]{43}$/);
    // Every email is written to the outbox in the request's transaction: none was for the others.
    expect(await outboxRecipients(['someone.else@example.test', 'nobody@example.test'])).toEqual([]);
  });

  it('[visitor] recovery needs the captcha', async () => {
    const res = await postJson(m.t, '/api/v1/auth/password-recovery', {
      email: 'a@example.test',
      username: 'a',
      altcha: 'bm9wZQ==',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ field: 'altcha', code: 'captcha_invalid' });
  });

  it('[member] the link is single use, sets the new password, ends every session and sends a notice', async () => {
    const { username, email, cookie } = await activeMember();
    const other = sessionCookie(await login(m.t, username, GOOD_PASSWORD));
    await recover(email, username);
    const token = resetToken(await m.smtp.waitForEmail(email, { subject: /recupero password/ }));
    expect((await postJson(m.t, '/api/v1/auth/password-reset/check', { token })).json()).toEqual({
      valid: true,
    });

    const weak = await postJson(m.t, '/api/v1/auth/password-reset', {
      token,
      newPassword: 'password',
      newPasswordConfirmation: 'password',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details.map((d: { code: string }) => d.code)).toContain('too_short');

    const ok = await postJson(m.t, '/api/v1/auth/password-reset', {
      token,
      newPassword: NEW_PASSWORD,
      newPasswordConfirmation: NEW_PASSWORD,
    });
    expect(ok.statusCode).toBe(200);
    for (const c of [cookie, other])
      expect((await m.t.app.inject({ url: '/api/v1/me', headers: { cookie: c } })).statusCode).toBe(401);
    const notice = await m.smtp.waitForEmail(email, { subject: /password modificata/ });
    expect(notice.text).toContain('tutte le altre sessioni aperte sono state chiuse');

    const again = await postJson(m.t, '/api/v1/auth/password-reset', {
      token,
      newPassword: `${NEW_PASSWORD}!`,
      newPasswordConfirmation: `${NEW_PASSWORD}!`,
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('LINK_INVALID');
    expect((await login(m.t, username, GOOD_PASSWORD)).statusCode).toBe(401);
    expect((await login(m.t, username, NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('[member] the link expires after 60 minutes, and asking again kills the older link', async () => {
    const { username, email } = await activeMember();
    await recover(email, username);
    const first = resetToken(await m.smtp.waitForEmail(email, { subject: /recupero password/ }));
    await recover(email, username);
    const second = resetToken(await m.smtp.waitForEmail(email, { subject: /recupero password/ }));
    expect(
      (await postJson(m.t, '/api/v1/auth/password-reset/check', { token: first })).json().error.code,
    ).toBe('LINK_INVALID');
    clock.advance(59 * MIN);
    expect((await postJson(m.t, '/api/v1/auth/password-reset/check', { token: second })).statusCode).toBe(
      200,
    );
    clock.advance(2 * MIN);
    expect(
      (await postJson(m.t, '/api/v1/auth/password-reset/check', { token: second })).json().error.code,
    ).toBe('LINK_INVALID');
  });

  it('[attacker] a guessed link is refused, and 5 wrong secrets kill the real one', async () => {
    const { username, email } = await activeMember();
    await recover(email, username);
    const token = resetToken(await m.smtp.waitForEmail(email, { subject: /recupero password/ }));
    const [lookup] = token.split('.');
    for (let i = 0; i < 5; i++) {
      const res = await postJson(m.t, '/api/v1/auth/password-reset/check', {
        token: `${lookup}.${'A'.repeat(42)}${i}`,
      });
      expect(res.json().error.code).toBe('LINK_INVALID');
    }
    expect((await postJson(m.t, '/api/v1/auth/password-reset/check', { token })).json().error.code).toBe(
      'LINK_INVALID',
    );
  });

  it('[member] username recovery sends the username to the address on file; the answer is always the same', async () => {
    const { username, email, person } = await activeMember();
    const ask = async (e: string, cf: string) =>
      postJson(m.t, '/api/v1/auth/username-recovery', {
        email: e,
        codiceFiscale: cf,
        altcha: await solveCaptcha(m.t.app),
      });
    const answers = [
      await ask(email, person.codiceFiscale.toLowerCase()),
      await ask('wrong@example.test', person.codiceFiscale),
      await ask(email, 'RSSMRA85T10A562S'),
    ];
    for (const a of answers) {
      expect(a.statusCode).toBe(202);
      expect(a.body).toBe('{"status":"received"}');
    }
    const mail = await m.smtp.waitForEmail(email, { subject: /username/ });
    expect(mail.subject).toBe('OneCare: recupero username');
    expect(lineValue(mail, 'Username')).toBe(username);
    expect(await outboxRecipients(['wrong@example.test'])).toEqual([]);
  });

  it('[attacker] recovery answers after the same fixed time whether or not the data belong together', async () => {
    const { username, email, person } = await activeMember();
    const timed = async (url: string, payload: Record<string, string>) => {
      const altcha = await solveCaptcha(m.t.app);
      const start = performance.now();
      const res = await postJson(m.t, url, { ...payload, altcha });
      expect(res.statusCode).toBe(202);
      return performance.now() - start;
    };
    const answers = [
      await timed('/api/v1/auth/password-recovery', { username, email }),
      await timed('/api/v1/auth/password-recovery', { username, email: 'someone.else@example.test' }),
      await timed('/api/v1/auth/password-recovery', { username: 'nobody.here', email }),
      await timed('/api/v1/auth/username-recovery', { email, codiceFiscale: person.codiceFiscale }),
      await timed('/api/v1/auth/username-recovery', {
        email: 'someone.else@example.test',
        codiceFiscale: person.codiceFiscale,
      }),
    ];
    // Every path waits for the same floor, far above the cost of writing the link and its email.
    for (const ms of answers) expect(ms).toBeGreaterThanOrEqual(RECOVERY_ANSWER_MS - 1);
  });

  it('[auditor] authentication events are recorded with time, actor, address and outcome, never a secret', async () => {
    const events = await m.t.app.db.selectFrom('audit_events').selectAll().execute();
    const names = new Set(events.map((e) => e.event));
    for (const n of [
      'authn_login_success',
      'authn_password_change',
      'authn_password_reset_request',
      'authn_username_reminder',
    ]) {
      expect(names).toContain(n);
    }
    const success = events.find((e) => e.event === 'authn_login_success');
    expect(success).toMatchObject({ outcome: 'success', actor_type: 'member' });
    expect(success?.ip).toBeTruthy();
    expect(JSON.stringify(events)).not.toContain(GOOD_PASSWORD);
    expect(JSON.stringify(events)).not.toContain(NEW_PASSWORD);
  });
});
