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
 * names the editor gives its inputs), a stable code and a message in Italian and English. Pure: it
 * reads the document as sent (`unknown`), so a malformed one gets the same kind of answer.
 *
 * No duplicate category × channel: the document keys its rules by category, then by channel, and
 * a parsed JSON object has unique keys, so a duplicate cannot reach here; the editor refuses to add
 * one (`duplicate_rule`, decision 021).
 */

export interface RuleProblem {
  field: string;
  code: PlanRuleErrorCode;
  text: { it: string; en: string };
}

const MAX_CENTS = PLAN_LIMITS.maxCents;
const CAP_SCOPES = ['person', 'family'] as const;

type Record_ = Record<string, unknown>;
const isObject = (value: unknown): value is Record_ =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

class Problems {
  readonly list: RuleProblem[] = [];
  add(field: string, code: PlanRuleErrorCode, it: string, en: string): void {
    this.list.push({ field, code, text: { it, en } });
  }

  /** The value is an object; else `required` (absent) or `invalid_type`. */
  object(value: unknown, field: string): value is Record_ {
    if (isObject(value)) return true;
    this.missingOrType(value, field);
    return false;
  }

  missingOrType(value: unknown, field: string): void {
    if (value === undefined || value === null)
      this.add(field, 'required', 'Campo obbligatorio.', 'Required.');
    else this.add(field, 'invalid_type', 'Valore non valido.', 'Invalid value.');
  }

  /** Keys other than `allowed` are refused, each at its own path. */
  onlyKeys(value: Record_, allowed: readonly string[], field: string): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.add(`${field}/${key}`, 'unknown_field', 'Campo non previsto.', 'Unexpected field.');
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
      this.add(
        field,
        'amount_negative',
        'L’importo non può essere negativo.',
        'The amount cannot be negative.',
      );
      return false;
    }
    if (!Number.isInteger(value)) {
      this.add(
        field,
        'amount_not_cents',
        'L’importo può avere al massimo due decimali.',
        'The amount can have at most two decimals.',
      );
      return false;
    }
    if (value > MAX_CENTS) {
      this.add(
        field,
        'amount_too_large',
        `L’importo non può superare ${formatEuro(MAX_CENTS)}.`,
        `The amount cannot be above ${formatEuro(MAX_CENTS)}.`,
      );
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
    it: string,
    en: string,
  ): value is number {
    if (typeof value !== 'number') {
      this.missingOrType(value, field);
      return false;
    }
    if (!Number.isInteger(value) || value < min || value > max) {
      this.add(field, code, it, en);
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
        else this.add(path, 'label_required', 'Scrivi il nome della categoria.', 'Write the category name.');
      } else if (text.length > 200) {
        this.add(
          path,
          'label_too_long',
          'Il nome può avere al massimo 200 caratteri.',
          'The name can have at most 200 characters.',
        );
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
      else
        this.add(
          `${field}/scope`,
          'scope_invalid',
          'Scegli "per persona" o "per famiglia".',
          'Choose "per person" or "per family".',
        );
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
    'Lo scoperto va da 0 a 100%, con al massimo due decimali.',
    'The co-insurance goes from 0 to 100%, with at most two decimals.',
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
    `Il termine di invio va da ${PLAN_LIMITS.deadlineDays.min} a ${PLAN_LIMITS.deadlineDays.max} giorni.`,
    `The submission deadline goes from ${PLAN_LIMITS.deadlineDays.min} to ${PLAN_LIMITS.deadlineDays.max} days.`,
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
  p.onlyKeys(input, ['year', 'categories', 'annualCap'], field);
  p.integer(
    input.year,
    `${field}/year`,
    PLAN_LIMITS.year.min,
    PLAN_LIMITS.year.max,
    'year_range',
    `L’anno va dal ${PLAN_LIMITS.year.min} al ${PLAN_LIMITS.year.max}.`,
    `The year goes from ${PLAN_LIMITS.year.min} to ${PLAN_LIMITS.year.max}.`,
  );
  const annualCap = p.cap(input.annualCap, `${field}/annualCap`);

  const categoriesField = `${field}/categories`;
  if (!p.object(input.categories, categoriesField)) return p.list;
  let rules = 0;
  for (const [code, category] of Object.entries(input.categories)) {
    const path = `${categoriesField}/${code}`;
    if (!(CATEGORY_CODES as readonly string[]).includes(code)) {
      p.add(
        path,
        'unknown_category',
        'Categoria non prevista dal catalogo.',
        'Category not in the catalogue.',
      );
      continue;
    }
    if (!p.object(category, path)) continue;
    p.onlyKeys(category, ['label', 'channels', 'subCap', 'frequency'], path);
    p.label(category.label, `${path}/label`);

    const channelsPath = `${path}/channels`;
    if (p.object(category.channels, channelsPath)) {
      const channels = Object.entries(category.channels).filter(([, rule]) => rule !== undefined);
      if (channels.length === 0) {
        p.add(
          channelsPath,
          'category_without_rules',
          'La categoria non ha nessuna regola: aggiungine una o togli la categoria.',
          'The category has no rule: add one or remove the category.',
        );
      }
      for (const [channel, rule] of channels) {
        if (!(CHANNELS as readonly string[]).includes(channel)) {
          p.add(`${channelsPath}/${channel}`, 'unknown_channel', 'Canale non previsto.', 'Unknown channel.');
          continue;
        }
        rules += 1;
        checkChannelRules(p, rule, `${channelsPath}/${channel}`);
      }
    }

    if (category.subCap !== undefined) {
      const sub = p.cap(category.subCap, `${path}/subCap`);
      if (sub && annualCap && subCapAboveCap(sub, annualCap)) {
        p.add(
          `${path}/subCap/cents`,
          'subcap_above_cap',
          `Il sottomassimale non può superare il massimale annuo (${formatEuro(annualCap.cents)}).`,
          `The sub-cap cannot be above the annual cap (${formatEuro(annualCap.cents)}).`,
        );
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
        `Le volte vanno da ${PLAN_LIMITS.frequencyTimes.min} a ${PLAN_LIMITS.frequencyTimes.max}.`,
        `Times go from ${PLAN_LIMITS.frequencyTimes.min} to ${PLAN_LIMITS.frequencyTimes.max}.`,
      );
      p.integer(
        frequency.everyYears,
        `${path}/frequency/everyYears`,
        PLAN_LIMITS.frequencyYears.min,
        PLAN_LIMITS.frequencyYears.max,
        'frequency_years_range',
        `Gli anni vanno da ${PLAN_LIMITS.frequencyYears.min} a ${PLAN_LIMITS.frequencyYears.max}.`,
        `Years go from ${PLAN_LIMITS.frequencyYears.min} to ${PLAN_LIMITS.frequencyYears.max}.`,
      );
    }
  }
  if (rules === 0 && p.list.length === 0) {
    p.add(
      categoriesField,
      'no_rules',
      'Il piano deve avere almeno una regola.',
      'The plan must have at least one rule.',
    );
  }
  return p.list;
}

/** Plan name: 1 to 120 characters, not only spaces. */
export function checkPlanName(value: unknown, field = 'name'): RuleProblem[] {
  const p = new Problems();
  if (typeof value !== 'string' || value.trim() === '' || value.length > 120) {
    if (value !== undefined && typeof value !== 'string') p.missingOrType(value, field);
    else
      p.add(
        field,
        'name_required',
        'Scrivi il nome del piano (al massimo 120 caratteri).',
        'Write the plan name (at most 120 characters).',
      );
  }
  return p.list;
}

/** The body of "create a plan": code, name, and either rules or a year (with an optional plan to copy). */
export function checkNewPlan(input: unknown): RuleProblem[] {
  const p = new Problems();
  if (!p.object(input, 'body')) return p.list;
  p.onlyKeys(input, ['code', 'name', 'year', 'copyFrom', 'rules'], 'body');
  if (typeof input.code !== 'string' || !new RegExp(PLAN_CODE_PATTERN).test(input.code)) {
    p.add(
      'code',
      'code_invalid',
      'Il codice ha da 2 a 40 caratteri: lettere, cifre, "-" e "_".',
      'The code has 2 to 40 characters: letters, digits, "-" and "_".',
    );
  }
  p.list.push(...checkPlanName(input.name));
  if (input.year !== undefined || input.rules === undefined) {
    p.integer(
      input.year,
      'year',
      PLAN_LIMITS.year.min,
      PLAN_LIMITS.year.max,
      'year_range',
      `L’anno va dal ${PLAN_LIMITS.year.min} al ${PLAN_LIMITS.year.max}.`,
      `The year goes from ${PLAN_LIMITS.year.min} to ${PLAN_LIMITS.year.max}.`,
    );
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
