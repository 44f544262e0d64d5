import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { DEMO_PLAN_RULES } from '../../server/modules/plans/rules-engine.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { ORIGIN } from '../helpers/member-flow.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

describe('plans and the rules engine through the API', () => {
  let t: TestApp;
  let admin = '';
  let operator = '';
  const clock = new ManualClock('2026-06-01T08:00:00.000Z');
  beforeAll(async () => {
    t = await buildTestApp({ clock });
    const a = await enrolledStaff(t.app, clock, 'plans.admin', 'administrator');
    const o = await enrolledStaff(t.app, clock, 'plans.operator', 'claims_operator');
    clock.advance(30_000);
    admin = staffCookie(await staffLogin(t.app, a.username, totpCode(a.secret, clock.now())));
    operator = staffCookie(await staffLogin(t.app, o.username, totpCode(o.secret, clock.now())));
  });
  afterAll(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: object) =>
    t.app.inject({ method, url, headers: { ...ORIGIN, cookie }, ...(payload ? { payload } : {}) });

  it('[administrator] creates a plan; an edit adds a version and the earlier one stays', async () => {
    const created = await call('POST', '/api/v1/staff/plans', admin, {
      code: 'azienda-x',
      name: 'Piano Azienda X',
      rules: DEMO_PLAN_RULES,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'AZIENDA-X', currentVersion: 1 });
    const cheaper = structuredClone(DEMO_PLAN_RULES);
    cheaper.annualCap = { cents: 300_000, scope: 'family' };
    const edited = await call('PUT', '/api/v1/staff/plans/AZIENDA-X', admin, {
      baseVersion: 1,
      rules: cheaper,
      name: 'Piano Azienda X 2026',
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      name: 'Piano Azienda X 2026',
      currentVersion: 2,
      rules: { annualCap: { cents: 300_000 } },
    });
    expect(
      edited.json().versions.map((v: { version: number; createdBy: string }) => [v.version, v.createdBy]),
    ).toEqual([
      [2, 'plans.admin'],
      [1, 'plans.admin'],
    ]);
    const v1 = await t.app.db
      .selectFrom('plan_versions')
      .select('rules')
      .where('version', '=', 1)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(v1.rules).annualCap.cents).toBe(500_000);
    expect(
      (
        await call('POST', '/api/v1/staff/plans', admin, {
          code: 'AZIENDA-X',
          name: 'again',
          rules: DEMO_PLAN_RULES,
        })
      ).statusCode,
    ).toBe(409);
  });

  it('[administrator] rules that do not fit the schema are refused with the field named', async () => {
    const bad = structuredClone(DEMO_PLAN_RULES) as unknown as { categories: Record<string, unknown> };
    bad.categories.astrologia = bad.categories.lenti;
    const res = await call('POST', '/api/v1/staff/plans', admin, { code: 'BAD', name: 'Bad', rules: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(res.json().error.details)).toContain('rules');
  });

  it('[operator] reads plans but cannot create or edit them', async () => {
    expect(
      (await call('GET', '/api/v1/staff/plans', operator)).json().plans.map((p: { code: string }) => p.code),
    ).toContain('AZIENDA-X');
    expect(
      (await call('POST', '/api/v1/staff/plans', operator, { code: 'OP', name: 'x', rules: DEMO_PLAN_RULES }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await call('PUT', '/api/v1/staff/plans/AZIENDA-X', operator, {
          baseVersion: 2,
          rules: DEMO_PLAN_RULES,
        })
      ).statusCode,
    ).toBe(403);
  });

  it('[operator] the engine: 80% with a €50 minimum turns €120 into €70; an SSN ticket is paid in full; a family cap cuts the third invoice', async () => {
    const line = (
      id: string,
      amountCents: number,
      category = 'visite_specialistiche',
      channel = 'out_of_network',
    ) => ({
      id,
      category,
      channel,
      invoiceDate: '2026-05-20',
      amountCents,
      hasPrescription: true,
    });
    const res = await call('POST', '/api/v1/staff/plans/AZIENDA-X/assess', operator, {
      beneficiaryId: 'p1',
      familyId: 'f1',
      submittedOn: '2026-06-01',
      lines: [line('a', 12_000), line('b', 3_615, 'ticket_ssn', 'ssn_ticket')],
    });
    expect(res.statusCode).toBe(200);
    const { planVersion, assessment } = res.json();
    expect(planVersion).toBe(2);
    expect(assessment.lines[0]).toMatchObject({ lineId: 'a', acceptedCents: 7_000, memberShareCents: 5_000 });
    expect(assessment.lines[0].explanation.it.join(' ')).toContain('120,00 €');
    expect(assessment.lines[1]).toMatchObject({ lineId: 'b', acceptedCents: 3_615, reason: 'accepted' });

    // Version 2 has a €3,000 family cap: three invoices of €1,500 each (80% → €1,200) cross it.
    const capped = await call('POST', '/api/v1/staff/plans/AZIENDA-X/assess', operator, {
      beneficiaryId: 'p1',
      familyId: 'f1',
      submittedOn: '2026-06-01',
      lines: [line('1', 150_000), line('2', 150_000), line('3', 150_000)],
    });
    const lines = capped.json().assessment.lines;
    expect(lines.map((l: { acceptedCents: number }) => l.acceptedCents)).toEqual([120_000, 120_000, 60_000]);
    expect(lines[2].reason).toBe('cap_reached');
  });

  it('[administrator] a plan created by a registry import starts with the demo rules', async () => {
    const csv = `codice_fiscale;cognome;nome;data_nascita;email;piano;ruolo;titolare_cf;inizio_copertura;fine_copertura\nRSSMRA85T10A562S;Rossi;Mario;1985-12-10;;NUOVO-PIANO;titolare;;2026-01-01;\n`;
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/registry/imports?fileName=nuovo.csv',
      headers: { ...ORIGIN, cookie: admin, 'content-type': 'text/csv' },
      payload: csv,
    });
    await t.app.registryAdmin.drain();
    await call('POST', `/api/v1/staff/registry/imports/${up.json().id}/apply`, admin, { allowErrors: false });
    await t.app.registryAdmin.drain();
    const plan = (await call('GET', '/api/v1/staff/plans/NUOVO-PIANO', operator)).json();
    expect(plan).toMatchObject({ currentVersion: 1, rules: { annualCap: DEMO_PLAN_RULES.annualCap } });
  });
});
