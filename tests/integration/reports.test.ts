import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '#contracts/staff.codes.js';
import { seedDemoRegistry } from '../../server/demo/registry.js';
import { ManualClock } from '../../server/lib/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import {
  type ClaimSeed,
  demoRegistryIds,
  driveClaim,
  insertSubmittedClaim,
  memberWithSession,
} from '../helpers/claims.js';
import { ORIGIN } from '../helpers/member-flow.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

const BASE = '/api/v1/staff/reports';

describe('reports: claims by state, decision times, amounts paid', () => {
  let t: TestApp;
  const clock = new ManualClock('2025-12-01T08:00:00.000Z');
  const cookies = new Map<StaffRole, string>();
  let memberCookie = '';

  const get = (url: string, cookie = cookies.get('administrator') ?? '', headers = {}) =>
    t.app.inject({ url, headers: { ...ORIGIN, cookie, ...headers } });

  beforeAll(async () => {
    t = await buildTestApp({ clock });
    await seedDemoRegistry(t.app.db, t.app.dialect, clock);
    const { planId, ids } = await demoRegistryIds(t.app);
    const mario = ids.get('mario') as string;
    const account = await memberWithSession(t.app, mario, clock.now());
    const claim = (submittedAt: string, category: ClaimSeed['category'], estimatedCents: number) =>
      insertSubmittedClaim(t.app, {
        accountId: account.id,
        familyId: mario,
        beneficiaryId: ids.get('luca') as string,
        planId,
        category,
        submittedAt,
        lines: [
          { invoiceDate: submittedAt.slice(0, 10), amountCents: estimatedCents + 1_000, estimatedCents },
        ],
      });
    const drive = (id: string, step: Parameters<typeof driveClaim>[2]) => driveClaim(t.app, id, step, clock);

    // Sent in December 2025, decided by staff on 2 January 2026 after 13 days, paid in March.
    const h = await claim('2025-12-20T08:00:00.000Z', 'visite_specialistiche', 3_000);
    await drive(h, { to: 'approved', by: 'staff', at: '2026-01-02T08:00:00.000Z' });
    await drive(h, { to: 'paid', paidOn: '2026-03-10', at: '2026-03-09T08:00:00.000Z' });
    // January: staff after 4 days (paid in January), automatic after 30 seconds (paid in February),
    // rejected by staff after 2.5 days.
    const a = await claim('2026-01-05T08:00:00.000Z', 'visite_specialistiche', 8_000);
    await drive(a, { to: 'approved', by: 'staff', at: '2026-01-09T08:00:00.000Z' });
    await drive(a, { to: 'paid', paidOn: '2026-01-20', at: '2026-01-19T08:00:00.000Z' });
    const b = await claim('2026-01-10T08:00:00.000Z', 'odontoiatria', 20_000);
    await drive(b, { to: 'approved', by: 'system', at: '2026-01-10T08:00:30.000Z' });
    await drive(b, { to: 'paid', paidOn: '2026-02-03', at: '2026-02-02T08:00:00.000Z' });
    const c = await claim('2026-01-12T08:00:00.000Z', 'fisioterapia', 4_000);
    await drive(c, { to: 'rejected', by: 'staff', at: '2026-01-14T20:00:00.000Z' });
    // Decided at 23:30 UTC on 31 January (1 February in Rome), known only from the timeline.
    const d = await claim('2026-01-31T10:00:00.000Z', 'fisioterapia', 6_000);
    await drive(d, {
      to: 'partially_approved',
      by: 'staff',
      at: '2026-01-31T23:30:00.000Z',
      acceptedCents: [5_000],
      record: false,
    });
    await drive(d, { to: 'paid', paidOn: '2026-02-28', at: '2026-02-27T08:00:00.000Z' });
    // Still open: in review, waiting for documents, just sent.
    await drive(await claim('2026-02-02T08:00:00.000Z', 'lenti', 1_000), {
      to: 'in_review',
      at: '2026-02-03T08:00:00.000Z',
    });
    await drive(await claim('2026-02-03T08:00:00.000Z', 'lenti', 1_000), {
      to: 'needs_documents',
      at: '2026-02-04T08:00:00.000Z',
    });
    await claim('2026-03-01T08:00:00.000Z', 'farmaci', 500);
    // Cancelled by the member; an automatic decision known only from the timeline.
    const cancelled = await claim('2026-03-02T08:00:00.000Z', 'farmaci', 500);
    clock.set('2026-03-02T09:00:00.000Z');
    await t.app.claims.transition(cancelled, 'cancelled', 'member');
    const i = await claim('2026-03-05T10:00:00.000Z', 'ticket_ssn', 3_615);
    await drive(i, { to: 'approved', by: 'system', at: '2026-03-05T10:00:05.000Z', record: false });
    // Sessions last hours: the member and the staff sign in now, after the months above.
    clock.set('2026-12-04T08:00:00.000Z');
    memberCookie = `onecare_session=${(await t.app.sessions.create('member', account.id)).token}`;
    for (const role of ['administrator', 'auditor', 'claims_operator', 'booking_desk'] as const) {
      const { username, secret } = await enrolledStaff(t.app, clock, `rep.${role.replace('_', '')}`, role);
      clock.advance(30_000);
      cookies.set(role, staffCookie(await staffLogin(t.app, username, totpCode(secret, clock.now()))));
    }
    // A draft never counts.
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/claims/drafts',
          headers: { ...ORIGIN, cookie: memberCookie },
        })
      ).statusCode,
    ).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[administrator] counts the claims sent in the year by the state they are in now (drafts never)', async () => {
    const res = await get(`${BASE}/claims-by-state?year=2026`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      range: { from: '2026-01', to: '2026-12' },
      states: [
        { state: 'submitted', count: 1 },
        { state: 'in_review', count: 1 },
        { state: 'needs_documents', count: 1 },
        { state: 'approved', count: 1 },
        { state: 'partially_approved', count: 0 },
        { state: 'rejected', count: 1 },
        { state: 'paid', count: 3 },
        { state: 'cancelled', count: 1 },
      ],
      total: 9,
    });
    // Without a range: the current year (the clock's, in Italy).
    expect((await get(`${BASE}/claims-by-state`)).json().range).toEqual({ from: '2026-01', to: '2026-12' });
    const december = (await get(`${BASE}/claims-by-state?from=2025-12&to=2025-12`)).json();
    expect(december.total).toBe(1);
    expect(december.states.find((s: { state: string }) => s.state === 'paid').count).toBe(1);
  });

  it('[auditor] reads median days to decision per month, automatic and staff apart, with the automatic share', async () => {
    const res = await get(`${BASE}/decision-times?from=2026-01&to=2026-03`, cookies.get('auditor'));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      range: { from: '2026-01', to: '2026-03' },
      months: [
        {
          // Staff after 13, 4 and 2.5 days; one automatic.
          month: '2026-01',
          automatic: { count: 1, medianDays: 0 },
          staff: { count: 3, medianDays: 4 },
          automaticPercent: 25,
        },
        {
          // 13 h 30 min, counted in February (Rome), from the timeline.
          month: '2026-02',
          automatic: { count: 0, medianDays: null },
          staff: { count: 1, medianDays: 0.6 },
          automaticPercent: 0,
        },
        {
          month: '2026-03',
          automatic: { count: 1, medianDays: 0 },
          staff: { count: 0, medianDays: null },
          automaticPercent: 100,
        },
      ],
      total: {
        automatic: { count: 2, medianDays: 0 },
        staff: { count: 4, medianDays: 3.3 },
        automaticPercent: 33.3,
      },
    });
  });

  it('[administrator] reads the amounts paid per month of the value date and per category', async () => {
    const res = await get(`${BASE}/payments?from=2026-02&to=2026-03`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      range: { from: '2026-02', to: '2026-03' },
      categories: ['visite_specialistiche', 'fisioterapia', 'odontoiatria'],
      months: [
        {
          month: '2026-02',
          byCategory: [
            { category: 'visite_specialistiche', cents: 0 },
            { category: 'fisioterapia', cents: 5_000 },
            { category: 'odontoiatria', cents: 20_000 },
          ],
          totalCents: 25_000,
        },
        {
          month: '2026-03',
          byCategory: [
            { category: 'visite_specialistiche', cents: 3_000 },
            { category: 'fisioterapia', cents: 0 },
            { category: 'odontoiatria', cents: 0 },
          ],
          totalCents: 3_000,
        },
      ],
      totals: {
        byCategory: [
          { category: 'visite_specialistiche', cents: 3_000 },
          { category: 'fisioterapia', cents: 5_000 },
          { category: 'odontoiatria', cents: 20_000 },
        ],
        totalCents: 28_000,
      },
    });
    expect((await get(`${BASE}/payments?year=2026`)).json().totals.totalCents).toBe(36_000);
  });

  it('[auditor] downloads each report as CSV: byte-order mark, semicolons, the language asked for', async () => {
    const states = await get(`${BASE}/claims-by-state.csv?year=2026`, cookies.get('auditor'));
    expect(states.statusCode).toBe(200);
    expect(states.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(states.headers['content-disposition']).toBe(
      'attachment; filename="report-claims-by-state-2026-01_2026-12.csv"',
    );
    const lines = states.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFF"state";"label";"count"');
    expect(lines).toContain('"paid";"Liquidata";"3"');
    expect(lines).toHaveLength(10);

    const times = await get(`${BASE}/decision-times.csv?from=2026-02&to=2026-02&lang=en`);
    expect(times.body.split('\r\n')[1]).toBe('"2026-02";"0";"";"1";"0.6";"0.0"');
    const timesIt = await get(`${BASE}/decision-times.csv?from=2026-02&to=2026-02`, undefined, {
      'accept-language': 'it-IT,it;q=0.9',
    });
    expect(timesIt.body.split('\r\n')[1]).toBe('"2026-02";"0";"";"1";"0,6";"0,0"');

    const paid = await get(`${BASE}/payments.csv?from=2026-02&to=2026-02`, undefined, {
      'accept-language': 'en-GB',
    });
    expect(paid.body.split('\r\n')).toEqual([
      '\uFEFF"month";"category";"label";"paid_eur"',
      '"2026-02";"fisioterapia";"Physiotherapy";"50.00"',
      '"2026-02";"odontoiatria";"Dental care";"200.00"',
      '',
    ]);
  });

  it('[administrator] a range that is reversed, too long, unclear or malformed is refused with a code', async () => {
    const code = async (query: string) => {
      const res = await get(`${BASE}/payments?${query}`);
      expect(res.statusCode, query).toBe(400);
      return res.json().error.details.map((d: { field: string; code: string }) => `${d.field}:${d.code}`);
    };
    expect(await code('from=2026-05&to=2026-01')).toEqual(['to:range_reversed']);
    expect(await code('from=2022-01&to=2026-01')).toEqual(['to:range_too_long']);
    expect(await code('year=2026&from=2026-01&to=2026-02')).toEqual(['year:range_conflict']);
    expect(await code('from=2026-01')).toEqual(['to:required']);
    expect((await code('from=2026-13&to=2026-12'))[0]).toMatch(/from/);
    expect((await code('year=1999'))[0]).toMatch(/year/);
    const message = (
      await get(`${BASE}/payments?from=2022-01&to=2026-01`, undefined, { 'accept-language': 'en' })
    ).json().error.details[0].message;
    expect(message).toBe('A report covers at most 36 months.');
  });

  it('[claims operator, booking desk, member, visitor] get no report', async () => {
    for (const path of ['claims-by-state', 'decision-times', 'payments']) {
      for (const suffix of ['', '.csv']) {
        const url = `${BASE}/${path}${suffix}?year=2026`;
        expect([url, (await get(url, cookies.get('claims_operator'))).statusCode]).toEqual([url, 403]);
        expect([url, (await get(url, cookies.get('booking_desk'))).statusCode]).toEqual([url, 403]);
        expect([url, (await get(url, memberCookie)).statusCode]).toEqual([url, 401]);
        expect([url, (await get(url, '')).statusCode]).toEqual([url, 401]);
        expect([url, (await get(url, cookies.get('auditor'))).statusCode]).toEqual([url, 200]);
      }
    }
  });
});
