import { type Static, type TSchema, Type } from 'typebox';
import { Id, NOT_A_PROTOTYPE_NAME } from './common.js';
import {
  CATEGORY_CODES,
  CATEGORY_LABELS,
  CHANNELS,
  PLAN_CODE_PATTERN,
  PLAN_LIMITS,
  PLAN_RULE_ERROR_CODES,
  type PlanRuleErrorCode,
  REASON_CODES,
} from './plans.codes.js';

export {
  CATEGORY_CODES,
  CATEGORY_LABELS,
  CHANNELS,
  PLAN_CODE_PATTERN,
  PLAN_LIMITS,
  PLAN_RULE_ERROR_CODES,
  type PlanRuleErrorCode,
  REASON_CODES,
};

/**
 * Plan rules (one plan version, one year) and the reimbursement engine's input and output
 * (`server/modules/plans/rules-engine.ts`). Money is integer cents everywhere. Every object is
 * closed (`additionalProperties: false`), so the admin API can validate a plan as typed.
 *
 * Percentages are **basis points** (1/100 of a percent: 2000 = 20%, 1250 = 12.5%), integers from 0
 * to 10000, so that a plan's "scoperto 12,5%" is exact and no floating point reaches money.
 */

export const CategoryCode = Type.Enum(CATEGORY_CODES);
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export const Channel = Type.Enum(CHANNELS);
export type Channel = (typeof CHANNELS)[number];

/** One record per category code, each optional, nothing else allowed. */
function perCategory<Value extends TSchema>(value: Value) {
  return Type.Partial(Type.Record(CategoryCode, value), { additionalProperties: false });
}

/** Non-negative integer cents, far below 2^53 (10 million euro). */
const Cents = Type.Integer({ minimum: 0, maximum: PLAN_LIMITS.maxCents });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const Label = Type.Object(
  { it: Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type Label = Static<typeof Label>;

export const CapScope = Type.Enum(['person', 'family']);
export type CapScope = Static<typeof CapScope>;

/** A yearly ceiling on what the plan pays (*massimale*), for each person or for the whole family. */
export const Cap = Type.Object({ cents: Cents, scope: CapScope }, { additionalProperties: false });
export type Cap = Static<typeof Cap>;

/** The rules of one category in one channel; a channel absent from the category is not covered. */
export const ChannelRules = Type.Object(
  {
    /** Co-insurance (*scoperto*): the share left to the member, in basis points (2000 = 20%). */
    coinsuranceBasisPoints: Type.Integer({ minimum: 0, maximum: PLAN_LIMITS.maxBasisPoints }),
    /** Minimum left to the member per invoice (*minimo non indennizzabile*), when above the scoperto. */
    minimumPerInvoiceCents: Cents,
    /** Fixed amount left to the member per visit (*franchigia*), taken after the scoperto. */
    deductiblePerVisitCents: Cents,
    /** A doctor's prescription (with diagnosis or suspected diagnosis) must come with the invoice. */
    prescriptionRequired: Type.Boolean(),
    /** Days from the invoice date within which the claim must be sent (the invoice date's day is 0). */
    submissionDeadlineDays: Type.Integer({
      minimum: PLAN_LIMITS.deadlineDays.min,
      maximum: PLAN_LIMITS.deadlineDays.max,
    }),
  },
  { additionalProperties: false },
);
export type ChannelRules = Static<typeof ChannelRules>;

/** At most `times` reimbursed invoices in any `everyYears` years (lenses: once every 2 years). */
export const Frequency = Type.Object(
  {
    times: Type.Integer({ minimum: PLAN_LIMITS.frequencyTimes.min, maximum: PLAN_LIMITS.frequencyTimes.max }),
    everyYears: Type.Integer({
      minimum: PLAN_LIMITS.frequencyYears.min,
      maximum: PLAN_LIMITS.frequencyYears.max,
    }),
  },
  { additionalProperties: false },
);
export type Frequency = Static<typeof Frequency>;

export const CategoryRules = Type.Object(
  {
    label: Label,
    channels: Type.Object(
      {
        network: Type.Optional(ChannelRules),
        out_of_network: Type.Optional(ChannelRules),
        ssn_ticket: Type.Optional(ChannelRules),
      },
      { additionalProperties: false },
    ),
    /** A ceiling for this category inside the annual cap (*sottomassimale*). */
    subCap: Type.Optional(Cap),
    frequency: Type.Optional(Frequency),
  },
  { additionalProperties: false },
);
export type CategoryRules = Static<typeof CategoryRules>;

/** The rules of one plan version: what it covers in `year` (invoice dates in that year). */
export const PlanRules = Type.Object(
  {
    year: Type.Integer({ minimum: PLAN_LIMITS.year.min, maximum: PLAN_LIMITS.year.max }),
    /** A category absent from the plan is not covered. */
    categories: perCategory(CategoryRules),
    annualCap: Cap,
    /**
     * Straight-through decisions (decision 036): when enabled, a simple claim — every required
     * document there, no probable duplicate, every line accepted by the engine, claimed total up to
     * `maxTotalCents` — is approved by the system at submission, except a random sample.
     */
    autoDecision: Type.Optional(
      Type.Object({ enabled: Type.Boolean(), maxTotalCents: Cents }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);
export type PlanRules = Static<typeof PlanRules>;

/**
 * A plan code as a reference (path, `copyFrom`): also the codes registry imports create (`.`, one
 * character), never a name that reaches a prototype.
 */
export const PLAN_CODE_REF_PATTERN = `^${NOT_A_PROTOTYPE_NAME}[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`;
export const PlanCodeRef = Type.String({ pattern: PLAN_CODE_REF_PATTERN, maxLength: 40 });

export const PlanSummary = Type.Object({
  code: Type.String(),
  name: Type.String(),
  currentVersion: Type.Union([Type.Integer(), Type.Null()]),
});
export type PlanSummary = Static<typeof PlanSummary>;

/** A plan as the back office shows it: the rules in force and every version, newest first. */
export const PlanView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  currentVersion: Type.Union([Type.Integer(), Type.Null()]),
  rules: Type.Union([PlanRules, Type.Null()]),
  versions: Type.Array(
    Type.Object({
      version: Type.Integer(),
      createdAt: Type.String(),
      /** The staff username; null for versions made by the system (imports, demo). */
      createdBy: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type PlanView = Static<typeof PlanView>;

/**
 * A new plan: either a whole rules document (`rules`), or a start from a copy of another plan's
 * current rules (`copyFrom`, its code) or, without it, from the demo rules; `year` sets the plan
 * year of the copy (and overrides the one of `rules`).
 */
export const CreatePlanBody = Type.Object(
  {
    code: Type.String({ pattern: PLAN_CODE_PATTERN }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    year: Type.Optional(Type.Integer({ minimum: PLAN_LIMITS.year.min, maximum: PLAN_LIMITS.year.max })),
    copyFrom: Type.Optional(PlanCodeRef),
    rules: Type.Optional(PlanRules),
  },
  { additionalProperties: false },
);
export type CreatePlanBody = Static<typeof CreatePlanBody>;

/**
 * New rules, saved as the next version. `baseVersion` is the version the editor started from:
 * when another version was saved since, the answer is CONFLICT and nothing is saved.
 */
export const UpdatePlanBody = Type.Object(
  {
    baseVersion: Type.Integer({ minimum: 1 }),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    rules: PlanRules,
  },
  { additionalProperties: false },
);
export type UpdatePlanBody = Static<typeof UpdatePlanBody>;

/** One invoice or receipt of a claim. */
export const ClaimLine = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    category: CategoryCode,
    channel: Channel,
    invoiceDate: IsoDate,
    amountCents: Cents,
    /** What another fund or insurer already paid on this invoice. */
    paidByOtherFundCents: Type.Optional(Cents),
    hasPrescription: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ClaimLine = Static<typeof ClaimLine>;

/** What one person has had accepted: in the plan year (cents), and ever (dates, for frequency limits). */
export const PersonUsage = Type.Object(
  {
    totalCents: Cents,
    byCategoryCents: perCategory(Cents),
    /** Invoice dates of earlier accepted lines (any year): lenses once every 2 years looks back. */
    acceptedInvoiceDates: perCategory(Type.Array(IsoDate)),
  },
  { additionalProperties: false },
);
export type PersonUsage = Static<typeof PersonUsage>;

/** What a family has had accepted in the plan year, in total and per person; absent persons used nothing. */
export const Usage = Type.Object(
  {
    familyId: Id(),
    familyTotalCents: Cents,
    familyByCategoryCents: perCategory(Cents),
    /** By beneficiary id (the same pattern as `beneficiaryId`); no other key is accepted. */
    persons: Type.Record(Id(), PersonUsage, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export type Usage = Static<typeof Usage>;

export const ReasonCode = Type.Enum(REASON_CODES);
export type ReasonCode = (typeof REASON_CODES)[number];

/** Where the part not accepted went; with `acceptedCents` these add up to the invoice amount. */
export const LineBreakdown = Type.Object(
  {
    /** Scoperto or minimum per invoice, whichever is higher. */
    coinsuranceCents: Cents,
    deductibleCents: Cents,
    /** The part of what another fund paid that was taken off (never more than what was left). */
    otherFundCents: Cents,
    /** Reimbursable, but above the cap or sub-cap left. */
    overCapCents: Cents,
    /** The whole invoice, when the line is refused (not covered, late, no prescription, frequency). */
    refusedCents: Cents,
  },
  { additionalProperties: false },
);
export type LineBreakdown = Static<typeof LineBreakdown>;

export const LineAssessment = Type.Object(
  {
    lineId: Type.String(),
    category: CategoryCode,
    channel: Channel,
    amountCents: Cents,
    acceptedCents: Cents,
    /** The part this plan does not pay: `amountCents - acceptedCents` (what another fund paid included). */
    memberShareCents: Cents,
    reason: ReasonCode,
    breakdown: LineBreakdown,
    /** Sentences a member can read, in order, the same in both languages. */
    explanation: Type.Object(
      { it: Type.Array(Type.String()), en: Type.Array(Type.String()) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type LineAssessment = Static<typeof LineAssessment>;

export const Assessment = Type.Object(
  {
    lines: Type.Array(LineAssessment),
    totals: Type.Object(
      { amountCents: Cents, acceptedCents: Cents, memberShareCents: Cents },
      { additionalProperties: false },
    ),
    /** `usage` plus this claim's accepted amounts: the next claim starts from here. */
    usageAfter: Usage,
  },
  { additionalProperties: false },
);
export type Assessment = Static<typeof Assessment>;
