import { describe, expect, it } from 'vitest';
import type { PlanRules } from '#contracts/plans.js';
import { checkNewPlan, checkPlanRules, checkPlanUpdate } from './plan-rules-validation.js';
import { DEMO_PLAN_RULES } from './rules-engine.js';

const demo = (): PlanRules => structuredClone(DEMO_PLAN_RULES);
const visits = 'rules/categories/visite_specialistiche';
const codes = (problems: { field: string; code: string }[]) => problems.map((p) => [p.field, p.code]);

describe('plan rules checks', () => {
  it('accepts the demo rules', () => {
    expect(checkPlanRules(demo())).toEqual([]);
  });

  it('refuses a co-insurance outside 0–100% at its field, with a code (worded elsewhere)', () => {
    const rules = demo();
    const rule = rules.categories.visite_specialistiche?.channels.network;
    if (!rule) throw new Error('demo has network visits');
    rule.coinsuranceBasisPoints = 10_001;
    const [problem, ...rest] = checkPlanRules(rules);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      field: `${visits}/channels/network/coinsuranceBasisPoints`,
      code: 'percent_range',
    });
    expect(problem).not.toHaveProperty('text');
    rule.coinsuranceBasisPoints = -1;
    expect(codes(checkPlanRules(rules))).toEqual([
      [`${visits}/channels/network/coinsuranceBasisPoints`, 'percent_range'],
    ]);
    rule.coinsuranceBasisPoints = 0;
    expect(checkPlanRules(rules)).toEqual([]);
    rule.coinsuranceBasisPoints = 10_000;
    expect(checkPlanRules(rules)).toEqual([]);
  });

  it('refuses negative, fractional and huge amounts', () => {
    const rules = demo();
    const rule = rules.categories.visite_specialistiche?.channels.out_of_network;
    if (!rule) throw new Error('demo has out-of-network visits');
    rule.minimumPerInvoiceCents = -100;
    rule.deductiblePerVisitCents = 10.5;
    rules.annualCap.cents = 1_000_000_001;
    expect(codes(checkPlanRules(rules))).toEqual([
      ['rules/annualCap/cents', 'amount_too_large'],
      [`${visits}/channels/out_of_network/minimumPerInvoiceCents`, 'amount_negative'],
      [`${visits}/channels/out_of_network/deductiblePerVisitCents`, 'amount_not_cents'],
    ]);
  });

  it('submission deadline: 1 to 3650 days', () => {
    const rules = demo();
    const rule = rules.categories.lenti?.channels.out_of_network;
    if (!rule) throw new Error('demo has lenses');
    for (const [days, ok] of [
      [0, false],
      [1, true],
      [3650, true],
      [3651, false],
      [30.5, false],
    ] as const) {
      rule.submissionDeadlineDays = days;
      expect(codes(checkPlanRules(rules))).toEqual(
        ok
          ? []
          : [['rules/categories/lenti/channels/out_of_network/submissionDeadlineDays', 'deadline_range']],
      );
    }
  });

  it('a sub-cap above the annual cap is refused when they count the same people (or a person against the family)', () => {
    const rules = demo();
    rules.annualCap = { cents: 100_000, scope: 'family' };
    const category = rules.categories.odontoiatria;
    if (!category) throw new Error('demo has dental care');
    category.subCap = { cents: 100_001, scope: 'person' };
    const [problem] = checkPlanRules(rules);
    expect(problem).toMatchObject({
      field: 'rules/categories/odontoiatria/subCap/cents',
      code: 'subcap_above_cap',
    });
    expect(problem?.params).toEqual({ cap: '1.000,00 €' });
    category.subCap = { cents: 100_000, scope: 'family' };
    expect(checkPlanRules(rules)).toEqual([]);
    // A family sub-cap may exceed a cap per person: several people share it.
    rules.annualCap = { cents: 90_000, scope: 'person' };
    category.subCap = { cents: 100_000, scope: 'family' };
    expect(checkPlanRules(rules)).toEqual([]);
    category.subCap = { cents: 90_001, scope: 'person' };
    expect(codes(checkPlanRules(rules))).toEqual([
      ['rules/categories/odontoiatria/subCap/cents', 'subcap_above_cap'],
    ]);
  });

  it('labels, scopes, year and frequency', () => {
    const rules = demo() as unknown as {
      year: number;
      annualCap: { scope: string };
      categories: Record<string, { label: { it: string; en: string }; frequency?: object }>;
    };
    rules.year = 1999;
    rules.annualCap.scope = 'household';
    const lenses = rules.categories.lenti;
    if (!lenses) throw new Error('demo has lenses');
    lenses.label = { it: '  ', en: 'x'.repeat(201) };
    lenses.frequency = { times: 0, everyYears: 11 };
    expect(codes(checkPlanRules(rules))).toEqual([
      ['rules/year', 'year_range'],
      ['rules/annualCap/scope', 'scope_invalid'],
      ['rules/categories/lenti/label/it', 'label_required'],
      ['rules/categories/lenti/label/en', 'label_too_long'],
      ['rules/categories/lenti/frequency/times', 'frequency_times_range'],
      ['rules/categories/lenti/frequency/everyYears', 'frequency_years_range'],
    ]);
  });

  it('unknown categories, channels and fields; missing and mistyped values; empty categories', () => {
    const rules = demo() as unknown as { categories: Record<string, Record<string, unknown>> };
    rules.categories.astrologia = { label: { it: 'A', en: 'A' }, channels: {} };
    const visitsCategory = rules.categories.visite_specialistiche as {
      channels: Record<string, Record<string, unknown>>;
      extra?: boolean;
    };
    visitsCategory.extra = true;
    visitsCategory.channels.teleconsulto = {};
    const network = visitsCategory.channels.network as Record<string, unknown>;
    delete network.submissionDeadlineDays;
    network.prescriptionRequired = 'yes';
    (rules.categories.lenti as { channels: object }).channels = {};
    expect(codes(checkPlanRules(rules))).toEqual([
      [`${visits}/extra`, 'unknown_field'],
      [`${visits}/channels/network/prescriptionRequired`, 'invalid_type'],
      [`${visits}/channels/network/submissionDeadlineDays`, 'required'],
      [`${visits}/channels/teleconsulto`, 'unknown_channel'],
      ['rules/categories/lenti/channels', 'category_without_rules'],
      ['rules/categories/astrologia', 'unknown_category'],
    ]);
    expect(codes(checkPlanRules('nope'))).toEqual([['rules', 'invalid_type']]);
    expect(codes(checkPlanRules(undefined))).toEqual([['rules', 'required']]);
  });

  it('automatic decisions: a switch and a limit in cents; anything else at its own field', () => {
    expect(checkPlanRules({ ...demo(), autoDecision: { enabled: true, maxTotalCents: 30_000 } })).toEqual([]);
    expect(checkPlanRules({ ...demo(), autoDecision: { enabled: false, maxTotalCents: 0 } })).toEqual([]);
    expect(
      codes(checkPlanRules({ ...demo(), autoDecision: { enabled: 'yes', maxTotalCents: -1, sample: 5 } })),
    ).toEqual([
      ['rules/autoDecision/sample', 'unknown_field'],
      ['rules/autoDecision/enabled', 'invalid_type'],
      ['rules/autoDecision/maxTotalCents', 'amount_negative'],
    ]);
    expect(codes(checkPlanRules({ ...demo(), autoDecision: true }))).toEqual([
      ['rules/autoDecision', 'invalid_type'],
    ]);
  });

  it('a plan with no rule at all is refused', () => {
    expect(codes(checkPlanRules({ ...demo(), categories: {} }))).toEqual([['rules/categories', 'no_rules']]);
  });

  it('reports every problem at once', () => {
    const rules = demo();
    for (const category of Object.values(rules.categories)) {
      for (const rule of Object.values(category?.channels ?? {})) rule.submissionDeadlineDays = 0;
    }
    const problems = checkPlanRules(rules);
    expect(problems.length).toBeGreaterThan(5);
    expect(new Set(problems.map((p) => p.code))).toEqual(new Set(['deadline_range']));
  });
});

describe('create and save bodies', () => {
  it('a new plan needs a code, a name and a year (unless a rules document brings it)', () => {
    expect(checkNewPlan({ code: 'AZ-1', name: 'Piano', year: 2027 })).toEqual([]);
    expect(checkNewPlan({ code: 'AZ-1', name: 'Piano', year: 2027, copyFrom: 'ONECARE-DEMO' })).toEqual([]);
    expect(checkNewPlan({ code: 'AZ-1', name: 'Piano', rules: demo() })).toEqual([]);
    expect(codes(checkNewPlan({ code: 'a b', name: ' ', extra: 1 }))).toEqual([
      ['body/extra', 'unknown_field'],
      ['code', 'code_invalid'],
      ['name', 'name_required'],
      ['year', 'required'],
    ]);
    expect(codes(checkNewPlan({ code: 'AZ', name: 'P', year: 1900 }))).toEqual([['year', 'year_range']]);
  });

  it('a save names the version it started from', () => {
    expect(checkPlanUpdate({ baseVersion: 3, rules: demo() })).toEqual([]);
    expect(codes(checkPlanUpdate({ rules: demo() }))).toEqual([['baseVersion', 'required']]);
    expect(codes(checkPlanUpdate({ baseVersion: 0, rules: {} }))).toEqual([
      ['baseVersion', 'invalid_type'],
      ['rules/year', 'required'],
      ['rules/annualCap', 'required'],
      ['rules/categories', 'required'],
    ]);
  });
});
