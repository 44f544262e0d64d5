import type { LightMyRequestResponse } from 'fastify';
import type { Clock } from '../../server/lib/clock.js';
import { buildTestApp, type TestApp } from './build-app.js';
import { solveCaptcha } from './captcha.js';
import type { TestPerson } from './factories.js';
import { type ReceivedEmail, startSmtpServer, type TestSmtp } from './smtp.js';

export interface MemberTestApp {
  t: TestApp;
  smtp: TestSmtp;
  close(): Promise<void>;
}

/** An app that really sends its email over SMTP to a server in the test process. */
export async function memberTestApp(
  options: { clock?: Clock; env?: Record<string, string>; logLines?: string[] } = {},
) {
  const smtp = await startSmtpServer();
  const t = await buildTestApp({
    startWorker: true,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.logLines ? { logLines: options.logLines } : {}),
    env: { MAIL_TRANSPORT: 'smtp', SMTP_URL: smtp.url, ...options.env },
  });
  return {
    t,
    smtp,
    async close() {
      await t.close();
      await smtp.stop();
    },
  } satisfies MemberTestApp;
}

export const ORIGIN = { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' };

export function lineValue(mail: ReceivedEmail, label: string): string {
  const m = new RegExp(`^${label}: (\\S+)$`, 'm').exec(mail.text);
  if (!m?.[1]) throw new Error(`no "${label}:" line in the email "${mail.subject}"`);
  return m[1];
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name.endsWith('onecare_session'));
  if (!c) throw new Error('no session cookie set');
  return `${c.name}=${c.value}`;
}

export async function postJson(
  t: TestApp,
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: { ...ORIGIN, ...headers },
  });
}

export async function registrationBody(
  t: TestApp,
  person: TestPerson,
  overrides: Record<string, string> = {},
) {
  const email = overrides.email ?? person.email ?? 'someone@example.test';
  return {
    surname: person.surname,
    name: person.name,
    email,
    emailConfirmation: email,
    codiceFiscale: person.codiceFiscale,
    birthDate: person.birthDate,
    ...(person.cardNumber ? { cardNumber: person.cardNumber } : {}),
    altcha: await solveCaptcha(t.app),
    ...overrides,
  };
}

/** Registration → ticket email → activation → the two credential emails. */
export async function registerAndActivate(
  m: MemberTestApp,
  person: TestPerson,
  headers: Record<string, string> = {},
): Promise<{ username: string; temporaryPassword: string; email: string }> {
  const body = await registrationBody(m.t, person);
  const res = await postJson(m.t, '/api/v1/registrations', body, headers);
  if (res.statusCode !== 202) throw new Error(`registration answered ${res.statusCode}: ${res.body}`);
  const ticketMail = await m.smtp.waitForEmail(body.email, { subject: /registra/i });
  const ticket = lineValue(ticketMail, 'TICKET NUMBER');
  const act = await postJson(m.t, '/api/v1/activations', { ticket }, headers);
  if (act.statusCode !== 200) throw new Error(`activation answered ${act.statusCode}: ${act.body}`);
  const usernameMail = await m.smtp.waitForEmail(body.email, { subject: /username/i });
  const passwordMail = await m.smtp.waitForEmail(body.email, { subject: /password/i });
  return {
    username: lineValue(usernameMail, 'Username'),
    temporaryPassword: lineValue(passwordMail, 'Password'),
    email: body.email,
  };
}

export async function login(
  t: TestApp,
  username: string,
  password: string,
  extra: Record<string, unknown> = {},
) {
  return postJson(t, '/api/v1/auth/login', { username, password, ...extra });
}

/** A password that passes the policy (long, not common, nothing personal). */
export const GOOD_PASSWORD = 'girasole verde sul balcone di via Po';
