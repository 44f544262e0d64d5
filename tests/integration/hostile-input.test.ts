import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { DEMO_PLAN_RULES } from '../../server/modules/plans/rules-engine.js';
import { STAFF_ROLES, type StaffRole } from '../../server/modules/staff/staff.table.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import {
  apiRoutes,
  NON_FINITE_TEXTS,
  PROTOTYPE_NAMES,
  probeRoute,
  prototypeSnapshot,
} from '../helpers/hostile-input.js';
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
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

/**
 * Input a black-box probe sent: names that reach an object's prototype, numbers that are not
 * finite. Whatever the route, the answer is never a 5xx, the prototypes stay as they were and the
 * process goes on serving (health, metrics).
 */
describe('hostile input on every route', () => {
  let m: MemberTestApp;
  const logLines: string[] = [];
  const cookies = new Map<StaffRole, string>();
  let memberCookie = '';
  const clock = new ManualClock('2026-06-01T08:00:00.000Z');
  const before = prototypeSnapshot();

  beforeAll(async () => {
    // Every route is probed many times from one address: the API's rate limit is not what is tested here.
    m = await memberTestApp({ clock, logLines, env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    for (const role of STAFF_ROLES) {
      const { username, secret } = await enrolledStaff(
        m.t.app,
        clock,
        `probe.${role.replace('_', '')}`,
        role,
      );
      clock.advance(30_000);
      cookies.set(role, staffCookie(await staffLogin(m.t.app, username, totpCode(secret, clock.now()))));
    }
    const created = await m.t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/plans',
      headers: { ...ORIGIN, cookie: cookies.get('administrator') ?? '' },
      payload: { code: 'PROBE', name: 'Probe', rules: DEMO_PLAN_RULES },
    });
    expect(created.statusCode).toBe(201);
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
    memberCookie = sessionCookie(changed);
  });
  afterAll(() => m?.close());

  async function stillHealthy() {
    expect(prototypeSnapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).totalCents).toBeUndefined();
    expect((await m.t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const metrics = await m.t.app.inject({ url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('onecare_http_request_duration_seconds');
    expect(logLines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
  }

  const claim = (beneficiaryId: string, usage?: unknown) =>
    JSON.stringify({
      beneficiaryId,
      familyId: 'F-1',
      submittedOn: '2026-05-30',
      lines: [
        {
          id: 'a',
          category: 'visite_specialistiche',
          channel: 'out_of_network',
          invoiceDate: '2026-05-20',
          amountCents: 12_000,
          hasPrescription: true,
        },
      ],
      ...(usage ? { usage } : {}),
    });
  const assess = (body: string) =>
    m.t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/plans/PROBE/assess',
      headers: {
        ...ORIGIN,
        cookie: cookies.get('claims_operator') ?? '',
        'content-type': 'application/json',
      },
      payload: body,
    });

  it('[claims operator] a beneficiary id "__proto__", "constructor" or "prototype" is refused at the field; nothing is polluted', async () => {
    for (const name of PROTOTYPE_NAMES) {
      const res = await assess(claim(name));
      expect([name, res.statusCode]).toEqual([name, 400]);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain('beneficiaryId');
    }
    const ok = await assess(claim('P-1'));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().assessment.usageAfter.persons['P-1'].totalCents).toBe(7_000);
    await stillHealthy();
  });

  it('[claims operator] usage keyed by prototype names is refused; the engine never reads the prototype', async () => {
    const person = { totalCents: 0, byCategoryCents: {}, acceptedInvoiceDates: {} };
    for (const name of PROTOTYPE_NAMES) {
      const usage = `{"familyId":"F-1","familyTotalCents":0,"familyByCategoryCents":{},"persons":{"${name}":${JSON.stringify(person)}}}`;
      const body = claim('P-1').replace(/}$/, `,"usage":${usage}}`);
      const res = await assess(body);
      expect([name, res.statusCode]).toEqual([name, 400]);
    }
    await stillHealthy();
  });

  it('[anyone] every route, with prototype names as path, query, body values and keys: never a 5xx', async () => {
    const routes = apiRoutes(m.t.app).filter((r) => !r.url.endsWith('/logout'));
    expect(routes.length).toBeGreaterThan(30);
    const access = new Map(m.t.app.routeCatalog.map((r) => [`${r.method} ${r.url}`, r.access]));
    const failures: string[] = [];
    let probes = 0;
    for (const route of routes) {
      const declared = access.get(`${route.method} ${route.url}`);
      const cookie =
        declared === 'member' || (declared && typeof declared === 'object' && 'member' in declared)
          ? memberCookie
          : declared && typeof declared === 'object'
            ? cookies.get(
                declared.staff === 'any' || declared.staff.includes('administrator')
                  ? 'administrator'
                  : (declared.staff[0] ?? 'administrator'),
              )
            : undefined;
      for (const answer of await probeRoute(m.t.app, route, cookie)) {
        probes++;
        if (answer.status >= 500) failures.push(`${answer.label} → ${answer.status}`);
        else if (answer.status >= 400) expect(answer.response.json().error.code).toBeTypeOf('string');
      }
    }
    expect(probes).toBeGreaterThan(100);
    expect(failures).toEqual([]);
    await stillHealthy();
  });

  it('[member, staff] numbers that are not finite are refused with the field named (400, never 500)', async () => {
    const get = (url: string, cookie: string) => m.t.app.inject({ url, headers: { ...ORIGIN, cookie } });
    for (const text of NON_FINITE_TEXTS) {
      const v = encodeURIComponent(text);
      const cases: [string, string, string][] = [
        [`/api/v1/network/facilities?lat=${v}&lon=9`, memberCookie, 'querystring.lat'],
        [`/api/v1/network/facilities?lat=45&lon=${v}`, memberCookie, 'querystring.lon'],
        [
          `/api/v1/staff/network/facilities?lat=${v}&lon=9`,
          cookies.get('booking_desk') ?? '',
          'querystring.lat',
        ],
        [
          `/api/v1/staff/network/facilities?lat=45&lon=${v}`,
          cookies.get('booking_desk') ?? '',
          'querystring.lon',
        ],
        [`/api/v1/network/facilities?page=${v}`, memberCookie, 'querystring.page'],
        [`/api/v1/staff/audit-events?limit=${v}`, cookies.get('auditor') ?? '', 'querystring.limit'],
      ];
      for (const [url, cookie, field] of cases) {
        const res = await get(url, cookie);
        expect([url, res.statusCode]).toEqual([url, 400]);
        expect(res.json().error.code).toBe('VALIDATION_FAILED');
        expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      }
    }
    // Every numeric query parameter of every route, whatever its name.
    const numeric = apiRoutes(m.t.app).filter((r) => r.numericQueryParams.length > 0);
    expect(numeric.map((r) => r.url)).toContain('/api/v1/staff/audit-events');
    for (const route of numeric) {
      const cookie = route.url.startsWith('/api/v1/staff/') ? cookies.get('administrator') : memberCookie;
      for (const name of route.numericQueryParams) {
        for (const text of NON_FINITE_TEXTS) {
          const res = await get(`${route.url}?${name}=${encodeURIComponent(text)}`, cookie ?? '');
          const label = `${route.url}?${name}=${text}`;
          expect([label, res.statusCode]).toEqual([label, 400]);
          expect(res.json().error.details).toContainEqual(
            expect.objectContaining({ field: `querystring.${name}` }),
          );
        }
      }
    }
    // In a JSON body, 1e999 parses as Infinity.
    const res = await assess(claim('P-1').replace('"amountCents":12000', '"amountCents":1e999'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain('lines/0/amountCents');
    await stillHealthy();
  });
});
