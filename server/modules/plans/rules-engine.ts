import {
  type Assessment,
  CATEGORY_LABELS,
  type CategoryCode,
  type CategoryRules,
  type Channel,
  type ChannelRules,
  type ClaimLine,
  type LineAssessment,
  type LineBreakdown,
  type PersonUsage,
  type PlanRules,
  type ReasonCode,
  type Usage,
} from '#contracts/plans.js';
import { isIsoDate } from '../../lib/text.js';

/**
 * The reimbursement engine: one pure function of (plan rules, claim, usage so far) → what each
 * invoice line gets and why, in Italian and English. Integer cents, no I/O, no clock: the member's
 * estimate and the operator's proposal both come from here. Order of the rules: README.md.
 */

export type { ClaimLine, PlanRules, Usage } from '#contracts/plans.js';

export interface ClaimToAssess {
  beneficiaryId: string;
  familyId: string;
  /** The day the claim is sent (YYYY-MM-DD): submission deadlines count up to it. */
  submittedOn: string;
  lines: ClaimLine[];
}

type Text = { it: string; en: string };

// ---------------------------------------------------------------------------------------------
// Money and dates, in integer arithmetic

const BASIS_POINTS = 10_000;

function assertCents(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer number of cents, got ${value}`);
  }
}

/**
 * `cents × basisPoints / 10000`, rounded half up to the cent, in exact integer arithmetic: the
 * whole ten-thousands and the remainder are multiplied apart, so nothing overflows 2^53.
 * `applyPercent(1005, 1000)` (10% of 10,05 €) = 101; `applyPercent(1, 5000)` = 1.
 */
export function applyPercent(cents: number, basisPoints: number): number {
  assertCents(cents, 'amount');
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > BASIS_POINTS) {
    throw new RangeError(`basis points must be an integer from 0 to 10000, got ${basisPoints}`);
  }
  const remainder = cents % BASIS_POINTS;
  const whole = (cents - remainder) / BASIS_POINTS;
  const scaled = remainder * basisPoints + BASIS_POINTS / 2;
  return whole * basisPoints + (scaled - (scaled % BASIS_POINTS)) / BASIS_POINTS;
}

/** `123456` → `1.234,56 €`: Italian money, written the same in both languages (as on the invoices). */
export function formatEuro(cents: number): string {
  const euros = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, '0');
  const grouped = String(euros).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${grouped},${rest} €`;
}

/** `2000` → `20%`; `1250` → `12,5%` (it) / `12.5%` (en). */
function formatBasisPoints(basisPoints: number, language: 'it' | 'en'): string {
  const whole = Math.floor(basisPoints / 100);
  const fraction = String(basisPoints % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return fraction ? `${whole}${language === 'it' ? ',' : '.'}${fraction}%` : `${whole}%`;
}

/** `2026-03-09` → `09/03/2026`. */
function formatDate(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

function assertDate(value: string, what: string): void {
  if (!isIsoDate(value)) throw new RangeError(`${what} must be a date YYYY-MM-DD, got ${value}`);
}

function dayNumber(date: string): number {
  return (
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000
  );
}

/** The same day `years` later (or earlier), as text; 29 February may land on a day that does not exist, which still compares right. */
function shiftYears(date: string, years: number): string {
  return `${String(Number(date.slice(0, 4)) + years).padStart(4, '0')}${date.slice(4)}`;
}

// ---------------------------------------------------------------------------------------------
// Usage
//
// Person ids and category codes come from the request. The usage maps are therefore built without
// a prototype and read only through own keys: an id such as `__proto__` or `constructor` is then
// just a person nobody knows, never a way to Object.prototype.

/** A map without a prototype, for keys that come from outside. */
function keyed<Value>(entries: Iterable<readonly [string, Value]> = []): Record<string, Value> {
  const record = Object.create(null) as Record<string, Value>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/** `record[key]` when the record itself holds it (never an inherited property). */
function own<Value>(record: Partial<Record<string, Value>>, key: string): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function emptyUsage(familyId: string): Usage {
  return { familyId, familyTotalCents: 0, familyByCategoryCents: keyed(), persons: keyed() };
}

function personUsage(usage: Usage, beneficiaryId: string): PersonUsage {
  return (
    own(usage.persons, beneficiaryId) ?? {
      totalCents: 0,
      byCategoryCents: keyed(),
      acceptedInvoiceDates: keyed(),
    }
  );
}

/** Cents used in one category, read from an own key only. */
function usedIn(byCategory: Partial<Record<CategoryCode, number>>, category: CategoryCode): number {
  return own(byCategory, category) ?? 0;
}

function cloneUsage(usage: Usage): Usage {
  return {
    familyId: usage.familyId,
    familyTotalCents: usage.familyTotalCents,
    familyByCategoryCents: keyed(Object.entries(usage.familyByCategoryCents)),
    persons: keyed(
      Object.entries(usage.persons).map(([id, person]) => [
        id,
        {
          totalCents: person.totalCents,
          byCategoryCents: keyed(Object.entries(person.byCategoryCents)),
          acceptedInvoiceDates: keyed(
            Object.entries(person.acceptedInvoiceDates).flatMap(([category, list]) =>
              list ? [[category, [...list]] as const] : [],
            ),
          ),
        },
      ]),
    ),
  };
}

/**
 * Adds to `usage` what one line had accepted: its invoice date always counts (frequency limits look
 * back over the years), its cents only when the line belongs to the plan year (`inPlanYear`).
 * `usage` must be one the caller owns, its maps without prototype (`emptyUsage`).
 */
export function addAcceptedLine(
  usage: Usage,
  beneficiaryId: string,
  line: Pick<ClaimLine, 'category' | 'invoiceDate'>,
  acceptedCents: number,
  inPlanYear = true,
): void {
  if (acceptedCents === 0) return;
  const person = personUsage(usage, beneficiaryId);
  usage.persons[beneficiaryId] = person;
  person.acceptedInvoiceDates[line.category] = [
    ...(own(person.acceptedInvoiceDates, line.category) ?? []),
    line.invoiceDate,
  ];
  if (!inPlanYear) return;
  usage.familyTotalCents += acceptedCents;
  usage.familyByCategoryCents[line.category] =
    usedIn(usage.familyByCategoryCents, line.category) + acceptedCents;
  person.totalCents += acceptedCents;
  person.byCategoryCents[line.category] = usedIn(person.byCategoryCents, line.category) + acceptedCents;
}

export interface CapLeft {
  scope: 'person' | 'family';
  capCents: number;
  usedCents: number;
  leftCents: number;
}

function capLeft(
  cap: { cents: number; scope: 'person' | 'family' },
  usedByPerson: number,
  usedByFamily: number,
): CapLeft {
  const usedCents = cap.scope === 'person' ? usedByPerson : usedByFamily;
  return { scope: cap.scope, capCents: cap.cents, usedCents, leftCents: Math.max(0, cap.cents - usedCents) };
}

/** What is left of the annual cap and of every sub-cap for one person (the dashboard's "live caps"). */
export function capsLeft(
  rules: PlanRules,
  usage: Usage,
  beneficiaryId: string,
): { annual: CapLeft; subCaps: Partial<Record<CategoryCode, CapLeft>> } {
  const person = personUsage(usage, beneficiaryId);
  const subCaps: Partial<Record<CategoryCode, CapLeft>> = {};
  for (const [code, category] of Object.entries(rules.categories) as [
    CategoryCode,
    CategoryRules | undefined,
  ][]) {
    if (!category?.subCap) continue;
    subCaps[code] = capLeft(
      category.subCap,
      usedIn(person.byCategoryCents, code),
      usedIn(usage.familyByCategoryCents, code),
    );
  }
  return { annual: capLeft(rules.annualCap, person.totalCents, usage.familyTotalCents), subCaps };
}

// ---------------------------------------------------------------------------------------------
// Words

const CHANNEL_WORDS: Record<Channel, Text> = {
  network: { it: 'nelle strutture convenzionate', en: 'at network facilities' },
  out_of_network: { it: 'fuori dalle strutture convenzionate', en: 'outside the network' },
  ssn_ticket: { it: 'come ticket SSN', en: 'as an SSN ticket' },
};

function capName(kind: 'annual' | 'sub', scope: 'person' | 'family', label: Text): Text {
  if (kind === 'annual') {
    return scope === 'family'
      ? { it: 'Massimale annuo del nucleo familiare', en: 'Family annual cap' }
      : { it: 'Massimale annuo per persona', en: 'Annual cap per person' };
  }
  return scope === 'family'
    ? { it: `Sottomassimale «${label.it}» del nucleo familiare`, en: `Family sub-cap for ${label.en}` }
    : { it: `Sottomassimale «${label.it}» per persona`, en: `Per-person sub-cap for ${label.en}` };
}

function timesWords(times: number, everyYears: number): Text {
  const it = times === 1 ? 'una volta' : `${times} volte`;
  const en = times === 1 ? 'once' : times === 2 ? 'twice' : `${times} times`;
  return everyYears === 1
    ? { it: `${it} all'anno`, en: `${en} a year` }
    : { it: `${it} ogni ${everyYears} anni`, en: `${en} every ${everyYears} years` };
}

// ---------------------------------------------------------------------------------------------
// The engine

class Explanation {
  readonly it: string[] = [];
  readonly en: string[] = [];
  add(text: Text): void {
    this.it.push(text.it);
    this.en.push(text.en);
  }
}

const NO_BREAKDOWN: LineBreakdown = {
  coinsuranceCents: 0,
  deductibleCents: 0,
  otherFundCents: 0,
  overCapCents: 0,
  refusedCents: 0,
};

/** A check that refuses the whole line, or null when the line may go on to the amounts. */
function refusal(
  rules: PlanRules,
  claim: ClaimToAssess,
  line: ClaimLine,
  category: CategoryRules | undefined,
  channel: ChannelRules | undefined,
  usage: Usage,
  label: Text,
): { reason: ReasonCode; text: Text } | null {
  const invoice = formatDate(line.invoiceDate);
  const sent = formatDate(claim.submittedOn);
  if (!category || !channel) {
    const where = category ? CHANNEL_WORDS[line.channel] : { it: '', en: '' };
    return {
      reason: 'not_covered',
      text: {
        it: `Il piano non copre «${label.it}»${where.it ? ` ${where.it}` : ''}.`,
        en: `The plan does not cover ${label.en}${where.en ? ` ${where.en}` : ''}.`,
      },
    };
  }
  if (Number(line.invoiceDate.slice(0, 4)) !== rules.year) {
    return {
      reason: 'outside_plan_year',
      text: {
        it: `Fattura del ${invoice}: questo piano copre le spese del ${rules.year}; va chiesta sul piano di quell'anno.`,
        en: `Invoice of ${invoice}: this plan covers expenses of ${rules.year}; claim it under that year's plan.`,
      },
    };
  }
  if (line.invoiceDate > claim.submittedOn) {
    return {
      reason: 'invoice_after_submission',
      text: {
        it: `La data della fattura (${invoice}) è successiva alla data di invio (${sent}): va corretta.`,
        en: `The invoice date (${invoice}) is after the sending date (${sent}): please correct it.`,
      },
    };
  }
  const days = dayNumber(claim.submittedOn) - dayNumber(line.invoiceDate);
  if (days > channel.submissionDeadlineDays) {
    const limit = channel.submissionDeadlineDays;
    return {
      reason: 'deadline_passed',
      text: {
        it: `Fattura del ${invoice} inviata il ${sent}, dopo ${days} giorni: il piano chiede l'invio entro ${limit} giorni dalla data della fattura.`,
        en: `Invoice of ${invoice} sent on ${sent}, after ${days} days: the plan requires sending within ${limit} days of the invoice date.`,
      },
    };
  }
  if (channel.prescriptionRequired && line.hasPrescription !== true) {
    return {
      reason: 'prescription_missing',
      text: {
        it: `«${label.it}»: il piano chiede la prescrizione medica con la diagnosi o il sospetto diagnostico, che non risulta allegata.`,
        en: `${label.en}: the plan requires a doctor's prescription with the diagnosis or suspected diagnosis, which is not attached.`,
      },
    };
  }
  if (category.frequency) {
    const { times, everyYears } = category.frequency;
    const from = shiftYears(line.invoiceDate, -everyYears);
    const to = shiftYears(line.invoiceDate, everyYears);
    const earlier = (own(personUsage(usage, claim.beneficiaryId).acceptedInvoiceDates, line.category) ?? [])
      .filter((date) => date > from && date < to)
      .sort();
    if (earlier.length >= times) {
      const words = timesWords(times, everyYears);
      const dates = earlier.map(formatDate).join(', ');
      return {
        reason: 'frequency_limit',
        text: {
          it: `«${label.it}»: il piano rimborsa ${words.it}; risulta già rimborsata la spesa del ${dates}.`,
          en: `${label.en}: the plan reimburses ${words.en}; the expense of ${dates} was already reimbursed.`,
        },
      };
    }
  }
  return null;
}

function assessLine(rules: PlanRules, claim: ClaimToAssess, line: ClaimLine, usage: Usage): LineAssessment {
  assertDate(line.invoiceDate, `line ${line.id}: invoiceDate`);
  assertCents(line.amountCents, `line ${line.id}: amountCents`);
  assertCents(line.paidByOtherFundCents ?? 0, `line ${line.id}: paidByOtherFundCents`);

  const amount = line.amountCents;
  const otherFundPaid = Math.min(line.paidByOtherFundCents ?? 0, amount);
  if (!Object.hasOwn(CATEGORY_LABELS, line.category) || !Object.hasOwn(CHANNEL_WORDS, line.channel)) {
    throw new RangeError(`line ${line.id}: unknown category or channel`);
  }
  const category = own(rules.categories, line.category);
  const channel = category ? own(category.channels, line.channel) : undefined;
  const label = category?.label ?? CATEGORY_LABELS[line.category];
  const explanation = new Explanation();
  const spent = formatEuro(amount);

  const result = (acceptedCents: number, reason: ReasonCode, breakdown: LineBreakdown): LineAssessment => {
    const share = amount - acceptedCents;
    const accepted = formatEuro(acceptedCents);
    if (otherFundPaid > 0) {
      const other = formatEuro(otherFundPaid);
      explanation.add({
        it: `Rimborso riconosciuto: ${accepted}; non rimborsati da questo piano: ${formatEuro(share)}, di cui ${other} già pagati da un altro fondo.`,
        en: `Reimbursement accepted: ${accepted}; not paid by this plan: ${formatEuro(share)}, of which ${other} already paid by another fund.`,
      });
    } else {
      explanation.add({
        it: `Rimborso riconosciuto: ${accepted}; a tuo carico: ${formatEuro(share)}.`,
        en: `Reimbursement accepted: ${accepted}; left to you: ${formatEuro(share)}.`,
      });
    }
    return {
      lineId: line.id,
      category: line.category,
      channel: line.channel,
      amountCents: amount,
      acceptedCents,
      memberShareCents: share,
      reason,
      breakdown,
      explanation: { it: explanation.it, en: explanation.en },
    };
  };

  const refused = refusal(rules, claim, line, category, channel, usage, label);
  if (refused || !category || !channel) {
    if (refused) explanation.add(refused.text);
    return result(0, refused?.reason ?? 'not_covered', { ...NO_BREAKDOWN, refusedCents: amount });
  }

  // 1. Scoperto or minimum per invoice, whichever is higher (never more than the invoice).
  const { coinsuranceBasisPoints: bp, minimumPerInvoiceCents: minimum } = channel;
  const coinsurance = Math.min(amount, Math.max(applyPercent(amount, bp), minimum));
  const afterMinimum = amount - coinsurance;
  const left = formatEuro(coinsurance);
  const rest = formatEuro(afterMinimum);
  if (bp > 0 && minimum > 0) {
    explanation.add({
      it: `Spesa ${spent}; scoperto ${formatBasisPoints(bp, 'it')} con minimo ${formatEuro(minimum)} per fattura: restano a tuo carico ${left}; rimborsabile ${rest}.`,
      en: `Expense ${spent}; co-insurance ${formatBasisPoints(bp, 'en')} with a minimum of ${formatEuro(minimum)} per invoice: ${left} is left to you; reimbursable ${rest}.`,
    });
  } else if (bp > 0) {
    explanation.add({
      it: `Spesa ${spent}; scoperto ${formatBasisPoints(bp, 'it')}: restano a tuo carico ${left}; rimborsabile ${rest}.`,
      en: `Expense ${spent}; co-insurance ${formatBasisPoints(bp, 'en')}: ${left} is left to you; reimbursable ${rest}.`,
    });
  } else if (minimum > 0) {
    explanation.add({
      it: `Spesa ${spent}; minimo non rimborsabile ${formatEuro(minimum)} per fattura: restano a tuo carico ${left}; rimborsabile ${rest}.`,
      en: `Expense ${spent}; ${formatEuro(minimum)} per invoice is not reimbursable: ${left} is left to you; reimbursable ${rest}.`,
    });
  } else {
    explanation.add({
      it: `Spesa ${spent}: rimborsabile al 100%.`,
      en: `Expense ${spent}: reimbursable in full (100%).`,
    });
  }

  // 2. Deductible per visit.
  const deductible = Math.min(afterMinimum, channel.deductiblePerVisitCents);
  const afterDeductible = afterMinimum - deductible;
  if (channel.deductiblePerVisitCents > 0 && afterMinimum > 0) {
    const d = formatEuro(channel.deductiblePerVisitCents);
    explanation.add({
      it: `Franchigia per visita ${d}: rimborsabile ${formatEuro(afterDeductible)}.`,
      en: `Deductible per visit ${d}: reimbursable ${formatEuro(afterDeductible)}.`,
    });
  }

  // 3. What another fund already paid.
  const otherFund = Math.min(afterDeductible, otherFundPaid);
  const eligible = afterDeductible - otherFund;
  if (otherFundPaid > 0 && afterDeductible > 0) {
    const o = formatEuro(otherFundPaid);
    explanation.add({
      it: `Già pagati da un altro fondo ${o}: rimborsabile ${formatEuro(eligible)}.`,
      en: `Already paid by another fund ${o}: reimbursable ${formatEuro(eligible)}.`,
    });
  }

  const breakdown: LineBreakdown = {
    ...NO_BREAKDOWN,
    coinsuranceCents: coinsurance,
    deductibleCents: deductible,
    otherFundCents: otherFund,
  };
  if (amount === 0) return result(0, 'accepted', breakdown);
  if (eligible === 0) {
    const reason =
      afterMinimum === 0
        ? 'zero_after_minimum'
        : afterDeductible === 0
          ? 'zero_after_deductible'
          : 'paid_by_other_fund';
    return result(0, reason, breakdown);
  }

  // 4. Caps: the annual cap (person or family) and the category's sub-cap, whichever has less left.
  const person = personUsage(usage, claim.beneficiaryId);
  const annual = capLeft(rules.annualCap, person.totalCents, usage.familyTotalCents);
  const sub = category.subCap
    ? capLeft(
        category.subCap,
        usedIn(person.byCategoryCents, line.category),
        usedIn(usage.familyByCategoryCents, line.category),
      )
    : null;
  const binding =
    sub && sub.leftCents < annual.leftCents
      ? { cap: sub, kind: 'sub' as const }
      : { cap: annual, kind: 'annual' as const };
  const accepted = Math.min(eligible, binding.cap.leftCents);
  const overCap = eligible - accepted;
  if (overCap > 0) {
    const name = capName(binding.kind, binding.cap.scope, label);
    const cap = formatEuro(binding.cap.capCents);
    const over = formatEuro(overCap);
    explanation.add(
      accepted === 0
        ? {
            it: `${name.it} di ${cap} esaurito: nessun rimborso per questa fattura.`,
            en: `${name.en} of ${cap} used up: nothing is reimbursed for this invoice.`,
          }
        : {
            it: `${name.it} di ${cap}: ne restano ${formatEuro(accepted)}, quindi rimborsabile ${formatEuro(accepted)}; gli altri ${over} restano a tuo carico.`,
            en: `${name.en} of ${cap}: ${formatEuro(accepted)} left, so reimbursable ${formatEuro(accepted)}; the other ${over} is left to you.`,
          },
    );
    return result(accepted, binding.kind === 'sub' ? 'subcap_reached' : 'cap_reached', {
      ...breakdown,
      overCapCents: overCap,
    });
  }

  const reason: ReasonCode =
    accepted === amount
      ? 'accepted'
      : coinsurance > 0
        ? 'partially_accepted_coinsurance'
        : deductible > 0
          ? 'partially_accepted_deductible'
          : 'partially_accepted_other_fund';
  return result(accepted, reason, breakdown);
}

/**
 * Assesses every line of a claim in order: each accepted line consumes the caps before the next is
 * looked at, so the invoice that crosses a cap is cut to what is left and later ones get nothing.
 * `usage` is what the family already had accepted in the plan year (it is not modified).
 */
export function assessClaim(rules: PlanRules, claim: ClaimToAssess, usage: Usage): Assessment {
  assertDate(claim.submittedOn, 'submittedOn');
  if (usage.familyId !== claim.familyId) {
    throw new RangeError(`usage is for family ${usage.familyId}, the claim for family ${claim.familyId}`);
  }
  const usageAfter = cloneUsage(usage);
  const lines = claim.lines.map((line) => {
    const assessed = assessLine(rules, claim, line, usageAfter);
    addAcceptedLine(usageAfter, claim.beneficiaryId, line, assessed.acceptedCents);
    return assessed;
  });
  const totals = { amountCents: 0, acceptedCents: 0, memberShareCents: 0 };
  for (const line of lines) {
    totals.amountCents += line.amountCents;
    totals.acceptedCents += line.acceptedCents;
    totals.memberShareCents += line.memberShareCents;
  }
  return { lines, totals, usageAfter };
}

// ---------------------------------------------------------------------------------------------
// The demo plan

const DEADLINE_DAYS = 120;

/** Out of network: 80% reimbursed, at least 50 € per invoice left to the member. */
function outOfNetwork(prescriptionRequired: boolean): ChannelRules {
  return {
    coinsuranceBasisPoints: 2000,
    minimumPerInvoiceCents: 5000,
    deductiblePerVisitCents: 0,
    prescriptionRequired,
    submissionDeadlineDays: DEADLINE_DAYS,
  };
}

/** Paid in full (network: the plan pays the facility), less a deductible per visit where there is one. */
function inFull(prescriptionRequired: boolean, deductiblePerVisitCents = 0): ChannelRules {
  return {
    coinsuranceBasisPoints: 0,
    minimumPerInvoiceCents: 0,
    deductiblePerVisitCents,
    prescriptionRequired,
    submissionDeadlineDays: DEADLINE_DAYS,
  };
}

/**
 * The demo plan for 2026, with values typical of Italian supplementary plans: network 100% paid to
 * the facility (a small deductible per visit for specialist visits and high-end diagnostics), out
 * of network 80% with a 50 € minimum per invoice, SSN tickets 100%; 5.000 € a year per family,
 * with per-person sub-caps for physiotherapy, dental care and lenses (lenses once every 2 years).
 */
export const DEMO_PLAN_RULES: PlanRules = {
  year: 2026,
  annualCap: { cents: 500_000, scope: 'family' },
  categories: {
    visite_specialistiche: {
      label: CATEGORY_LABELS.visite_specialistiche,
      channels: { network: inFull(true, 2000), out_of_network: outOfNetwork(true), ssn_ticket: inFull(true) },
    },
    accertamenti_diagnostici: {
      label: CATEGORY_LABELS.accertamenti_diagnostici,
      channels: { network: inFull(true), out_of_network: outOfNetwork(true), ssn_ticket: inFull(true) },
    },
    alta_diagnostica: {
      label: CATEGORY_LABELS.alta_diagnostica,
      channels: { network: inFull(true, 3500), out_of_network: outOfNetwork(true), ssn_ticket: inFull(true) },
    },
    fisioterapia: {
      label: CATEGORY_LABELS.fisioterapia,
      channels: { network: inFull(true), out_of_network: outOfNetwork(true), ssn_ticket: inFull(true) },
      subCap: { cents: 80_000, scope: 'person' },
    },
    odontoiatria: {
      label: CATEGORY_LABELS.odontoiatria,
      channels: { network: inFull(false), out_of_network: outOfNetwork(false), ssn_ticket: inFull(false) },
      subCap: { cents: 100_000, scope: 'person' },
    },
    lenti: {
      label: CATEGORY_LABELS.lenti,
      channels: { network: inFull(false), out_of_network: inFull(false) },
      subCap: { cents: 15_000, scope: 'person' },
      frequency: { times: 1, everyYears: 2 },
    },
    ticket_ssn: {
      label: CATEGORY_LABELS.ticket_ssn,
      channels: { ssn_ticket: inFull(false) },
    },
    ricovero: {
      label: CATEGORY_LABELS.ricovero,
      channels: {
        network: inFull(false),
        out_of_network: { ...outOfNetwork(false), minimumPerInvoiceCents: 50_000 },
      },
    },
  },
};
