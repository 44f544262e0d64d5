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

function separators(language: string): { group: string; decimal: string } {
  return language.startsWith('en') ? { group: ',', decimal: '.' } : { group: '.', decimal: ',' };
}

/**
 * A number written with at most two decimals ("4.000,00", "12,5", "40" in Italian; "4,000.00" in
 * English) → the integer hundredths (400000, 1250, 4000), read from the digits: no floating point.
 * Spaces, "€" and "%" are ignored. Null when it is not such a number.
 */
export function parseHundredths(input: string, language: string): number | null {
  const text = input.replace(/[\s\u00a0€%]/g, '');
  const { group, decimal } = separators(language);
  const pattern = new RegExp(`^(\\d{1,3}(?:\\${group}\\d{3})+|\\d+)(?:\\${decimal}(\\d{1,2}))?$`);
  const match = pattern.exec(text);
  if (!match?.[1]) return null;
  const whole = match[1].split(group).join('');
  const value = Number(`${whole}${(match[2] ?? '').padEnd(2, '0')}`);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * An amount as an administrator types it: in the interface language's format, and in the Italian
 * one in any language ("1.234,50", as on the invoices), when that reading is the only one.
 */
export function parseAmount(input: string, language: string): number | null {
  const value = parseHundredths(input, language);
  if (value !== null || !language.startsWith('en')) return value;
  return parseHundredths(input, 'it');
}

/** Integer hundredths → "4.000,00" (it) / "4,000.00" (en); `trim` drops zero decimals ("20", "12,5"). */
export function formatHundredths(value: number, language: string, trim = false): string {
  const { group, decimal } = separators(language);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(value));
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  let fraction = String(abs % 100).padStart(2, '0');
  if (trim) fraction = fraction.replace(/0+$/, '');
  return fraction ? `${sign}${whole}${decimal}${fraction}` : `${sign}${whole}`;
}

/** Cents → "50,00 €" (it) / "€50.00" (en). */
export function formatEuro(cents: number, language: string): string {
  const amount = formatHundredths(cents, language);
  return language.startsWith('en') ? `€${amount}` : `${amount} €`;
}

/** Basis points → "20 %" (it) / "20%" (en). */
export function formatPercent(basisPoints: number, language: string): string {
  const amount = formatHundredths(basisPoints, language, true);
  return language.startsWith('en') ? `${amount}%` : `${amount} %`;
}

/** A whole number from `min` to `max` typed in a field, or null. */
export function parseWhole(input: string, min: number, max: number): number | null {
  const text = input.trim();
  if (!/^\d{1,6}$/.test(text)) return null;
  const value = Number(text);
  return value >= min && value <= max ? value : null;
}
