import { ManualClock } from '../../server/lib/clock.js';
import { DEMO_PLAN_RULES } from '../../server/modules/plans/rules-engine.js';
import { STAFF_ROLES } from '../../server/modules/staff/staff.table.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import {
  GOOD_PASSWORD,
  login,
  memberTestApp,
  ORIGIN,
  postJson,
  registerAndActivate,
  sessionCookie,
} from '../helpers/member-flow.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

export interface FuzzApp {
  m: Awaited<ReturnType<typeof memberTestApp>>;
  /** Each role with its session cookie; `anonymous` has none. */
  roles: [role: string, cookie: string | undefined][];
  logLines: string[];
  close(): Promise<void>;
}

/**
 * The app as the fuzzer meets it: its database (SQLite, or PostgreSQL with TEST_DB=postgres),
 * SMTP to a server in this process, a plan, a registered member with a session, and one signed-in
 * staff user per role. Uses the same test helpers as the integration suite.
 */
export async function fuzzApp(): Promise<FuzzApp> {
  const logLines: string[] = [];
  const clock = new ManualClock('2026-06-01T08:00:00.000Z');
  const m = await memberTestApp({ clock, logLines });
  const roles: [string, string | undefined][] = [['anonymous', undefined]];
  const staff: [string, string][] = [];
  for (const role of STAFF_ROLES) {
    const { username, secret } = await enrolledStaff(m.t.app, clock, `fuzz.${role.replace('_', '')}`, role);
    clock.advance(30_000);
    staff.push([role, staffCookie(await staffLogin(m.t.app, username, totpCode(secret, clock.now())))]);
  }
  const admin = staff.find(([role]) => role === 'administrator')?.[1] ?? '';
  await m.t.app.inject({
    method: 'POST',
    url: '/api/v1/staff/plans',
    headers: { ...ORIGIN, cookie: admin },
    payload: { code: 'FUZZ', name: 'Fuzz', rules: DEMO_PLAN_RULES },
  });
  const planId = await createPlan(m.t.app);
  const person = await createRegistryMember(m.t.app, planId);
  const creds = await registerAndActivate(m, person);
  const first = await login(m.t, creds.username, creds.temporaryPassword);
  const changed = await postJson(
    m.t,
    '/api/v1/auth/password',
    { newPassword: GOOD_PASSWORD, newPasswordConfirmation: GOOD_PASSWORD },
    { cookie: sessionCookie(first) },
  );
  roles.push(['member', sessionCookie(changed)], ...staff);
  return { m, roles, logLines, close: () => m.close() };
}

/** Routes the fuzzer leaves alone: signing out would end the very session it fuzzes with. */
export const NOT_FUZZED = /\/logout$|\/sessions\/others$/;
