import { type Static, Type } from 'typebox';
import {
  Cents,
  CLAIM_ADJUST_REASONS,
  CLAIM_LIMITS,
  ClaimActor,
  ClaimDocument,
  ClaimInvoice,
  ClaimMessage,
  ClaimNumber,
  ClaimState,
  DOCUMENT_KINDS,
  IsoDate,
  Nullable,
  Text,
} from './claims.js';
import { FiniteInteger, Id } from './common.js';
import { CategoryCode, PlanCodeRef, ReasonCode } from './plans.js';

/**
 * The back office's claims API (`/api/v1/staff/claims…`): the operators' queue, a claim with
 * the engine's proposal, taking and releasing, decisions (with a second operator's approval when
 * needed: four eyes), requests for documents and messages. Money integer cents.
 */

export const ClaimAdjustReason = Type.Enum(CLAIM_ADJUST_REASONS);

export const QueueQuery = Type.Object({
  state: Type.Optional(ClaimState),
  /** Waiting at least this many days since submission. */
  minDays: Type.Optional(FiniteInteger({ minimum: 0, maximum: 3650 })),
  category: Type.Optional(CategoryCode),
  plan: Type.Optional(PlanCodeRef),
  /** Claimed total, from and to (cents). */
  minCents: Type.Optional(FiniteInteger({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  maxCents: Type.Optional(FiniteInteger({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
  /** Only claims with a probable duplicate invoice. */
  duplicate: Type.Optional(Type.Boolean()),
  page: FiniteInteger({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: FiniteInteger({ minimum: 1, maximum: CLAIM_LIMITS.pageSize.max, default: 20 }),
});
export type QueueQuery = Static<typeof QueueQuery>;

const Person = Type.Object({ givenName: Type.String(), surname: Type.String() });
const Holder = Type.Object({ id: Id(), username: Type.String() });

export const QueueItem = Type.Object({
  id: Id(),
  number: ClaimNumber,
  state: ClaimState,
  category: CategoryCode,
  categoryLabel: Text,
  planCode: Type.String(),
  member: Person,
  beneficiary: Person,
  submittedAt: Type.String(),
  /** Whole days since submission (Italian calendar days). */
  daysWaiting: Type.Integer(),
  claimedCents: Cents,
  estimatedCents: Cents,
  acceptedCents: Nullable(Cents),
  probableDuplicate: Type.Boolean(),
  holder: Nullable(Holder),
  /** A decision waits for a second operator's approval. */
  pendingDecision: Type.Boolean(),
});
export type QueueItem = Static<typeof QueueItem>;

export const Queue = Type.Object({
  items: Type.Array(QueueItem),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  /** Sent claims by state, whatever the filters. */
  counts: Type.Array(Type.Object({ state: ClaimState, count: Type.Integer() })),
  /** The plans with claims (the plan filter's choices). */
  plans: Type.Array(Type.String()),
});
export type Queue = Static<typeof Queue>;

/** The engine's proposal for a line, against the family's decided claims as they are now. */
export const ProposalLine = Type.Object({
  acceptedCents: Cents,
  reason: ReasonCode,
  explanation: Type.Object({ it: Type.Array(Type.String()), en: Type.Array(Type.String()) }),
});
export type ProposalLine = Static<typeof ProposalLine>;

export const StaffClaimInvoice = Type.Object({
  ...ClaimInvoice.properties,
  /** null once decided (the accepted amount is then the decision's). */
  proposal: Nullable(ProposalLine),
});
export type StaffClaimInvoice = Static<typeof StaffClaimInvoice>;

export const DecisionLine = Type.Object(
  {
    invoiceId: Id(),
    acceptedCents: Cents,
    /** Required when the amount differs from the engine's proposal. */
    adjustReason: Type.Optional(Nullable(ClaimAdjustReason)),
  },
  { additionalProperties: false },
);
export type DecisionLine = Static<typeof DecisionLine>;

export const FOUR_EYES_REASONS = ['above_proposal', 'above_threshold'] as const;
export type FourEyesReason = (typeof FOUR_EYES_REASONS)[number];

export const PendingDecisionView = Type.Object({
  proposedBy: Type.String(),
  proposedAt: Type.String(),
  lines: Type.Array(
    Type.Object({ invoiceId: Id(), acceptedCents: Cents, adjustReason: Nullable(ClaimAdjustReason) }),
  ),
  note: Nullable(Type.String()),
  totalCents: Cents,
  /** Why a second approval is needed. */
  reasons: Type.Array(Type.Enum(FOUR_EYES_REASONS)),
});
export type PendingDecisionView = Static<typeof PendingDecisionView>;

const RegistryPerson = Type.Object({
  registryId: Id(),
  givenName: Type.String(),
  surname: Type.String(),
  codiceFiscale: Type.String(),
});

export const StaffClaimEvent = Type.Object({
  at: Type.String(),
  from: Nullable(ClaimState),
  to: ClaimState,
  actor: ClaimActor,
  /** The staff user's username; null for the member and the system. */
  actorName: Nullable(Type.String()),
  reasonCode: Nullable(Type.String()),
  note: Nullable(Type.String()),
  /** Documents asked for (a request for documents). */
  items: Type.Array(Type.Enum(DOCUMENT_KINDS)),
});
export type StaffClaimEvent = Static<typeof StaffClaimEvent>;

export const StaffClaimDetail = Type.Object({
  id: Id(),
  number: ClaimNumber,
  state: ClaimState,
  category: CategoryCode,
  categoryLabel: Text,
  plan: Type.Object({ code: Type.String(), version: Type.Integer() }),
  member: RegistryPerson,
  beneficiary: RegistryPerson,
  submittedAt: Type.String(),
  expectedDecisionOn: IsoDate,
  ibanMasked: Type.String(),
  accountHolder: Type.String(),
  claimedCents: Cents,
  estimatedCents: Cents,
  acceptedCents: Nullable(Cents),
  paidCents: Nullable(Cents),
  paidOn: Nullable(IsoDate),
  holder: Nullable(Holder),
  decision: Nullable(
    Type.Object({
      at: Type.String(),
      by: Type.Union([Type.Literal('staff'), Type.Literal('system')]),
      operator: Nullable(Type.String()),
      secondApprover: Nullable(Type.String()),
      /** The rule that allowed an automatic decision. */
      autoRule: Nullable(Type.String()),
    }),
  ),
  pendingDecision: Nullable(PendingDecisionView),
  invoices: Type.Array(StaffClaimInvoice),
  documents: Type.Array(ClaimDocument),
  /** The category's checklist and whether a sent document of each kind is there. */
  checklist: Type.Array(
    Type.Object({
      kind: Type.Enum(DOCUMENT_KINDS),
      need: Type.Union([Type.Literal('required'), Type.Literal('when_applicable')]),
      present: Type.Boolean(),
    }),
  ),
  /** Other claims of the family with an invoice of the same number and date. */
  duplicates: Type.Array(
    Type.Object({ invoiceId: Id(), claimId: Id(), number: ClaimNumber, state: ClaimState }),
  ),
  messages: Type.Array(ClaimMessage),
  events: Type.Array(StaffClaimEvent),
  /** What the signed-in staff user may do now. */
  can: Type.Object({
    take: Type.Boolean(),
    release: Type.Boolean(),
    decide: Type.Boolean(),
    requestDocuments: Type.Boolean(),
    confirm: Type.Boolean(),
    discard: Type.Boolean(),
    message: Type.Boolean(),
  }),
});
export type StaffClaimDetail = Static<typeof StaffClaimDetail>;

export const DecisionBody = Type.Object(
  {
    lines: Type.Array(DecisionLine, { minItems: 1, maxItems: CLAIM_LIMITS.maxInvoices }),
    /** Free text for the member (the timeline shows it as written). */
    note: Type.Optional(Type.String({ maxLength: CLAIM_LIMITS.messageMaxLength })),
  },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

export const DecisionResult = Type.Object({
  state: ClaimState,
  /** true: the decision waits for a second operator's approval (four eyes). */
  pending: Type.Boolean(),
});
export type DecisionResult = Static<typeof DecisionResult>;

export const DocumentRequestBody = Type.Object(
  {
    items: Type.Array(Type.Enum(DOCUMENT_KINDS), { minItems: 1, maxItems: DOCUMENT_KINDS.length }),
    note: Type.Optional(Type.String({ maxLength: CLAIM_LIMITS.messageMaxLength })),
  },
  { additionalProperties: false },
);
export type DocumentRequestBody = Static<typeof DocumentRequestBody>;
