import { CATEGORY_CODES, CATEGORY_LABELS, CHANNELS } from '#contracts/plans.codes.js';
import type {
  CategoryCode,
  CategoryRules,
  ChannelRules,
  CreatePlanBody,
  PlanRules,
  UpdatePlanBody,
} from '#contracts/plans.js';
import type { StaffRole } from '../../lib/staff-session';

export { formatEuro, formatHundredths, formatPercent, parseAmount, parseHundredths } from '../../lib/money';

import { PLANS_ROUTE } from '../backoffice/backoffice-layout';

export type { CategoryCode, CategoryRules, ChannelRules, CreatePlanBody, PlanRules, UpdatePlanBody };
export { PLANS_ROUTE };

export const PLANS_PATH = '/api/v1/staff/plans';
export const planPath = (code: string) => `${PLANS_PATH}/${encodeURIComponent(code)}`;
export const planRoute = (code: string) => `${PLANS_ROUTE}/${encodeURIComponent(code)}`;

export interface PlanSummary {
  code: string;
  name: string;
  currentVersion: number | null;
}
export interface PlanView extends PlanSummary {
  rules: PlanRules;
  versions: { version: number; createdAt: string; createdBy: string | null }[];
}

/** The categories in the order the plan booklet lists them. */
export const CATEGORY_ORDER: readonly CategoryCode[] = CATEGORY_CODES;
export const CHANNEL_ORDER = CHANNELS;
export type ChannelCode = (typeof CHANNEL_ORDER)[number];

/**
 * The label a category gets when an administrator adds it to a plan (both languages, since they
 * are the plan's data, editable in the editor).
 */
export const DEFAULT_CATEGORY_LABELS = CATEGORY_LABELS;

/** A new category × channel rule starts from these; the administrator completes them. */
export const DEFAULT_CHANNEL_RULES: ChannelRules = {
  coinsuranceBasisPoints: 2000,
  minimumPerInvoiceCents: 0,
  deductiblePerVisitCents: 0,
  prescriptionRequired: false,
  submissionDeadlineDays: 365,
};

/** `rules` with the rule of `code` × `channel` added (and the category, with its default label). */
export function withRule(rules: PlanRules, code: CategoryCode, channel: ChannelCode): PlanRules {
  const next = structuredClone(rules);
  const category: CategoryRules = next.categories[code] ?? {
    label: { ...DEFAULT_CATEGORY_LABELS[code] },
    channels: {},
  };
  category.channels[channel] = { ...DEFAULT_CHANNEL_RULES };
  next.categories[code] = category;
  return next;
}

/** `rules` without the rule of `code` × `channel`; a category left with no channel goes too. */
export function withoutRule(rules: PlanRules, code: CategoryCode, channel: ChannelCode): PlanRules {
  const next = structuredClone(rules);
  const category = next.categories[code];
  if (!category) return next;
  delete category.channels[channel];
  if (CHANNEL_ORDER.every((c) => category.channels[c] === undefined)) delete next.categories[code];
  return next;
}

/** Saves new rules (the server checks it too). */
export const canEditPlans = (role: StaffRole) => role === 'administrator';

/** A whole number from `min` to `max` typed in a field, or null. */
export function parseWhole(input: string, min: number, max: number): number | null {
  const text = input.trim();
  if (!/^\d{1,6}$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}
