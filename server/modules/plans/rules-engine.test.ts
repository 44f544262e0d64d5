import fc from 'fast-check';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  Assessment,
  CATEGORY_CODES,
  CATEGORY_LABELS,
  type CategoryCode,
  type CategoryRules,
  CHANNELS,
  type ChannelRules,
  type ClaimLine,
  PlanRules,
  type Usage,
} from '#contracts/plans.js';
import {
  applyPercent,
  assessClaim,
  type ClaimToAssess,
  capsLeft,
  DEMO_PLAN_RULES,
  emptyUsage,
  formatEuro,
} from './rules-engine.js';

const FAMILY = 'fam-rossi';
const MARIO = 'mario';
const ANNA = 'anna';

let counter = 0;
function line(
  fields: Partial<ClaimLine> & Pick<ClaimLine, 'category' | 'channel' | 'amountCents'>,
): ClaimLine {
  counter += 1;
  return { id: `l${counter}`, invoiceDate: '2026-02-10', ...fields };
}

function claim(lines: ClaimLine[], submittedOn = '2026-03-01', beneficiaryId = MARIO): ClaimToAssess {
  return { beneficiaryId, familyId: FAMILY, submittedOn, lines };
}

/** One line on the demo plan with nothing used yet. */
function one(fields: Parameters<typeof line>[0], usage: Usage = emptyUsage(FAMILY)) {
  const result = assessClaim(DEMO_PLAN_RULES, claim([line(fields)]), usage);
  const [first] = result.lines;
  if (!first) throw new Error('no line');
  return first;
}

const visit = (amountCents: number, more: Partial<ClaimLine> = {}) =>
  ({
    category: 'visite_specialistiche',
    channel: 'out_of_network',
    amountCents,
    hasPrescription: true,
    ...more,
  }) as const;

function usageOf(fields: {
  family?: number;
  familyByCategory?: Partial<Record<CategoryCode, number>>;
  persons?: Usage['persons'];
}): Usage {
  return {
    familyId: FAMILY,
    familyTotalCents: fields.family ?? 0,
    familyByCategoryCents: fields.familyByCategory ?? {},
    persons: fields.persons ?? {},
  };
}

describe('applyPercent (basis points, half up)', () => {
  it.each([
    [12_000, 2000, 2400],
    [1005, 1000, 101], // 100,5 cents → 101
    [1004, 1000, 100], // 100,4 cents → 100
    [1015, 1000, 102], // 101,5 → 102 (half up, not half even)
    [1, 5000, 1], // half a cent → 1
    [1, 4999, 0],
    [3, 5000, 2], // 1,5 → 2
    [100, 1250, 13], // 12,5% of 1 € = 12,5 cents → 13
    [0, 2000, 0],
    [3615, 0, 0],
    [3615, 10_000, 3615],
    [Number.MAX_SAFE_INTEGER, 5000, 4_503_599_627_370_496],
    [Number.MAX_SAFE_INTEGER, 10_000, Number.MAX_SAFE_INTEGER],
  ])('%i cents × %i bp = %i', (cents, bp, expected) => {
    expect(applyPercent(cents, bp)).toBe(expected);
  });

  it('refuses fractions of a cent, negative amounts and percentages out of range', () => {
    expect(() => applyPercent(10.5, 2000)).toThrow(RangeError);
    expect(() => applyPercent(-1, 2000)).toThrow(RangeError);
    expect(() => applyPercent(100, 10_001)).toThrow(RangeError);
    expect(() => applyPercent(100, 20.5)).toThrow(RangeError);
  });

  it('matches exact rational arithmetic for any amount and percentage', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 0, max: 10_000 }), (cents, bp) => {
        const exact = (BigInt(cents) * BigInt(bp) + 5000n) / 10_000n;
        expect(applyPercent(cents, bp)).toBe(Number(exact));
      }),
    );
  });
});

describe('formatEuro', () => {
  it.each([
    [123_456, '1.234,56 €'],
    [3615, '36,15 €'],
    [5, '0,05 €'],
    [0, '0,00 €'],
    [100_000_000, '1.000.000,00 €'],
    [99_999, '999,99 €'],
  ])('%i → %s', (cents, text) => {
    expect(formatEuro(cents)).toBe(text);
  });
});

describe('co-insurance, minimum, deductible (demo plan)', () => {
  it('[member] out of network 80% with a 50 € minimum: 120 € → 70 € accepted, 50 € left to the member', () => {
    const result = one(visit(12_000));
    expect(result).toMatchObject({
      acceptedCents: 7000,
      memberShareCents: 5000,
      reason: 'partially_accepted_coinsurance',
    });
    expect(result.breakdown).toEqual({
      coinsuranceCents: 5000,
      deductibleCents: 0,
      otherFundCents: 0,
      overCapCents: 0,
      refusedCents: 0,
    });
    expect(result.explanation.it).toEqual([
      'Spesa 120,00 €; scoperto 20% con minimo 50,00 € per fattura: restano a tuo carico 50,00 €; rimborsabile 70,00 €.',
      'Rimborso riconosciuto: 70,00 €; a tuo carico: 50,00 €.',
    ]);
    expect(result.explanation.en).toEqual([
      'Expense 120,00 €; co-insurance 20% with a minimum of 50,00 € per invoice: 50,00 € is left to you; reimbursable 70,00 €.',
      'Reimbursement accepted: 70,00 €; left to you: 50,00 €.',
    ]);
  });

  it('[member] 400 € out of network → 320 € (20% is above the minimum)', () => {
    expect(one(visit(40_000))).toMatchObject({ acceptedCents: 32_000, memberShareCents: 8000 });
  });

  it('[member] exactly where 20% meets the minimum: 250 € → 200 €', () => {
    expect(one(visit(25_000))).toMatchObject({ acceptedCents: 20_000, memberShareCents: 5000 });
  });

  it('[member] an invoice under the minimum gets nothing: 40 € → 0, zero_after_minimum', () => {
    const result = one(visit(4000));
    expect(result).toMatchObject({ acceptedCents: 0, memberShareCents: 4000, reason: 'zero_after_minimum' });
    expect(result.breakdown.coinsuranceCents).toBe(4000);
    expect(result.explanation.it[0]).toContain('rimborsabile 0,00 €');
  });

  it('[member] SSN ticket 100%: 36,15 € → 36,15 €', () => {
    const result = one({ category: 'ticket_ssn', channel: 'ssn_ticket', amountCents: 3615 });
    expect(result).toMatchObject({ acceptedCents: 3615, memberShareCents: 0, reason: 'accepted' });
    expect(result.explanation.it[0]).toBe('Spesa 36,15 €: rimborsabile al 100%.');
    expect(result.explanation.en[0]).toBe('Expense 36,15 €: reimbursable in full (100%).');
  });

  it('[member] network visit with a 20 € deductible per visit: 100 € → 80 €', () => {
    const result = one(visit(10_000, { channel: 'network' }));
    expect(result).toMatchObject({
      acceptedCents: 8000,
      memberShareCents: 2000,
      reason: 'partially_accepted_deductible',
    });
    expect(result.breakdown.deductibleCents).toBe(2000);
    expect(result.explanation.it).toContain('Franchigia per visita 20,00 €: rimborsabile 80,00 €.');
    expect(result.explanation.en).toContain('Deductible per visit 20,00 €: reimbursable 80,00 €.');
  });

  it('[member] a network visit cheaper than the deductible: zero_after_deductible', () => {
    expect(one(visit(1500, { channel: 'network' }))).toMatchObject({
      acceptedCents: 0,
      memberShareCents: 1500,
      reason: 'zero_after_deductible',
    });
  });

  it('[member] network diagnostics without deductible are paid in full', () => {
    expect(
      one({
        category: 'accertamenti_diagnostici',
        channel: 'network',
        amountCents: 8550,
        hasPrescription: true,
      }),
    ).toMatchObject({ acceptedCents: 8550, memberShareCents: 0, reason: 'accepted' });
  });

  it('rounds the scoperto half up at half a cent', () => {
    const rules: PlanRules = {
      year: 2026,
      annualCap: { cents: 1_000_000, scope: 'family' },
      categories: {
        fisioterapia: {
          label: CATEGORY_LABELS.fisioterapia,
          channels: { out_of_network: channelRules({ coinsuranceBasisPoints: 1000 }) },
        },
      },
    };
    const lines = [
      line({ category: 'fisioterapia', channel: 'out_of_network', amountCents: 1005 }), // 10% = 100,5 → 101
      line({ category: 'fisioterapia', channel: 'out_of_network', amountCents: 1004 }), // 10% = 100,4 → 100
    ];
    const result = assessClaim(rules, claim(lines), emptyUsage(FAMILY));
    expect(result.lines.map((l) => [l.acceptedCents, l.memberShareCents])).toEqual([
      [904, 101],
      [904, 100],
    ]);
    expect(result.lines[0]?.explanation.it[0]).toBe(
      'Spesa 10,05 €; scoperto 10%: restano a tuo carico 1,01 €; rimborsabile 9,04 €.',
    );
  });

  it('writes fractional percentages the way each language does', () => {
    const rules: PlanRules = {
      year: 2026,
      annualCap: { cents: 1_000_000, scope: 'family' },
      categories: {
        fisioterapia: {
          label: CATEGORY_LABELS.fisioterapia,
          channels: { out_of_network: channelRules({ coinsuranceBasisPoints: 1250 }) },
        },
      },
    };
    const [result] = assessClaim(
      rules,
      claim([line({ category: 'fisioterapia', channel: 'out_of_network', amountCents: 10_000 })]),
      emptyUsage(FAMILY),
    ).lines;
    expect(result?.acceptedCents).toBe(8750);
    expect(result?.explanation.it[0]).toContain('scoperto 12,5%');
    expect(result?.explanation.en[0]).toContain('co-insurance 12.5%');
  });

  it('[member] explanations show Italian money with thousands in both languages', () => {
    const result = one(visit(154_320)); // 20% = 308,64 €, above the minimum
    expect(result.acceptedCents).toBe(123_456);
    expect(result.explanation.it[0]).toBe(
      'Spesa 1.543,20 €; scoperto 20% con minimo 50,00 € per fattura: restano a tuo carico 308,64 €; rimborsabile 1.234,56 €.',
    );
    expect(result.explanation.en.at(-1)).toBe('Reimbursement accepted: 1.234,56 €; left to you: 308,64 €.');
  });
});

describe('another fund already paid part', () => {
  it('[member] takes what the other fund paid off what is reimbursable: 200 € − 50 € − 100 € = 50 €', () => {
    const result = one(visit(20_000, { paidByOtherFundCents: 10_000 }));
    expect(result).toMatchObject({
      acceptedCents: 5000,
      memberShareCents: 15_000,
      reason: 'partially_accepted_coinsurance',
    });
    expect(result.breakdown).toMatchObject({ coinsuranceCents: 5000, otherFundCents: 10_000 });
    expect(result.explanation.it).toEqual([
      'Spesa 200,00 €; scoperto 20% con minimo 50,00 € per fattura: restano a tuo carico 50,00 €; rimborsabile 150,00 €.',
      'Già pagati da un altro fondo 100,00 €: rimborsabile 50,00 €.',
      'Rimborso riconosciuto: 50,00 €; non rimborsati da questo piano: 150,00 €, di cui 100,00 € già pagati da un altro fondo.',
    ]);
    expect(result.explanation.en[1]).toBe('Already paid by another fund 100,00 €: reimbursable 50,00 €.');
  });

  it('[member] when the other fund paid more than is reimbursable, nothing is left: paid_by_other_fund', () => {
    const result = one(visit(12_000, { paidByOtherFundCents: 12_000 }));
    expect(result).toMatchObject({
      acceptedCents: 0,
      memberShareCents: 12_000,
      reason: 'paid_by_other_fund',
    });
    expect(result.breakdown).toMatchObject({ coinsuranceCents: 5000, otherFundCents: 7000 });
  });

  it('[member] an SSN ticket partly paid elsewhere: partially_accepted_other_fund', () => {
    const result = one({
      category: 'ticket_ssn',
      channel: 'ssn_ticket',
      amountCents: 3615,
      paidByOtherFundCents: 1000,
    });
    expect(result).toMatchObject({ acceptedCents: 2615, reason: 'partially_accepted_other_fund' });
  });

  it('an amount declared above the invoice counts as the invoice', () => {
    const result = one({
      category: 'ticket_ssn',
      channel: 'ssn_ticket',
      amountCents: 3615,
      paidByOtherFundCents: 9999,
    });
    expect(result).toMatchObject({ acceptedCents: 0, memberShareCents: 3615 });
    expect(result.explanation.it.at(-1)).toContain('di cui 36,15 € già pagati da un altro fondo');
  });
});

describe('caps', () => {
  it('[member] the third invoice crosses the family cap: cut to what is left, cap_reached for the rest', () => {
    // Anna (spouse) already used 4.300 € of the 5.000 € family cap; Mario sends three 400 € invoices.
    const usage = usageOf({
      family: 430_000,
      persons: { [ANNA]: { totalCents: 430_000, byCategoryCents: {}, acceptedInvoiceDates: {} } },
    });
    const lines = [visit(40_000), visit(40_000), visit(40_000), visit(40_000)].map((l) => line(l));
    const result = assessClaim(DEMO_PLAN_RULES, claim(lines), usage);
    expect(result.lines.map((l) => [l.acceptedCents, l.memberShareCents, l.reason])).toEqual([
      [32_000, 8000, 'partially_accepted_coinsurance'],
      [32_000, 8000, 'partially_accepted_coinsurance'],
      [6000, 34_000, 'cap_reached'],
      [0, 40_000, 'cap_reached'],
    ]);
    expect(result.lines[2]?.breakdown).toMatchObject({ coinsuranceCents: 8000, overCapCents: 26_000 });
    expect(result.lines[2]?.explanation.it).toContain(
      'Massimale annuo del nucleo familiare di 5.000,00 €: ne restano 60,00 €, quindi rimborsabile 60,00 €; gli altri 260,00 € restano a tuo carico.',
    );
    expect(result.lines[2]?.explanation.en).toContain(
      'Family annual cap of 5.000,00 €: 60,00 € left, so reimbursable 60,00 €; the other 260,00 € is left to you.',
    );
    expect(result.lines[3]?.explanation.it).toContain(
      'Massimale annuo del nucleo familiare di 5.000,00 € esaurito: nessun rimborso per questa fattura.',
    );
    expect(result.totals).toEqual({ amountCents: 160_000, acceptedCents: 70_000, memberShareCents: 90_000 });
    expect(result.usageAfter.familyTotalCents).toBe(500_000);
    expect(result.usageAfter.persons[MARIO]?.totalCents).toBe(70_000);
    expect(result.usageAfter.persons[MARIO]?.acceptedInvoiceDates.visite_specialistiche).toHaveLength(3);
  });

  it('[member] a cap per person ignores what the rest of the family used; a family cap does not', () => {
    const perPerson: PlanRules = { ...DEMO_PLAN_RULES, annualCap: { cents: 100_000, scope: 'person' } };
    const perFamily: PlanRules = { ...DEMO_PLAN_RULES, annualCap: { cents: 100_000, scope: 'family' } };
    const usage = usageOf({
      family: 90_000,
      persons: { [ANNA]: { totalCents: 90_000, byCategoryCents: {}, acceptedInvoiceDates: {} } },
    });
    const lines = [line(visit(40_000))];
    expect(assessClaim(perPerson, claim(lines), usage).lines[0]).toMatchObject({
      acceptedCents: 32_000,
      reason: 'partially_accepted_coinsurance',
    });
    expect(assessClaim(perFamily, claim(lines), usage).lines[0]).toMatchObject({
      acceptedCents: 10_000,
      reason: 'cap_reached',
    });
    // …and Anna herself, under the per-person cap, has only 100 € left.
    const anna = assessClaim(perPerson, claim(lines, '2026-03-01', ANNA), usage).lines[0];
    expect(anna).toMatchObject({ acceptedCents: 10_000, reason: 'cap_reached' });
    expect(anna?.explanation.en).toContain(
      'Annual cap per person of 1.000,00 €: 100,00 € left, so reimbursable 100,00 €; the other 220,00 € is left to you.',
    );
  });

  it('[member] the dental sub-cap (1.000 € per person) cuts the line before the annual cap does', () => {
    const usage = usageOf({
      family: 90_000,
      familyByCategory: { odontoiatria: 90_000 },
      persons: {
        [MARIO]: { totalCents: 90_000, byCategoryCents: { odontoiatria: 90_000 }, acceptedInvoiceDates: {} },
      },
    });
    const result = one({ category: 'odontoiatria', channel: 'out_of_network', amountCents: 50_000 }, usage);
    expect(result).toMatchObject({
      acceptedCents: 10_000,
      memberShareCents: 40_000,
      reason: 'subcap_reached',
    });
    expect(result.breakdown.overCapCents).toBe(30_000);
    expect(result.explanation.it).toContain(
      'Sottomassimale «Odontoiatria» per persona di 1.000,00 €: ne restano 100,00 €, quindi rimborsabile 100,00 €; gli altri 300,00 € restano a tuo carico.',
    );
    // Anna's dental usage does not touch Mario's per-person sub-cap.
    const annaUsage = usageOf({
      family: 90_000,
      familyByCategory: { odontoiatria: 90_000 },
      persons: {
        [ANNA]: { totalCents: 90_000, byCategoryCents: { odontoiatria: 90_000 }, acceptedInvoiceDates: {} },
      },
    });
    expect(
      one({ category: 'odontoiatria', channel: 'out_of_network', amountCents: 50_000 }, annaUsage),
    ).toMatchObject({
      acceptedCents: 40_000,
      reason: 'partially_accepted_coinsurance',
    });
  });

  it('[member] a family sub-cap counts the whole family', () => {
    const rules: PlanRules = {
      ...DEMO_PLAN_RULES,
      categories: {
        odontoiatria: {
          label: CATEGORY_LABELS.odontoiatria,
          channels: {
            out_of_network: channelRules({ coinsuranceBasisPoints: 2000, minimumPerInvoiceCents: 5000 }),
          },
          subCap: { cents: 150_000, scope: 'family' },
        },
      },
    };
    const usage = usageOf({
      family: 140_000,
      familyByCategory: { odontoiatria: 140_000 },
      persons: {
        [ANNA]: { totalCents: 140_000, byCategoryCents: { odontoiatria: 140_000 }, acceptedInvoiceDates: {} },
      },
    });
    const [result] = assessClaim(
      rules,
      claim([line({ category: 'odontoiatria', channel: 'out_of_network', amountCents: 50_000 })]),
      usage,
    ).lines;
    expect(result).toMatchObject({ acceptedCents: 10_000, reason: 'subcap_reached' });
    expect(result?.explanation.en).toContain(
      'Family sub-cap for Dental care of 1.500,00 €: 100,00 € left, so reimbursable 100,00 €; the other 300,00 € is left to you.',
    );
  });

  it('[member] when the sub-cap and the annual cap have the same left, the annual cap is named', () => {
    const usage = usageOf({
      family: 490_000,
      familyByCategory: { odontoiatria: 90_000 },
      persons: {
        [MARIO]: { totalCents: 90_000, byCategoryCents: { odontoiatria: 90_000 }, acceptedInvoiceDates: {} },
      },
    });
    expect(
      one({ category: 'odontoiatria', channel: 'out_of_network', amountCents: 50_000 }, usage).reason,
    ).toBe('cap_reached');
  });

  it('a cap already overrun (lowered during the year) leaves nothing, never a negative amount', () => {
    const usage = usageOf({ family: 600_000 });
    expect(one(visit(40_000), usage)).toMatchObject({
      acceptedCents: 0,
      memberShareCents: 40_000,
      reason: 'cap_reached',
    });
  });

  it('[member] capsLeft shows what is left of the annual cap and of each sub-cap', () => {
    const usage = usageOf({
      family: 120_000,
      familyByCategory: { odontoiatria: 30_000 },
      persons: {
        [MARIO]: { totalCents: 30_000, byCategoryCents: { odontoiatria: 30_000 }, acceptedInvoiceDates: {} },
      },
    });
    const caps = capsLeft(DEMO_PLAN_RULES, usage, MARIO);
    expect(caps.annual).toEqual({
      scope: 'family',
      capCents: 500_000,
      usedCents: 120_000,
      leftCents: 380_000,
    });
    expect(caps.subCaps.odontoiatria).toEqual({
      scope: 'person',
      capCents: 100_000,
      usedCents: 30_000,
      leftCents: 70_000,
    });
    expect(caps.subCaps.lenti?.leftCents).toBe(15_000);
    expect(caps.subCaps.visite_specialistiche).toBeUndefined();
  });
});

describe('refusals', () => {
  it('[member] prescription missing for a specialist visit: nothing accepted', () => {
    const result = one(visit(12_000, { hasPrescription: false }));
    expect(result).toMatchObject({
      acceptedCents: 0,
      memberShareCents: 12_000,
      reason: 'prescription_missing',
    });
    expect(result.breakdown.refusedCents).toBe(12_000);
    expect(result.explanation.it[0]).toBe(
      '«Visite specialistiche»: il piano chiede la prescrizione medica con la diagnosi o il sospetto diagnostico, che non risulta allegata.',
    );
    expect(one({ category: 'fisioterapia', channel: 'network', amountCents: 5000 }).reason).toBe(
      'prescription_missing',
    );
  });

  it('[member] dental care needs no prescription', () => {
    expect(one({ category: 'odontoiatria', channel: 'out_of_network', amountCents: 12_000 })).toMatchObject({
      acceptedCents: 7000,
    });
  });

  it('[member] sent 120 days after the invoice: accepted; 121 days: deadline_passed', () => {
    const invoice = visit(12_000, { invoiceDate: '2026-01-01' });
    const onTime = assessClaim(DEMO_PLAN_RULES, claim([line(invoice)], '2026-05-01'), emptyUsage(FAMILY));
    expect(onTime.lines[0]?.acceptedCents).toBe(7000);
    const late = assessClaim(DEMO_PLAN_RULES, claim([line(invoice)], '2026-05-02'), emptyUsage(FAMILY));
    expect(late.lines[0]).toMatchObject({ acceptedCents: 0, reason: 'deadline_passed' });
    expect(late.lines[0]?.explanation.it[0]).toBe(
      "Fattura del 01/01/2026 inviata il 02/05/2026, dopo 121 giorni: il piano chiede l'invio entro 120 giorni dalla data della fattura.",
    );
    expect(late.lines[0]?.explanation.en[0]).toBe(
      'Invoice of 01/01/2026 sent on 02/05/2026, after 121 days: the plan requires sending within 120 days of the invoice date.',
    );
  });

  it('[member] lenses once every 2 years: a second pair within 2 years is refused', () => {
    const usage = usageOf({
      persons: {
        [MARIO]: { totalCents: 0, byCategoryCents: {}, acceptedInvoiceDates: { lenti: ['2025-03-10'] } },
      },
    });
    const result = one({ category: 'lenti', channel: 'out_of_network', amountCents: 18_000 }, usage);
    expect(result).toMatchObject({ acceptedCents: 0, reason: 'frequency_limit' });
    expect(result.explanation.it[0]).toBe(
      '«Lenti correttive»: il piano rimborsa una volta ogni 2 anni; risulta già rimborsata la spesa del 10/03/2025.',
    );
    expect(result.explanation.en[0]).toBe(
      'Corrective lenses: the plan reimburses once every 2 years; the expense of 10/03/2025 was already reimbursed.',
    );
  });

  it('[member] lenses two years to the day after the last pair are reimbursed, up to the 150 € sub-cap', () => {
    const usage = usageOf({
      persons: {
        [MARIO]: { totalCents: 0, byCategoryCents: {}, acceptedInvoiceDates: { lenti: ['2024-03-10'] } },
      },
    });
    const lenses = { category: 'lenti', channel: 'out_of_network', amountCents: 18_000 } as const;
    const onTheDay = assessClaim(
      DEMO_PLAN_RULES,
      claim([line({ ...lenses, invoiceDate: '2026-03-10' })], '2026-03-20'),
      usage,
    );
    expect(onTheDay.lines[0]).toMatchObject({ acceptedCents: 15_000, reason: 'subcap_reached' });
    expect(onTheDay.lines[0]?.explanation.it).toContain(
      'Sottomassimale «Lenti correttive» per persona di 150,00 €: ne restano 150,00 €, quindi rimborsabile 150,00 €; gli altri 30,00 € restano a tuo carico.',
    );
    const tooEarly = assessClaim(
      DEMO_PLAN_RULES,
      claim([line({ ...lenses, invoiceDate: '2026-03-09' })], '2026-03-20'),
      usage,
    );
    expect(tooEarly.lines[0]?.reason).toBe('frequency_limit');
  });

  it('[member] two pairs of lenses in one claim: the second is refused', () => {
    const lenses = { category: 'lenti', channel: 'out_of_network', amountCents: 9000 } as const;
    const result = assessClaim(
      DEMO_PLAN_RULES,
      claim([line({ ...lenses, invoiceDate: '2026-02-01' }), line({ ...lenses, invoiceDate: '2026-02-20' })]),
      emptyUsage(FAMILY),
    );
    expect(result.lines.map((l) => [l.acceptedCents, l.reason])).toEqual([
      [9000, 'accepted'],
      [0, 'frequency_limit'],
    ]);
    expect(result.usageAfter.persons[MARIO]?.acceptedInvoiceDates.lenti).toEqual(['2026-02-01']);
  });

  it('[member] a category the plan does not cover, and a channel it does not cover', () => {
    const drugs = one({ category: 'farmaci', channel: 'out_of_network', amountCents: 2500 });
    expect(drugs).toMatchObject({ acceptedCents: 0, memberShareCents: 2500, reason: 'not_covered' });
    expect(drugs.explanation.it[0]).toBe('Il piano non copre «Farmaci».');
    expect(drugs.explanation.en[0]).toBe('The plan does not cover Medicines.');
    const lensesTicket = one({ category: 'lenti', channel: 'ssn_ticket', amountCents: 2500 });
    expect(lensesTicket.reason).toBe('not_covered');
    expect(lensesTicket.explanation.it[0]).toBe('Il piano non copre «Lenti correttive» come ticket SSN.');
    expect(lensesTicket.explanation.en[0]).toBe(
      'The plan does not cover Corrective lenses as an SSN ticket.',
    );
  });

  it('[member] an invoice from another year belongs to that year’s plan', () => {
    const result = one(visit(12_000, { invoiceDate: '2025-12-20' }));
    expect(result).toMatchObject({ acceptedCents: 0, reason: 'outside_plan_year' });
    expect(result.explanation.it[0]).toBe(
      "Fattura del 20/12/2025: questo piano copre le spese del 2026; va chiesta sul piano di quell'anno.",
    );
  });

  it('[member] an invoice dated after the claim was sent is refused', () => {
    expect(one(visit(12_000, { invoiceDate: '2026-03-02' })).reason).toBe('invoice_after_submission');
  });

  it('refused lines consume nothing', () => {
    const result = assessClaim(
      DEMO_PLAN_RULES,
      claim([line(visit(12_000, { hasPrescription: false }))]),
      emptyUsage(FAMILY),
    );
    expect(result.usageAfter).toEqual(emptyUsage(FAMILY));
  });
});

describe('input and usage', () => {
  it('does not modify the usage it is given', () => {
    const usage = usageOf({
      family: 1000,
      persons: {
        [MARIO]: { totalCents: 1000, byCategoryCents: { lenti: 1000 }, acceptedInvoiceDates: { lenti: [] } },
      },
    });
    const before = structuredClone(usage);
    assessClaim(DEMO_PLAN_RULES, claim([line(visit(12_000))]), usage);
    expect(usage).toEqual(before);
  });

  it('refuses usage of another family, fractional cents and malformed dates', () => {
    expect(() => assessClaim(DEMO_PLAN_RULES, claim([]), emptyUsage('other'))).toThrow(RangeError);
    expect(() => one(visit(120.5))).toThrow(RangeError);
    expect(() => one(visit(-100))).toThrow(RangeError);
    expect(() => one(visit(12_000, { invoiceDate: '2026-02-30' }))).toThrow(RangeError);
    expect(() => assessClaim(DEMO_PLAN_RULES, claim([], '1/3/2026'), emptyUsage(FAMILY))).toThrow(RangeError);
  });

  it('an empty claim has zero totals', () => {
    expect(assessClaim(DEMO_PLAN_RULES, claim([]), emptyUsage(FAMILY)).totals).toEqual({
      amountCents: 0,
      acceptedCents: 0,
      memberShareCents: 0,
    });
  });
});

describe('schema', () => {
  it('the demo plan is a valid plan', () => {
    expect(Value.Check(PlanRules, DEMO_PLAN_RULES)).toBe(true);
  });

  it('is strict: unknown fields, categories and out-of-range percentages are rejected', () => {
    const plan = structuredClone(DEMO_PLAN_RULES);
    expect(Value.Check(PlanRules, { ...plan, extra: 1 })).toBe(false);
    expect(
      Value.Check(PlanRules, { ...plan, categories: { ...plan.categories, gym: plan.categories.lenti } }),
    ).toBe(false);
    const visits = plan.categories.visite_specialistiche as CategoryRules;
    const oon = visits.channels.out_of_network as ChannelRules;
    expect(
      Value.Check(PlanRules, {
        ...plan,
        categories: {
          visite_specialistiche: {
            ...visits,
            channels: { out_of_network: { ...oon, coinsurancePercent: 20 } },
          },
        },
      }),
    ).toBe(false);
    expect(
      Value.Check(PlanRules, {
        ...plan,
        categories: {
          visite_specialistiche: {
            ...visits,
            channels: { out_of_network: { ...oon, coinsuranceBasisPoints: 10_001 } },
          },
        },
      }),
    ).toBe(false);
    expect(Value.Check(PlanRules, { ...plan, annualCap: { cents: 10.5, scope: 'family' } })).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

function channelRules(fields: Partial<ChannelRules> = {}): ChannelRules {
  return {
    coinsuranceBasisPoints: 0,
    minimumPerInvoiceCents: 0,
    deductiblePerVisitCents: 0,
    prescriptionRequired: false,
    submissionDeadlineDays: 120,
    ...fields,
  };
}

const arbCents = (max: number) => fc.integer({ min: 0, max });
const arbScope = fc.constantFrom('person' as const, 'family' as const);
const arbCategory = fc.constantFrom(...CATEGORY_CODES);
const arbDate = (from: string, to: string) =>
  fc
    .date({ min: new Date(`${from}T00:00:00Z`), max: new Date(`${to}T00:00:00Z`), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));

/** Mostly `common`, sometimes `rare`: random plans and claims should mostly reach the amounts and caps. */
function mostly<T>(common: fc.Arbitrary<T>, rare: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: common, weight: 4 }, { arbitrary: rare, weight: 1 });
}

/** Drops keys whose value is undefined (optional properties are absent, not undefined). */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const arbChannelRules: fc.Arbitrary<ChannelRules> = fc.record({
  coinsuranceBasisPoints: fc.oneof(
    fc.constantFrom(0, 0, 1000, 2000, 2500, 10_000),
    fc.integer({ min: 0, max: 10_000 }),
  ),
  minimumPerInvoiceCents: fc.oneof(fc.constantFrom(0, 0, 5000), arbCents(50_000)),
  deductiblePerVisitCents: fc.oneof(fc.constant(0), arbCents(10_000)),
  prescriptionRequired: fc.boolean(),
  submissionDeadlineDays: mostly(fc.constant(120), fc.integer({ min: 1, max: 400 })),
});

/** `arbitrary` or undefined, undefined once in `freq` times. */
const maybe = <T>(arbitrary: fc.Arbitrary<T>, freq: number) => fc.option(arbitrary, { nil: undefined, freq });

const arbCategoryRules: fc.Arbitrary<CategoryRules> = fc
  .record({
    label: fc.constant({ it: 'Categoria', en: 'Category' }),
    channels: fc
      .record({
        network: maybe(arbChannelRules, 6),
        out_of_network: maybe(arbChannelRules, 6),
        ssn_ticket: maybe(arbChannelRules, 6),
      })
      .map(compact),
    subCap: maybe(fc.record({ cents: arbCents(300_000), scope: arbScope }), 2),
    frequency: maybe(
      fc.record({ times: fc.integer({ min: 1, max: 3 }), everyYears: fc.integer({ min: 1, max: 3 }) }),
      2,
    ),
  })
  .map(compact);

const arbRules: fc.Arbitrary<PlanRules> = fc.record({
  year: fc.constant(2026),
  categories: fc
    .record(
      Object.fromEntries(CATEGORY_CODES.map((code) => [code, maybe(arbCategoryRules, 8)])) as Record<
        CategoryCode,
        fc.Arbitrary<CategoryRules | undefined>
      >,
    )
    .map(compact),
  annualCap: fc.record({ cents: arbCents(1_000_000), scope: arbScope }),
});

const PEOPLE = [MARIO, ANNA, 'luca'];

const arbPersonUsage = fc.record({
  totalCents: mostly(arbCents(100_000), arbCents(600_000)),
  byCategoryCents: fc.dictionary(arbCategory, mostly(arbCents(30_000), arbCents(300_000))),
  acceptedInvoiceDates: fc.dictionary(
    arbCategory,
    fc.array(arbDate('2023-01-01', '2026-12-31'), { maxLength: 3 }),
  ),
});

const arbUsage: fc.Arbitrary<Usage> = fc.record({
  familyId: fc.constant(FAMILY),
  familyTotalCents: mostly(arbCents(300_000), arbCents(1_200_000)),
  familyByCategoryCents: fc.dictionary(arbCategory, mostly(arbCents(60_000), arbCents(600_000))),
  persons: fc.dictionary(fc.constantFrom(...PEOPLE), arbPersonUsage),
});

/** `date` moved back by `days` days. */
function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** A line sent on `submittedOn`: usually dated a few weeks earlier, sometimes any date at all. */
const arbLine = (submittedOn: string): fc.Arbitrary<ClaimLine> =>
  fc
    .record({
      id: fc.uuid(),
      category: arbCategory,
      channel: fc.constantFrom(...CHANNELS),
      invoiceDate: mostly(
        fc.integer({ min: 0, max: 130 }).map((days) => daysBefore(submittedOn, days)),
        arbDate('2025-11-01', '2026-12-31'),
      ),
      amountCents: mostly(arbCents(200_000), arbCents(2_000_000)),
      paidByOtherFundCents: mostly(fc.constant(undefined), fc.oneof(arbCents(30_000), arbCents(2_000_000))),
      hasPrescription: mostly(fc.constant(true), fc.option(fc.boolean(), { nil: undefined })),
    })
    .map(compact);

const arbClaim: fc.Arbitrary<ClaimToAssess> = mostly(
  arbDate('2026-01-01', '2026-12-31'),
  arbDate('2026-01-01', '2027-03-31'),
).chain((submittedOn) =>
  fc.record({
    beneficiaryId: fc.constantFrom(...PEOPLE),
    familyId: fc.constant(FAMILY),
    submittedOn: fc.constant(submittedOn),
    lines: fc.array(arbLine(submittedOn), { maxLength: 8 }),
  }),
);

/** What is left of the caps for a line, tracked by the test itself from the accepted amounts. */
function leftFor(rules: PlanRules, usage: Usage, person: string, category: CategoryCode): number {
  const p = usage.persons[person];
  const annualUsed = rules.annualCap.scope === 'person' ? (p?.totalCents ?? 0) : usage.familyTotalCents;
  let left = Math.max(0, rules.annualCap.cents - annualUsed);
  const subCap = rules.categories[category]?.subCap;
  if (subCap) {
    const used =
      subCap.scope === 'person'
        ? (p?.byCategoryCents[category] ?? 0)
        : (usage.familyByCategoryCents[category] ?? 0);
    left = Math.min(left, Math.max(0, subCap.cents - used));
  }
  return left;
}

describe('properties (random plans, usage and claims)', () => {
  it('random plans are valid plans', () => {
    fc.assert(fc.property(arbRules, (rules) => Value.Check(PlanRules, rules)));
  });

  it('every line: 0 ≤ accepted ≤ amount, accepted + member share = amount, breakdown adds up', () => {
    fc.assert(
      fc.property(arbRules, arbClaim, arbUsage, (rules, claimToAssess, usage) => {
        const result = assessClaim(rules, claimToAssess, usage);
        expect(result.lines).toHaveLength(claimToAssess.lines.length);
        for (const [index, assessed] of result.lines.entries()) {
          const amount = claimToAssess.lines[index]?.amountCents ?? -1;
          expect(assessed.amountCents).toBe(amount);
          expect(Number.isInteger(assessed.acceptedCents)).toBe(true);
          expect(assessed.acceptedCents).toBeGreaterThanOrEqual(0);
          expect(assessed.acceptedCents).toBeLessThanOrEqual(amount);
          expect(assessed.memberShareCents).toBeGreaterThanOrEqual(0);
          expect(assessed.acceptedCents + assessed.memberShareCents).toBe(amount);
          const b = assessed.breakdown;
          for (const part of Object.values(b)) expect(part).toBeGreaterThanOrEqual(0);
          expect(
            b.coinsuranceCents + b.deductibleCents + b.otherFundCents + b.overCapCents + b.refusedCents,
          ).toBe(assessed.memberShareCents);
          const otherFund = Math.min(claimToAssess.lines[index]?.paidByOtherFundCents ?? 0, amount);
          expect(assessed.acceptedCents).toBeLessThanOrEqual(amount - otherFund);
          expect(assessed.explanation.it.length).toBeGreaterThan(0);
          expect(assessed.explanation.en).toHaveLength(assessed.explanation.it.length);
        }
        expect(Value.Check(Assessment, result)).toBe(true);
      }),
    );
  });

  it('accepted never exceeds what is left of the annual cap and the sub-cap, line after line', () => {
    fc.assert(
      fc.property(arbRules, arbClaim, arbUsage, (rules, claimToAssess, usage) => {
        const result = assessClaim(rules, claimToAssess, usage);
        const running = structuredClone(usage);
        for (const [index, assessed] of result.lines.entries()) {
          const input = claimToAssess.lines[index] as ClaimLine;
          const left = leftFor(rules, running, claimToAssess.beneficiaryId, input.category);
          expect(assessed.acceptedCents).toBeLessThanOrEqual(left);
          if (assessed.reason === 'cap_reached' || assessed.reason === 'subcap_reached') {
            expect(assessed.acceptedCents).toBe(left);
          }
          const person = running.persons[claimToAssess.beneficiaryId] ?? {
            totalCents: 0,
            byCategoryCents: {},
            acceptedInvoiceDates: {},
          };
          running.persons[claimToAssess.beneficiaryId] = person;
          person.totalCents += assessed.acceptedCents;
          person.byCategoryCents[input.category] =
            (person.byCategoryCents[input.category] ?? 0) + assessed.acceptedCents;
          running.familyTotalCents += assessed.acceptedCents;
          running.familyByCategoryCents[input.category] =
            (running.familyByCategoryCents[input.category] ?? 0) + assessed.acceptedCents;
        }
      }),
    );
  });

  it('totals are the sums of the lines; usage after = usage before + accepted; usage before untouched', () => {
    fc.assert(
      fc.property(arbRules, arbClaim, arbUsage, (rules, claimToAssess, usage) => {
        const before = structuredClone(usage);
        const result = assessClaim(rules, claimToAssess, usage);
        expect(usage).toEqual(before);
        const sum = (pick: (l: (typeof result.lines)[number]) => number) =>
          result.lines.reduce((total, l) => total + pick(l), 0);
        expect(result.totals).toEqual({
          amountCents: sum((l) => l.amountCents),
          acceptedCents: sum((l) => l.acceptedCents),
          memberShareCents: sum((l) => l.memberShareCents),
        });
        const after = result.usageAfter;
        expect(after.familyTotalCents).toBe(before.familyTotalCents + result.totals.acceptedCents);
        const id = claimToAssess.beneficiaryId;
        expect(after.persons[id]?.totalCents ?? 0).toBe(
          (before.persons[id]?.totalCents ?? 0) + result.totals.acceptedCents,
        );
        for (const category of CATEGORY_CODES) {
          const acceptedHere = result.lines
            .filter((l) => l.category === category)
            .reduce((total, l) => total + l.acceptedCents, 0);
          expect(after.familyByCategoryCents[category] ?? 0).toBe(
            (before.familyByCategoryCents[category] ?? 0) + acceptedHere,
          );
          expect(after.persons[id]?.byCategoryCents[category] ?? 0).toBe(
            (before.persons[id]?.byCategoryCents[category] ?? 0) + acceptedHere,
          );
          const datesAdded = result.lines.filter(
            (l) => l.category === category && l.acceptedCents > 0,
          ).length;
          expect(after.persons[id]?.acceptedInvoiceDates[category]?.length ?? 0).toBe(
            (before.persons[id]?.acceptedInvoiceDates[category]?.length ?? 0) + datesAdded,
          );
        }
        for (const other of PEOPLE.filter((p) => p !== id)) {
          expect(after.persons[other]).toEqual(before.persons[other]);
        }
        expect(Value.Check(PlanRules, rules)).toBe(true);
      }),
    );
  });

  it('a larger invoice never gets less (all else equal)', () => {
    fc.assert(
      fc.property(
        arbRules,
        arbClaim.chain((base) => fc.tuple(fc.constant(base), arbLine(base.submittedOn))),
        arbUsage,
        arbCents(100_000),
        (rules, [base, l], usage, extra) => {
          const small = assessClaim(rules, { ...base, lines: [l] }, usage).lines[0];
          const large = assessClaim(
            rules,
            { ...base, lines: [{ ...l, amountCents: l.amountCents + extra }] },
            usage,
          ).lines[0];
          expect(large?.acceptedCents).toBeGreaterThanOrEqual(small?.acceptedCents ?? 0);
        },
      ),
    );
  });

  it('the demo plan never pays more than 5.000 € a year to a family, whatever is claimed', () => {
    fc.assert(
      fc.property(fc.array(arbClaim, { maxLength: 6 }), (claims) => {
        let usage = emptyUsage(FAMILY);
        for (const c of claims) usage = assessClaim(DEMO_PLAN_RULES, c, usage).usageAfter;
        expect(usage.familyTotalCents).toBeLessThanOrEqual(500_000);
      }),
    );
  });
});

describe('ids that name a prototype', () => {
  const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

  it('a beneficiary with such an id is a person with nothing used; Object.prototype stays untouched', () => {
    for (const id of NAMES) {
      const result = assessClaim(
        DEMO_PLAN_RULES,
        claim([line(visit(12_000))], '2026-03-01', id),
        emptyUsage(FAMILY),
      );
      expect([id, result.lines[0]?.acceptedCents]).toEqual([id, 7_000]);
      expect(Object.hasOwn(result.usageAfter.persons, id)).toBe(true);
      expect(result.usageAfter.persons[id]?.totalCents).toBe(7_000);
      // The sub-caps of a person with that id start from zero.
      expect(capsLeft(DEMO_PLAN_RULES, result.usageAfter, id).annual.usedCents).toBe(7_000);
    }
    expect(({} as Record<string, unknown>).totalCents).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('totalCents');
  });

  it('usage read from JSON with such keys is read as data, never as the prototype', () => {
    const usage = JSON.parse(
      `{"familyId":"${FAMILY}","familyTotalCents":100,"familyByCategoryCents":{"__proto__":{"x":1}},` +
        `"persons":{"__proto__":{"totalCents":100,"byCategoryCents":{},"acceptedInvoiceDates":{}}}}`,
    ) as Usage;
    const result = assessClaim(
      DEMO_PLAN_RULES,
      claim([line(visit(12_000))], '2026-03-01', '__proto__'),
      usage,
    );
    expect(Object.getOwnPropertyDescriptor(result.usageAfter.persons, '__proto__')?.value).toMatchObject({
      totalCents: 7_100,
    });
    expect(result.usageAfter.familyTotalCents).toBe(7_100);
    const other = assessClaim(
      DEMO_PLAN_RULES,
      claim([line(visit(12_000))], '2026-03-01', 'constructor'),
      usage,
    );
    expect(other.usageAfter.persons.constructor).toMatchObject({ totalCents: 7_000 });
    expect(({} as Record<string, unknown>).totalCents).toBeUndefined();
  });

  it('a category or channel outside the catalogue is refused, not looked up on a prototype', () => {
    for (const name of NAMES) {
      expect(() =>
        assessClaim(
          DEMO_PLAN_RULES,
          claim([line({ ...visit(1_000), category: name as CategoryCode })]),
          emptyUsage(FAMILY),
        ),
      ).toThrow(RangeError);
      expect(() =>
        assessClaim(
          DEMO_PLAN_RULES,
          claim([line({ ...visit(1_000), channel: name as ClaimLine['channel'] })]),
          emptyUsage(FAMILY),
        ),
      ).toThrow(RangeError);
    }
  });
});
