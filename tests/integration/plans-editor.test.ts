import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanRules, PlanView } from '#contracts/plans.js';
import { ManualClock } from '../../server/lib/clock.js';
import { DEMO_PLAN_RULES } from '../../server/modules/plans/rules-engine.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { ORIGIN } from '../helpers/member-flow.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

type Detail = { field: string; code?: string; params?: Record<string, string | number>; message: string };

describe('the plan editor through the API', () => {
  let t: TestApp;
  let admin = '';
  let admin2 = '';
  const others: [string, string][] = [];
  const clock = new ManualClock('2026-09-01T08:00:00.000Z');
  beforeAll(async () => {
    t = await buildTestApp({ clock });
    const a = await enrolledStaff(t.app, clock, 'editor.admin', 'administrator');
    const b = await enrolledStaff(t.app, clock, 'editor.admin2', 'administrator');
    const roles = ['claims_operator', 'auditor', 'booking_desk'] as const;
    const staff = [];
    for (const role of roles)
      staff.push([role, await enrolledStaff(t.app, clock, `editor.${role}`, role)] as const);
    clock.advance(30_000);
    admin = staffCookie(await staffLogin(t.app, a.username, totpCode(a.secret, clock.now())));
    admin2 = staffCookie(await staffLogin(t.app, b.username, totpCode(b.secret, clock.now())));
    for (const [role, s] of staff) {
      others.push([role, staffCookie(await staffLogin(t.app, s.username, totpCode(s.secret, clock.now())))]);
    }
  });
  afterAll(() => t.close());

  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    cookie: string,
    payload?: object,
    language = 'it',
  ) =>
    t.app.inject({
      method,
      url,
      headers: { ...ORIGIN, cookie, 'accept-language': language },
      ...(payload ? { payload } : {}),
    });
  const plan = async (code: string): Promise<PlanView & { rules: PlanRules }> =>
    (await call('GET', `/api/v1/staff/plans/${code}`, admin)).json();

  it('[administrator] creates a plan from the demo rules with a year of its own; audited', async () => {
    const res = await call('POST', '/api/v1/staff/plans', admin, {
      code: 'edit-demo',
      name: 'Piano dal modello',
      year: 2027,
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ code: 'EDIT-DEMO', name: 'Piano dal modello', currentVersion: 1 });
    expect(created.rules).toEqual({ ...DEMO_PLAN_RULES, year: 2027 });
    expect(created.versions).toEqual([
      { version: 1, createdAt: clock.now().toISOString(), createdBy: 'editor.admin' },
    ]);
    const audit = await t.app.db
      .selectFrom('audit_events')
      .select(['event', 'outcome', 'details'])
      .where('event', '=', 'plan_created')
      .execute();
    expect(audit.map((e) => [e.outcome, JSON.parse(e.details ?? '{}')])).toEqual([
      ['success', { plan: 'EDIT-DEMO', version: 1, source: 'demo' }],
    ]);
  });

  it('[administrator] creates a plan as a copy of another plan’s current rules', async () => {
    const source = await plan('EDIT-DEMO');
    const changed = structuredClone(source.rules);
    changed.annualCap = { cents: 250_000, scope: 'person' };
    expect(
      (
        await call('PUT', '/api/v1/staff/plans/EDIT-DEMO', admin, {
          baseVersion: 1,
          rules: changed,
        })
      ).statusCode,
    ).toBe(200);
    const res = await call('POST', '/api/v1/staff/plans', admin, {
      code: 'EDIT-COPY',
      name: 'Copia',
      year: 2028,
      copyFrom: 'edit-demo',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().rules).toEqual({ ...changed, year: 2028 });

    const missing = await call('POST', '/api/v1/staff/plans', admin, {
      code: 'EDIT-NONE',
      name: 'Nessuno',
      year: 2028,
      copyFrom: 'NON-ESISTE',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toEqual([
      {
        field: 'copyFrom',
        code: 'source_not_found',
        message: 'Il piano da copiare non esiste o non ha regole.',
      },
    ]);
    const taken = await call('POST', '/api/v1/staff/plans', admin, {
      code: 'edit-copy',
      name: 'x',
      year: 2028,
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details[0]).toMatchObject({ field: 'code', code: 'code_taken' });
  });

  it('[administrator] adds a category × channel rule and removes another: each save is a new version', async () => {
    const before = await plan('EDIT-COPY');
    expect(before.rules.categories.farmaci).toBeUndefined();
    const rules = structuredClone(before.rules);
    rules.categories.farmaci = {
      label: { it: 'Farmaci da banco', en: 'Over-the-counter medicines' },
      channels: {
        out_of_network: {
          coinsuranceBasisPoints: 1250,
          minimumPerInvoiceCents: 500,
          deductiblePerVisitCents: 0,
          prescriptionRequired: true,
          submissionDeadlineDays: 90,
        },
      },
      subCap: { cents: 20_000, scope: 'person' },
    };
    delete rules.categories.visite_specialistiche?.channels.network;
    rules.autoDecision = { enabled: true, maxTotalCents: 25_000 };
    clock.advance(60_000);
    const res = await call('PUT', '/api/v1/staff/plans/EDIT-COPY', admin2, {
      baseVersion: 1,
      name: 'Copia con farmaci',
      rules,
    });
    expect(res.statusCode).toBe(200);
    const after = res.json();
    expect(after).toMatchObject({ name: 'Copia con farmaci', currentVersion: 2 });
    expect(after.rules.categories.farmaci).toEqual(rules.categories.farmaci);
    expect(after.rules.categories.visite_specialistiche.channels.network).toBeUndefined();
    expect(after.rules.autoDecision).toEqual({ enabled: true, maxTotalCents: 25_000 });
    expect(
      after.versions.map((v: { version: number; createdBy: string }) => [v.version, v.createdBy]),
    ).toEqual([
      [2, 'editor.admin2'],
      [1, 'editor.admin'],
    ]);
    // Version 1 is kept as it was.
    const stored = await t.app.db
      .selectFrom('plan_versions as v')
      .innerJoin('plans as p', 'p.id', 'v.plan_id')
      .select(['v.version', 'v.rules'])
      .where('p.code', '=', 'EDIT-COPY')
      .orderBy('v.version')
      .execute();
    expect(JSON.parse(stored[0]?.rules ?? '{}').categories.farmaci).toBeUndefined();
    expect(
      JSON.parse(stored[0]?.rules ?? '{}').categories.visite_specialistiche.channels.network,
    ).toBeDefined();
    const audit = await t.app.db
      .selectFrom('audit_events')
      .select('details')
      .where('event', '=', 'plan_version_created')
      .execute();
    expect(audit.map((e) => JSON.parse(e.details ?? '{}'))).toContainEqual({
      plan: 'EDIT-COPY',
      version: 2,
      baseVersion: 1,
    });
  });

  it('[administrator] an invalid document is refused with every problem at its field, in the language asked', async () => {
    const rules = structuredClone((await plan('EDIT-COPY')).rules);
    const visits = rules.categories.visite_specialistiche;
    if (!visits?.channels.out_of_network) throw new Error('the copy has out-of-network visits');
    visits.channels.out_of_network.coinsuranceBasisPoints = 12_000;
    visits.channels.out_of_network.minimumPerInvoiceCents = -1;
    visits.channels.out_of_network.submissionDeadlineDays = 0;
    rules.categories.odontoiatria = {
      ...(rules.categories.odontoiatria ?? { label: { it: 'x', en: 'x' }, channels: {} }),
      subCap: { cents: rules.annualCap.cents + 1, scope: 'person' },
    };
    const res = await call('PUT', '/api/v1/staff/plans/EDIT-COPY', admin, { baseVersion: 2, rules });
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as { error: { code: string; details: Detail[] } };
    expect(error.code).toBe('VALIDATION_FAILED');
    const path = 'rules/categories/visite_specialistiche/channels/out_of_network';
    expect(error.details.map((d) => [d.field, d.code])).toEqual([
      [`${path}/coinsuranceBasisPoints`, 'percent_range'],
      [`${path}/minimumPerInvoiceCents`, 'amount_negative'],
      [`${path}/submissionDeadlineDays`, 'deadline_range'],
      ['rules/categories/odontoiatria/subCap/cents', 'subcap_above_cap'],
    ]);
    expect(error.details[2]).toMatchObject({ params: { min: 1, max: 3650 } });
    expect(error.details[2]?.message).toBe('Il termine di invio va da 1 a 3650 giorni.');
    const english = await call(
      'PUT',
      '/api/v1/staff/plans/EDIT-COPY',
      admin,
      { baseVersion: 2, rules },
      'en',
    );
    expect(english.json().error.details[2].message).toBe('The submission deadline goes from 1 to 3650 days.');
    // Nothing was saved.
    expect((await plan('EDIT-COPY')).currentVersion).toBe(2);

    const odd = await call('PUT', '/api/v1/staff/plans/EDIT-COPY', admin, {
      baseVersion: 2,
      rules: { ...rules, categories: { astrologia: {} } },
    });
    expect(odd.json().error.details.map((d: Detail) => [d.field, d.code])).toEqual([
      ['rules/categories/astrologia', 'unknown_category'],
    ]);
    const missing = await call('POST', '/api/v1/staff/plans', admin, { code: '-', name: '' });
    expect(missing.json().error.details.map((d: Detail) => [d.field, d.code])).toEqual([
      ['code', 'code_invalid'],
      ['name', 'name_required'],
      ['year', 'required'],
    ]);
  });

  it('[administrator] saving on top of a version that is no longer current is a conflict, not an overwrite', async () => {
    const base = await plan('EDIT-COPY');
    expect(base.currentVersion).toBe(2);
    const mine = structuredClone(base.rules);
    mine.annualCap.cents = 111_100;
    const theirs = structuredClone(base.rules);
    theirs.annualCap.cents = 222_200;
    // Both opened version 2; the other administrator saves first.
    expect(
      (await call('PUT', '/api/v1/staff/plans/EDIT-COPY', admin2, { baseVersion: 2, rules: theirs }))
        .statusCode,
    ).toBe(200);
    const late = await call('PUT', '/api/v1/staff/plans/EDIT-COPY', admin, { baseVersion: 2, rules: mine });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({
      code: 'CONFLICT',
      details: [
        { field: 'baseVersion', code: 'version_conflict', params: { version: 3, by: 'editor.admin2' } },
      ],
    });
    expect(late.json().error.details[0].message).toContain('versione 3 (editor.admin2)');
    const now = await plan('EDIT-COPY');
    expect(now.currentVersion).toBe(3);
    expect(now.rules.annualCap.cents).toBe(222_200);

    // Two saves on the same base at the same moment: one version 4, one conflict.
    const [a, b] = await Promise.all([
      call('PUT', '/api/v1/staff/plans/EDIT-COPY', admin, { baseVersion: 3, rules: mine }),
      call('PUT', '/api/v1/staff/plans/EDIT-COPY', admin2, { baseVersion: 3, rules: theirs }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const final = await plan('EDIT-COPY');
    expect(final.currentVersion).toBe(4);
    expect(final.versions.map((v) => v.version)).toEqual([4, 3, 2, 1]);

    // A base from the future is refused too; a missing plan is 404.
    expect(
      (await call('PUT', '/api/v1/staff/plans/EDIT-COPY', admin, { baseVersion: 9, rules: mine })).statusCode,
    ).toBe(409);
    expect(
      (await call('PUT', '/api/v1/staff/plans/NO-PLAN', admin, { baseVersion: 1, rules: mine })).statusCode,
    ).toBe(404);
  });

  it('[operator, auditor, booking desk] read plans but cannot create or edit them', async () => {
    const rules = (await plan('EDIT-COPY')).rules;
    for (const [role, cookie] of others) {
      expect((await call('GET', '/api/v1/staff/plans/EDIT-COPY', cookie)).statusCode, role).toBe(200);
      const create = await call('POST', '/api/v1/staff/plans', cookie, {
        code: 'NOPE',
        name: 'No',
        year: 2027,
      });
      expect(create.statusCode, role).toBe(403);
      expect(create.json().error.code).toBe('FORBIDDEN');
      const save = await call('PUT', '/api/v1/staff/plans/EDIT-COPY', cookie, { baseVersion: 4, rules });
      expect(save.statusCode, role).toBe(403);
    }
    expect(
      (await call('GET', '/api/v1/staff/plans', admin)).json().plans.map((p: { code: string }) => p.code),
    ).not.toContain('NOPE');
    expect((await plan('EDIT-COPY')).currentVersion).toBe(4);
  });
});
