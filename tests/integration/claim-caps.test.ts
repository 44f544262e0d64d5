import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapStatus, CapsResponse } from '#contracts/claim-caps.js';
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

const CAPS = '/api/v1/claims/caps';

describe("the member's live caps on the dashboard", () => {
  let t: TestApp;
  const clock = new ManualClock('2026-06-10T08:00:00.000Z');
  let ids: Map<string, string>;
  let planId = '';
  const cookies = new Map<string, string>();
  const accounts = new Map<string, string>();

  const caps = async (who: string): Promise<CapsResponse> => {
    const res = await t.app.inject({ url: CAPS, headers: { ...ORIGIN, cookie: cookies.get(who) ?? '' } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const person = (body: CapsResponse, key: string) => body.persons.find((p) => p.id === ids.get(key));
  const cap = (caps: CapStatus[] | undefined, category: CapStatus['category']) =>
    caps?.find((c) => c.category === category);

  /** A claim of the Demo family sent for `beneficiary` today. */
  const claim = (
    beneficiary: string,
    category: ClaimSeed['category'],
    estimatedCents: number,
    invoiceDate = '2026-05-20',
  ) =>
    insertSubmittedClaim(t.app, {
      accountId: accounts.get('mario') as string,
      familyId: ids.get('mario') as string,
      beneficiaryId: ids.get(beneficiary) as string,
      planId,
      category,
      submittedAt: clock.now().toISOString(),
      lines: [{ invoiceDate, amountCents: estimatedCents * 2, estimatedCents }],
    });

  beforeAll(async () => {
    t = await buildTestApp({ clock });
    await seedDemoRegistry(t.app.db, t.app.dialect, clock);
    ({ planId, ids } = await demoRegistryIds(t.app));
    for (const key of ['mario', 'luca', 'anna']) {
      const account = await memberWithSession(t.app, ids.get(key) as string, clock.now());
      accounts.set(key, account.id);
      cookies.set(key, account.cookie);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[holder] sees every covered person of the family and the family, nothing used yet', async () => {
    const body = await caps('mario');
    expect(body.plan).toEqual({ code: 'ONECARE-DEMO', year: 2026 });
    expect(body.persons.map((p) => `${p.givenName} ${p.surname}${p.self ? ' (self)' : ''}`)).toEqual([
      'Mario Demo (self)',
      'Giulia Prova',
      'Luca Demo',
      'Sofia Demo',
    ]);
    // The demo plan: 5.000 € a year for the family; per-person sub-caps for physiotherapy, dental care, lenses.
    expect(body.family).toEqual({
      usedCents: 0,
      inReviewCents: 0,
      caps: [
        {
          category: null,
          label: null,
          scope: 'family',
          capCents: 500_000,
          usedCents: 0,
          leftCents: 500_000,
          inReviewCents: 0,
        },
      ],
    });
    expect(person(body, 'luca')?.caps).toEqual([
      {
        category: 'fisioterapia',
        label: { it: 'Fisioterapia', en: 'Physiotherapy' },
        scope: 'person',
        capCents: 80_000,
        usedCents: 0,
        leftCents: 80_000,
        inReviewCents: 0,
      },
      expect.objectContaining({ category: 'odontoiatria', capCents: 100_000, leftCents: 100_000 }),
      expect.objectContaining({ category: 'lenti', capCents: 15_000, leftCents: 15_000 }),
    ]);
  });

  it('[holder] an approved claim lowers what is left; a claim in review shows apart; rejected and cancelled do not count', async () => {
    const approved = await claim('luca', 'fisioterapia', 30_000);
    await driveClaim(t.app, approved, { to: 'approved', by: 'staff', acceptedCents: [25_000] }, clock);
    const paid = await claim('luca', 'fisioterapia', 10_000);
    await driveClaim(t.app, paid, { to: 'approved', by: 'system' }, clock);
    await driveClaim(t.app, paid, { to: 'paid', paidOn: '2026-06-12' }, clock);
    await driveClaim(t.app, await claim('luca', 'odontoiatria', 12_000), { to: 'in_review' }, clock);
    await driveClaim(t.app, await claim('giulia', 'lenti', 9_000), { to: 'needs_documents' }, clock);
    await claim('mario', 'visite_specialistiche', 4_000);
    await driveClaim(
      t.app,
      await claim('luca', 'fisioterapia', 7_000),
      { to: 'rejected', by: 'staff' },
      clock,
    );
    const cancelled = await claim('luca', 'fisioterapia', 5_000);
    await t.app.claims.transition(cancelled, 'cancelled', 'member');
    // Accepted on an invoice of the year before: not this plan year's money.
    await driveClaim(
      t.app,
      await claim('luca', 'fisioterapia', 6_000, '2025-11-30'),
      { to: 'approved', by: 'staff' },
      clock,
    );

    const body = await caps('mario');
    const luca = person(body, 'luca');
    expect(cap(luca?.caps, 'fisioterapia')).toMatchObject({
      usedCents: 35_000,
      leftCents: 45_000,
      inReviewCents: 0,
    });
    expect(cap(luca?.caps, 'odontoiatria')).toMatchObject({
      usedCents: 0,
      leftCents: 100_000,
      inReviewCents: 12_000,
    });
    expect(luca).toMatchObject({ usedCents: 35_000, inReviewCents: 12_000 });
    expect(cap(person(body, 'giulia')?.caps, 'lenti')).toMatchObject({ usedCents: 0, inReviewCents: 9_000 });
    expect(person(body, 'mario')).toMatchObject({ usedCents: 0, inReviewCents: 4_000 });
    expect(body.family).toMatchObject({ usedCents: 35_000, inReviewCents: 25_000 });
    expect(cap(body.family.caps, null)).toMatchObject({
      capCents: 500_000,
      usedCents: 35_000,
      leftCents: 465_000,
      inReviewCents: 25_000,
    });
  });

  it('[dependant] an adult child with an account of his own sees himself and the family totals only', async () => {
    const body = await caps('luca');
    expect(body.persons.map((p) => [p.givenName, p.self])).toEqual([['Luca', true]]);
    expect(cap(body.persons[0]?.caps, 'fisioterapia')).toMatchObject({ usedCents: 35_000 });
    expect(cap(body.family.caps, null)).toMatchObject({ usedCents: 35_000, inReviewCents: 25_000 });
  });

  it("[member of another family] sees their own family's numbers and nothing of the Demo family", async () => {
    const res = await t.app.inject({ url: CAPS, headers: { ...ORIGIN, cookie: cookies.get('anna') ?? '' } });
    expect(res.statusCode).toBe(200);
    const body: CapsResponse = res.json();
    expect(body.persons.map((p) => p.givenName)).toEqual(['Paolo', 'Anna', 'Marco']);
    expect(body.family).toMatchObject({ usedCents: 0, inReviewCents: 0 });
    for (const key of ['mario', 'giulia', 'luca', 'sofia']) expect(res.body).not.toContain(ids.get(key));
    expect(res.body).not.toContain('Demo');
  });

  it('[visitor] is asked to log in', async () => {
    expect((await t.app.inject({ url: CAPS, headers: ORIGIN })).statusCode).toBe(401);
  });
});
