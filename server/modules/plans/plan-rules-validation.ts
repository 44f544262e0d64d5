import type { DetailParams } from '#contracts/errors.codes.js';
import {
  CATEGORY_CODES,
  CHANNELS,
  PLAN_CODE_PATTERN,
  PLAN_LIMITS,
  type PlanRuleErrorCode,
} from '#contracts/plans.codes.js';
import { formatEuro } from './rules-engine.js';

/**
 * The checks of a plan's rules document, as an administrator saves it: every problem at once, each
 * with the path of its field (`rules/categories/lenti/channels/network/submissionDeadlineDays`, the
 * names the editor gives its inputs), a stable code and the values its wording needs (worded by the error handler and the web). Pure: it
 * reads the document as sent (`unknown`), so a malformed one gets the same kind of answer.
 *
 * No duplicate category × channel: the document keys its rules by category, then by channel, and
 * a parsed JSON object has unique keys, so a duplicate cannot reach here; the editor refuses to add
 * one (`duplicate_rule`, decision 021).
 */

export interface RuleProblem {
  field: string;
  code: PlanRuleErrorCode;
  /** The values the code's wording needs (contracts/plans.codes.ts). */
  params?: DetailParams;
}

const MAX_CENTS = PLAN_LIMITS.maxCents;
const CAP_SCOPES = ['person', 'family'] as const;

type Record_ = Record<string, unknown>;
const isObject = (value: unknown): value is Record_ =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Problems {
  readonly list: RuleProblem[] = [];
  add(field: string, code: PlanRuleErrorCode, params?: DetailParams): void {
    this.list.push(params ? { field, code, params } : { field, code });
  }

  /** The value is an object; else `required` (absent) or `invalid_type`. */
  object(value: unknown, field: string): value is Record_ {
    if (isObject(value)) return true;
    this.missingOrType(value, field);
    return false;
  }

  missingOrType(value: unknown, field: string): void {
    if (value === undefined || value === null) this.add(field, 'required');
    else this.add(field, 'invalid_type');
  }

  /** Keys other than `allowed` are refused, each at its own path. */
  onlyKeys(value: Record_, allowed: readonly string[], field: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.add(`${field}/${key}`, 'unknown_field');
      }
    }
  }

  /** Whole cents from 0 to 10 million euro. */
  cents(value: unknown, field: string): value is number {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      this.missingOrType(value, field);
      return false;
    }
    if (value < 0) {
      this.add(field, 'amount_negative');
      return false;
    }
    if (!Number.isInteger(value)) {
      this.add(field, 'amount_not_cents');
      return false;
    }
    if (value > MAX_CENTS) {
      this.add(field, 'amount_too_large', { max: formatEuro(MAX_CENTS) });
      return false;
    }
    return true;
  }

  /** An integer from `min` to `max`, else `code`. */
  integer(
    value: unknown,
    field: string,
    min: number,
    max: number,
    code: PlanRuleErrorCode,
    params?: DetailParams,
  ): value is number {
    if (typeof value !== 'number') {
      this.missingOrType(value, field);
      return false;
    }
    if (!Number.isInteger(value) || value < min || value > max) {
      this.add(field, code, params);
      return false;
    }
    return true;
  }

  label(value: unknown, field: string): void {
    if (!this.object(value, field)) return;
    this.onlyKeys(value, ['it', 'en'], field);
    for (const language of ['it', 'en'] as const) {
      const text = value[language];
      const path = `${field}/${language}`;
      if (typeof text !== 'string' || text.trim() === '') {
        if (text !== undefined && typeof text !== 'string') this.missingOrType(text, path);
        else this.add(path, 'label_required');
      } else if (text.length > 200) {
        this.add(path, 'label_too_long');
      }
    }
  }

  /** A cap: returns it when both parts are valid (for the sub-cap check). */
  cap(value: unknown, field: string): { cents: number; scope: string } | null {
    if (!this.object(value, field)) return null;
    this.onlyKeys(value, ['cents', 'scope'], field);
    const centsOk = this.cents(value.cents, `${field}/cents`);
    const scopeOk = (CAP_SCOPES as readonly unknown[]).includes(value.scope);
    if (!scopeOk) {
      if (value.scope === undefined) this.missingOrType(undefined, `${field}/scope`);
      else this.add(`${field}/scope`, 'scope_invalid');
    }
    return centsOk && scopeOk ? { cents: value.cents as number, scope: value.scope as string } : null;
  }
}

const CHANNEL_FIELDS = [
  'coinsuranceBasisPoints',
  'minimumPerInvoiceCents',
  'deductiblePerVisitCents',
  'prescriptionRequired',
  'submissionDeadlineDays',
] as const;

function checkChannelRules(p: Problems, value: unknown, field: string): void {
  if (!p.object(value, field)) return;
  p.onlyKeys(value, CHANNEL_FIELDS, field);
  p.integer(
    value.coinsuranceBasisPoints,
    `${field}/coinsuranceBasisPoints`,
    0,
    PLAN_LIMITS.maxBasisPoints,
    'percent_range',
  );
  p.cents(value.minimumPerInvoiceCents, `${field}/minimumPerInvoiceCents`);
  p.cents(value.deductiblePerVisitCents, `${field}/deductiblePerVisitCents`);
  if (typeof value.prescriptionRequired !== 'boolean') {
    p.missingOrType(value.prescriptionRequired, `${field}/prescriptionRequired`);
  }
  p.integer(
    value.submissionDeadlineDays,
    `${field}/submissionDeadlineDays`,
    PLAN_LIMITS.deadlineDays.min,
    PLAN_LIMITS.deadlineDays.max,
    'deadline_range',
    { min: PLAN_LIMITS.deadlineDays.min, max: PLAN_LIMITS.deadlineDays.max },
  );
}

/**
 * A sub-cap above the annual cap can never be reached. Compared when both count the same people,
 * or when the sub-cap is per person and the cap per family (a person is part of the family); a
 * family sub-cap may exceed a cap per person (several people share it).
 */
function subCapAboveCap(sub: { cents: number; scope: string }, cap: { cents: number; scope: string }) {
  const comparable = sub.scope === cap.scope || (sub.scope === 'person' && cap.scope === 'family');
  return comparable && sub.cents > cap.cents;
}

/** Every problem of a plan rules document (empty when it can be saved); `field` is its own path. */
export function checkPlanRules(input: unknown, field = 'rules'): RuleProblem[] {
  const p = new Problems();
  if (!p.object(input, field)) return p.list;
  p.onlyKeys(input, ['year', 'categories', 'annualCap', 'autoDecision'], field);
  p.integer(input.year, `${field}/year`, PLAN_LIMITS.year.min, PLAN_LIMITS.year.max, 'year_range', {
    min: PLAN_LIMITS.year.min,
    max: PLAN_LIMITS.year.max,
  });
  const annualCap = p.cap(input.annualCap, `${field}/annualCap`);
  if (input.autoDecision !== undefined) {
    const autoField = `${field}/autoDecision`;
    const auto = input.autoDecision;
    if (p.object(auto, autoField)) {
      p.onlyKeys(auto, ['enabled', 'maxTotalCents'], autoField);
      if (typeof auto.enabled !== 'boolean') p.missingOrType(auto.enabled, `${autoField}/enabled`);
      p.cents(auto.maxTotalCents, `${autoField}/maxTotalCents`);
    }
  }

  const categoriesField = `${field}/categories`;
  if (!p.object(input.categories, categoriesField)) return p.list;
  let rules = 0;
  for (const [code, category] of Object.entries(input.categories)) {
    const path = `${categoriesField}/${code}`;
    if (!(CATEGORY_CODES as readonly string[]).includes(code)) {
      p.add(path, 'unknown_category');
      continue;
    }
    if (!p.object(category, path)) continue;
    p.onlyKeys(category, ['label', 'channels', 'subCap', 'frequency'], path);
    p.label(category.label, `${path}/label`);

    const channelsPath = `${path}/channels`;
    if (p.object(category.channels, channelsPath)) {
      const channels = Object.entries(category.channels).filter(([, rule]) => rule !== undefined);
      if (channels.length === 0) {
        p.add(channelsPath, 'category_without_rules');
      }
      for (const [channel, rule] of channels) {
        if (!(CHANNELS as readonly string[]).includes(channel)) {
          p.add(`${channelsPath}/${channel}`, 'unknown_channel');
          continue;
        }
        rules += 1;
        checkChannelRules(p, rule, `${channelsPath}/${channel}`);
      }
    }

    if (category.subCap !== undefined) {
      const sub = p.cap(category.subCap, `${path}/subCap`);
      if (sub && annualCap && subCapAboveCap(sub, annualCap)) {
        p.add(`${path}/subCap/cents`, 'subcap_above_cap', { cap: formatEuro(annualCap.cents) });
      }
    }
    if (category.frequency !== undefined && p.object(category.frequency, `${path}/frequency`)) {
      const frequency = category.frequency;
      p.onlyKeys(frequency, ['times', 'everyYears'], `${path}/frequency`);
      p.integer(
        frequency.times,
        `${path}/frequency/times`,
        PLAN_LIMITS.frequencyTimes.min,
        PLAN_LIMITS.frequencyTimes.max,
        'frequency_times_range',
        { min: PLAN_LIMITS.frequencyTimes.min, max: PLAN_LIMITS.frequencyTimes.max },
      );
      p.integer(
        frequency.everyYears,
        `${path}/frequency/everyYears`,
        PLAN_LIMITS.frequencyYears.min,
        PLAN_LIMITS.frequencyYears.max,
        'frequency_years_range',
        { min: PLAN_LIMITS.frequencyYears.min, max: PLAN_LIMITS.frequencyYears.max },
      );
    }
  }
  if (rules === 0 && p.list.length === 0) {
    p.add(categoriesField, 'no_rules');
  }
  return p.list;
}

/** Plan name: 1 to 120 characters, not only spaces. */
export function checkPlanName(value: unknown, field = 'name'): RuleProblem[] {
  const p = new Problems();
  if (typeof value !== 'string' || value.trim() === '' || value.length > 120) {
    if (value !== undefined && typeof value !== 'string') p.missingOrType(value, field);
    else p.add(field, 'name_required');
  }
  return p.list;
}

/** The body of "create a plan": code, name, and either rules or a year (with an optional plan to copy). */
export function checkNewPlan(input: unknown): RuleProblem[] {
  const p = new Problems();
  if (!p.object(input, 'body')) return p.list;
  p.onlyKeys(input, ['code', 'name', 'year', 'copyFrom', 'rules'], 'body');
  if (typeof input.code !== 'string' || !new RegExp(PLAN_CODE_PATTERN).test(input.code)) {
    p.add('code', 'code_invalid');
  }
  p.list.push(...checkPlanName(input.name));
  if (input.year !== undefined || input.rules === undefined) {
    p.integer(input.year, 'year', PLAN_LIMITS.year.min, PLAN_LIMITS.year.max, 'year_range', {
      min: PLAN_LIMITS.year.min,
      max: PLAN_LIMITS.year.max,
    });
  }
  if (input.copyFrom !== undefined && typeof input.copyFrom !== 'string') {
    p.missingOrType(input.copyFrom, 'copyFrom');
  }
  if (input.rules !== undefined) p.list.push(...checkPlanRules(input.rules));
  return p.list;
}

/** The body of "save new rules": the version the edit started from, an optional name, the rules. */
export function checkPlanUpdate(input: unknown): RuleProblem[] {
  const p = new Problems();
  if (!p.object(input, 'body')) return p.list;
  p.onlyKeys(input, ['baseVersion', 'name', 'rules'], 'body');
  if (
    typeof input.baseVersion !== 'number' ||
    !Number.isInteger(input.baseVersion) ||
    input.baseVersion < 1
  ) {
    p.missingOrType(input.baseVersion ?? undefined, 'baseVersion');
  }
  if (input.name !== undefined) p.list.push(...checkPlanName(input.name));
  p.list.push(...checkPlanRules(input.rules));
  return p.list;
}
