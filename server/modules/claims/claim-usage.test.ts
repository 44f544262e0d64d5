import { describe, expect, it } from 'vitest';
import {
  DECIDED_STATES,
  familyUsage,
  IN_REVIEW_STATES,
  type StatedUsageLine,
  usageIn,
} from './claim-usage.js';

const line = (over: Partial<StatedUsageLine>): StatedUsageLine => ({
  state: 'approved',
  beneficiary_id: 'luca',
  category: 'fisioterapia',
  invoice_date: '2026-03-10',
  estimated_cents: 10_000,
  accepted_cents: null,
  ...over,
});

describe("a family's usage of its caps, from its claims' lines", () => {
  const lines = [
    line({ state: 'approved', accepted_cents: 8_000 }),
    line({ state: 'paid', beneficiary_id: 'mario', category: 'odontoiatria', accepted_cents: 20_000 }),
    line({ state: 'in_review', estimated_cents: 5_000 }),
    line({ state: 'needs_documents', beneficiary_id: 'mario', estimated_cents: 1_000 }),
    // Another year: its date counts (frequency limits), its cents do not.
    line({ state: 'approved', invoice_date: '2025-12-30', accepted_cents: 9_999 }),
    // Not yet complete rows are skipped.
    line({ state: 'submitted', category: null }),
  ];

  it('counts accepted amounts once decided, estimates before, cents of the plan year only', () => {
    const usage = familyUsage('fam', 2026, lines);
    expect(usage.familyTotalCents).toBe(8_000 + 20_000 + 5_000 + 1_000);
    expect(usage.persons.luca?.byCategoryCents.fisioterapia).toBe(13_000);
    expect(usage.persons.luca?.acceptedInvoiceDates.fisioterapia).toEqual([
      '2026-03-10',
      '2026-03-10',
      '2025-12-30',
    ]);
  });

  it('counts a line without an estimate (a decided line as the back office reads it) by its accepted amount only', () => {
    const usage = familyUsage('fam', 2026, [
      { beneficiary_id: 'luca', category: 'fisioterapia', invoice_date: '2026-03-10', accepted_cents: 7_000 },
      { beneficiary_id: 'luca', category: 'fisioterapia', invoice_date: '2026-03-11', accepted_cents: null },
    ]);
    expect(usage.familyTotalCents).toBe(7_000);
  });

  it('keeps decided claims and claims in review apart', () => {
    const decided = usageIn(DECIDED_STATES, 'fam', 2026, lines);
    const inReview = usageIn(IN_REVIEW_STATES, 'fam', 2026, lines);
    expect(decided.familyTotalCents).toBe(28_000);
    expect(decided.persons.mario?.totalCents).toBe(20_000);
    expect(inReview.familyTotalCents).toBe(6_000);
    expect(inReview.persons.luca?.totalCents).toBe(5_000);
    expect(inReview.persons.mario?.byCategoryCents.fisioterapia).toBe(1_000);
  });
});
