import { PLAN_LIMITS } from '#contracts/plans.codes.js';
import { formText } from '../../lib/form-data';
import type { FieldErrors } from '../../lib/form-feedback';
import {
  CATEGORY_ORDER,
  type CategoryCode,
  type CategoryRules,
  CHANNEL_ORDER,
  type ChannelCode,
  type PlanRules,
  parseAmount,
  parseWhole,
} from './plans-api';

/** The editor's field names: the paths the server names in its field errors. */
export const channelPath = (code: CategoryCode, channel: ChannelCode, field: string) =>
  `rules/categories/${code}/channels/${channel}/${field}`;
export const categoryPath = (code: CategoryCode, field: string) => `rules/categories/${code}/${field}`;

/** The limits the editor checks before sending (the server checks them again). */
export const PLAN_FORM_LIMITS = PLAN_LIMITS;

/** The texts of the editor's own field errors, in the page's language. */
export interface PlanFormMessages {
  euroInvalid: string;
  percentInvalid: string;
  wholeInvalid: (min: number, max: number) => string;
  nameRequired: string;
  labelRequired: string;
  frequencyIncomplete: string;
}

/**
 * Reads the plan editor's form into the plan's name and rules, with a message per field that
 * cannot be sent. `draft` says which categories and channels the form shows; amounts are typed in
 * euro and percentages in the page's `language` format, and become cents and basis points.
 */
export function readPlanForm(
  data: FormData,
  draft: PlanRules,
  language: string,
  messages: PlanFormMessages,
): { value: { name: string; rules: PlanRules }; errors: FieldErrors } {
  const L = PLAN_FORM_LIMITS;
  const errors: FieldErrors = {};
  const text = (name: string) => formText(data, name).trim();
  const euro = (name: string): number => {
    const value = parseAmount(formText(data, name), language);
    if (value === null || value > L.maxCents) errors[name] = messages.euroInvalid;
    return value ?? 0;
  };
  const percent = (name: string): number => {
    const value = parseAmount(formText(data, name), language);
    if (value === null || value > L.maxBasisPoints) errors[name] = messages.percentInvalid;
    return value ?? 0;
  };
  const whole = (name: string, { min, max }: { min: number; max: number }): number => {
    const value = parseWhole(formText(data, name), min, max);
    if (value === null) errors[name] = messages.wholeInvalid(min, max);
    return value ?? min;
  };
  const scope = (name: string) => (formText(data, name) === 'person' ? 'person' : 'family');
  const required = (name: string, message: string) => {
    const value = text(name);
    if (!value) errors[name] = message;
    return value;
  };

  const name = required('name', messages.nameRequired);
  const rules: PlanRules = {
    year: whole('rules/year', L.year),
    annualCap: { cents: euro('rules/annualCap/cents'), scope: scope('rules/annualCap/scope') },
    categories: {},
  };
  if (data.get('rules/autoDecision/enabled') === 'on') {
    rules.autoDecision = { enabled: true, maxTotalCents: euro('rules/autoDecision/maxTotalCents') };
  } else if (draft.autoDecision) {
    rules.autoDecision = { ...draft.autoDecision, enabled: false };
  }
  for (const code of CATEGORY_ORDER) {
    const current = draft.categories[code];
    if (!current) continue;
    const at = (field: string) => categoryPath(code, field);
    const category: CategoryRules = {
      label: {
        it: required(at('label/it'), messages.labelRequired),
        en: required(at('label/en'), messages.labelRequired),
      },
      channels: {},
    };
    for (const channel of CHANNEL_ORDER) {
      if (!current.channels[channel]) continue;
      const path = (field: string) => channelPath(code, channel, field);
      category.channels[channel] = {
        coinsuranceBasisPoints: percent(path('coinsuranceBasisPoints')),
        minimumPerInvoiceCents: euro(path('minimumPerInvoiceCents')),
        deductiblePerVisitCents: euro(path('deductiblePerVisitCents')),
        prescriptionRequired: data.get(path('prescriptionRequired')) === 'on',
        submissionDeadlineDays: whole(path('submissionDeadlineDays'), L.deadlineDays),
      };
    }
    if (text(at('subCap/cents')) !== '') {
      category.subCap = { cents: euro(at('subCap/cents')), scope: scope(at('subCap/scope')) };
    }
    const times = text(at('frequency/times'));
    const years = text(at('frequency/everyYears'));
    if (times !== '' && years !== '') {
      category.frequency = {
        times: whole(at('frequency/times'), L.frequencyTimes),
        everyYears: whole(at('frequency/everyYears'), L.frequencyYears),
      };
    } else if (times !== '' || years !== '') {
      errors[at(times === '' ? 'frequency/times' : 'frequency/everyYears')] = messages.frequencyIncomplete;
    }
    rules.categories[code] = category;
  }
  return { value: { name, rules }, errors };
}
