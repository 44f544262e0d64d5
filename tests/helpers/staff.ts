import { Secret, TOTP } from 'otpauth';
import type { App } from '../../server/app.js';
import type { Clock } from '../../server/lib/clock.js';
import { newId } from '../../server/lib/ids.js';
import type { StaffRole } from '../../server/modules/staff/staff.table.js';
import { ORIGIN } from './member-flow.js';

export const STAFF_PASSWORD = 'la scrivania vicino alla finestra';

/** The 6-digit code an authenticator app would show for this key at this time. */
export function totpCode(secret: string, at: Date, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  return totp.generate({ timestamp: at.getTime() + offsetSteps * 30_000 });
}

export function tokenOf(link: string): string {
  return new URL(link).searchParams.get('token') ?? '';
}

/** The enrolment link in an email's text. */
export function enrolmentLinkIn(text: string): string {
  const m = /(https?:\/\/\S+\/backoffice\/attivazione\?token=\S+)/.exec(text);
  if (!m?.[1]) throw new Error('no enrolment link in the email');
  return m[1];
}

/** Creates and enrols a staff user as a person would; returns the key and the recovery codes. */
export async function enrolledStaff(app: App, clock: Clock, username: string, role: StaffRole) {
  const { link } = await app.staff.create({ username, role, email: `${username}@example.test` });
  return { username, ...(await enrolWithToken(app, clock, tokenOf(link))) };
}

/** Opens an enrolment link's token, sets the password and proves the key with a first code. */
export async function enrolWithToken(app: App, clock: Clock, token: string) {
  const start = await app.inject({
    method: 'POST',
    url: '/api/v1/staff/enrolment/start',
    headers: ORIGIN,
    payload: { token },
  });
  if (start.statusCode !== 200) throw new Error(start.body);
  const { secret } = start.json() as { secret: string };
  const done = await app.inject({
    method: 'POST',
    url: '/api/v1/staff/enrolment/complete',
    headers: ORIGIN,
    payload: {
      token,
      password: STAFF_PASSWORD,
      passwordConfirmation: STAFF_PASSWORD,
      code: totpCode(secret, clock.now()),
    },
  });
  if (done.statusCode !== 200) throw new Error(done.body);
  return { secret, recoveryCodes: (done.json() as { recoveryCodes: string[] }).recoveryCodes };
}

/** A staff login; `address` is the client's (tests that fail on purpose use their own). */
export async function staffLogin(
  app: App,
  username: string,
  code: string,
  password = STAFF_PASSWORD,
  address = '127.0.0.1',
) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/staff/auth/login',
    remoteAddress: address,
    headers: ORIGIN,
    payload: { username, password, code },
  });
}

export function staffCookie(res: { cookies: { name: string; value: string }[] }): string {
  const c = res.cookies.find((x) => x.name.endsWith('onecare_staff'));
  if (!c) throw new Error('no staff cookie');
  return `${c.name}=${c.value}`;
}

/**
 * A staff user with a live back-office session, made directly in the database (the sign-in with
 * password and authenticator code is tested on its own in staff.test.ts). Answers the id, the
 * username as given and the session cookie.
 */
export async function staffWithSession(app: App, username: string, role: StaffRole) {
  const id = newId();
  const at = app.clock.now().toISOString();
  await app.db
    .insertInto('staff_users')
    .values({
      id,
      username,
      email: `${username}@example.test`,
      role,
      password_hash: null,
      totp_secret_sealed: null,
      totp_last_step: null,
      enrolled_at: at,
      failed_logins: 0,
      locked_at: null,
      disabled_at: null,
      created_at: at,
      last_login_at: at,
      locale: 'it',
    })
    .execute();
  const { token } = await app.sessions.create('staff', id);
  return { id, username, cookie: `onecare_staff=${token}` };
}
