import { type Static, type TSchema, type TUnsafe, Type } from 'typebox';
import {
  CLAIM_ACTORS,
  CLAIM_ADJUST_REASONS,
  CLAIM_FIELD_CODES,
  CLAIM_LIMITS,
  CLAIM_NUMBER_PATTERN,
  CLAIM_STATES,
  CLAIM_WARNING_CODES,
  DOCUMENT_KINDS,
  DOCUMENT_MEDIA_TYPES,
  DOCUMENT_REFUSAL_CODES,
} from './claims.codes.js';
import { FiniteInteger, Id } from './common.js';
import { CategoryCode, Channel, ReasonCode } from './plans.js';

export * from './claims.codes.js';

/**
 * The member's claims API (`/api/v1/claims…`). A claim starts as the member's draft (the wizard,
 * saved as they go), becomes `submitted` with a number, and is then moved on by the back office.
 * Every id is the app's UUIDv7; money integer cents; dates YYYY-MM-DD; instants ISO-8601 UTC.
 */

/**
 * `t` or null, as one JSON Schema type list (`enum` with null for enums). As an `anyOf`, the
 * server's type coercion would turn a null into 0 or "" while trying `t` (or 0 into null the other
 * way round); with a type list Ajv coerces nothing that already has one of the types.
 */
export function Nullable<T extends TSchema>(t: T): TUnsafe<Static<T> | null> {
  const schema = t as unknown as { type?: string; enum?: unknown[] };
  if (schema.enum) return Type.Unsafe<Static<T> | null>({ ...t, enum: [...schema.enum, null] });
  return Type.Unsafe<Static<T> | null>({ ...t, type: [schema.type, 'null'] });
}
export const Text = Type.Object({ it: Type.String(), en: Type.String() }, { additionalProperties: false });
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
export const Cents = Type.Integer({
  minimum: 0,
  maximum: CLAIM_LIMITS.maxInvoiceCents * CLAIM_LIMITS.maxInvoices,
});

export const ClaimState = Type.Enum(CLAIM_STATES);
export const ClaimActor = Type.Enum(CLAIM_ACTORS);
export const DocumentKind = Type.Enum(DOCUMENT_KINDS);
export const DocumentMediaType = Type.Enum(DOCUMENT_MEDIA_TYPES);
export const ClaimFieldCode = Type.Enum(CLAIM_FIELD_CODES);
export const ClaimWarningCode = Type.Enum(CLAIM_WARNING_CODES);
export const DocumentRefusalCode = Type.Enum(DOCUMENT_REFUSAL_CODES);
export const ClaimNumber = Type.String({
  pattern: CLAIM_NUMBER_PATTERN,
  description: 'e.g. RSM-2026-000123',
});

// ---------------------------------------------------------------------------------------------
// What the wizard offers: GET /api/v1/claims/options

export const BeneficiaryOption = Type.Object({
  /** The registry member's id. */
  id: Id(),
  givenName: Type.String(),
  surname: Type.String(),
  /** `titolare`, `coniuge`, `figlio`, … (contracts/registry.codes.ts). */
  role: Type.String(),
  self: Type.Boolean(),
  coverageStart: IsoDate,
  coverageEnd: Nullable(IsoDate),
});
export type BeneficiaryOption = Static<typeof BeneficiaryOption>;

export const CategoryOption = Type.Object({
  code: CategoryCode,
  /** The plan's own label. */
  label: Text,
  /** The channels the plan has rules for in this category. */
  channels: Type.Array(Channel),
  /** Days from the invoice date to send it (null: no deadline). */
  deadlineDays: Nullable(Type.Integer()),
  /** A prescription is needed on these channels. */
  prescriptionRequired: Type.Array(Channel),
});
export type CategoryOption = Static<typeof CategoryOption>;

export const ClaimOptions = Type.Object({
  plan: Type.Object({ code: Type.String(), version: Type.Integer(), year: Type.Integer() }),
  beneficiaries: Type.Array(BeneficiaryOption),
  categories: Type.Array(CategoryOption),
  /** From the member's last claim (or null): the IBAN step starts from it. */
  payee: Nullable(Type.Object({ iban: Type.String(), accountHolder: Type.String() })),
  /** The server's today (Europe/Rome): "a future date" is after this day. */
  today: IsoDate,
});
export type ClaimOptions = Static<typeof ClaimOptions>;

// ---------------------------------------------------------------------------------------------
// The draft: POST /api/v1/claims/drafts (start, or the open one), GET/PUT /api/v1/claims/drafts/{id}

/** One invoice as typed; every field may still be missing while the member goes. */
export const DraftInvoice = Type.Object(
  {
    /** Chosen by the client (a UUID): the invoice's estimate line and warnings refer to it. */
    id: Id(),
    invoiceDate: Type.Optional(Nullable(IsoDate)),
    invoiceNumber: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: CLAIM_LIMITS.invoiceNumberMaxLength })),
    ),
    issuerName: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: CLAIM_LIMITS.issuerNameMaxLength })),
    ),
    /** Partita IVA (11 digits) or codice fiscale (16 characters), optional. */
    issuerTaxId: Type.Optional(Nullable(Type.String({ minLength: 11, maxLength: 16 }))),
    amountCents: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: CLAIM_LIMITS.maxInvoiceCents }))),
    channel: Type.Optional(Nullable(Channel)),
    /** The network facility, when `channel` is `network`. */
    facilityId: Type.Optional(Nullable(Id())),
  },
  { additionalProperties: false },
);
export type DraftInvoice = Static<typeof DraftInvoice>;

/** PUT body: the whole wizard so far (replaces what was saved). */
export const DraftBody = Type.Object(
  {
    beneficiaryId: Type.Optional(Nullable(Id())),
    category: Type.Optional(Nullable(CategoryCode)),
    /**
     * Up to CLAIM_LIMITS.maxInvoices; more answers the field code `too_many_invoices` (the schema's
     * own bound is only a ceiling on the body's size).
     */
    invoices: Type.Array(DraftInvoice, { maxItems: CLAIM_LIMITS.maxInvoices * 5 }),
    iban: Type.Optional(Nullable(Type.String({ maxLength: 42 }))),
    accountHolder: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: CLAIM_LIMITS.accountHolderMaxLength })),
    ),
  },
  { additionalProperties: false },
);
export type DraftBody = Static<typeof DraftBody>;

export const ClaimDocument = Type.Object({
  id: Id(),
  kind: DocumentKind,
  /** The name the member's file had, for display only (never a storage key). */
  fileName: Type.String(),
  mediaType: DocumentMediaType,
  bytes: Type.Integer(),
  uploadedAt: Type.String(),
  /** `initial` with the claim; `integration` sent later, when the back office asked. */
  phase: Type.Union([Type.Literal('initial'), Type.Literal('integration')]),
  /** Already part of a sent claim or integration (cannot be removed any more). */
  sent: Type.Boolean(),
});
export type ClaimDocument = Static<typeof ClaimDocument>;

/** A problem that does not stop the claim (a probable duplicate invoice). */
export const ClaimWarning = Type.Object({
  code: ClaimWarningCode,
  /** JSON pointer of the value it concerns, e.g. `/invoices/0`. */
  field: Type.String(),
  /** The duplicate's claim number, when it was already sent. */
  claimNumber: Type.Optional(Type.String()),
});
export type ClaimWarning = Static<typeof ClaimWarning>;

export const Draft = Type.Object({
  id: Id(),
  updatedAt: Type.String(),
  beneficiaryId: Nullable(Id()),
  category: Nullable(CategoryCode),
  invoices: Type.Array(DraftInvoice),
  iban: Nullable(Type.String()),
  accountHolder: Nullable(Type.String()),
  documents: Type.Array(ClaimDocument),
  warnings: Type.Array(ClaimWarning),
});
export type Draft = Static<typeof Draft>;

/**
 * Document upload (draft or integration): the raw file as the body (any Content-Type: the server
 * reads the content), `kind` and the file's name in the query.
 */
export const DocumentUploadQuery = Type.Object({
  kind: DocumentKind,
  name: Type.String({ minLength: 1, maxLength: 200 }),
});

// ---------------------------------------------------------------------------------------------
// The estimate: POST /api/v1/claims/drafts/{id}/estimate (checks the whole draft first)

export const EstimateLine = Type.Object({
  invoiceId: Id(),
  amountCents: Cents,
  acceptedCents: Cents,
  memberShareCents: Cents,
  reason: ReasonCode,
  /** Sentences from the rules engine, in both languages (text that is data). */
  explanation: Type.Object({ it: Type.Array(Type.String()), en: Type.Array(Type.String()) }),
});
export type EstimateLine = Static<typeof EstimateLine>;

export const CapAfter = Type.Object({
  /** null: the annual cap; else the category's sub-cap. */
  category: Nullable(CategoryCode),
  scope: Type.Union([Type.Literal('person'), Type.Literal('family')]),
  capCents: Cents,
  /** What is left once this claim is accepted as estimated. */
  leftCents: Cents,
});
export type CapAfter = Static<typeof CapAfter>;

export const Estimate = Type.Object({
  lines: Type.Array(EstimateLine),
  totals: Type.Object({ amountCents: Cents, acceptedCents: Cents, memberShareCents: Cents }),
  capsAfter: Type.Array(CapAfter),
  warnings: Type.Array(ClaimWarning),
});
export type Estimate = Static<typeof Estimate>;

// ---------------------------------------------------------------------------------------------
// Sending: POST /api/v1/claims/drafts/{id}/submit

export const SubmitBody = Type.Object(
  {
    /** "Dichiaro che i dati e i documenti sono veritieri…" must be ticked. */
    declaration: Type.Literal(true),
    /**
     * One per press of "INVIA RICHIESTA" (a UUID made by the page): the same key sent again —
     * double click, retry, two tabs — answers with the same claim, never a second one.
     */
    idempotencyKey: Type.String({ pattern: '^[A-Za-z0-9-]{16,64}$' }),
  },
  { additionalProperties: false },
);
export type SubmitBody = Static<typeof SubmitBody>;

export const Submitted = Type.Object({
  id: Id(),
  number: ClaimNumber,
  state: ClaimState,
  submittedAt: Type.String(),
  expectedDecisionOn: IsoDate,
});
export type Submitted = Static<typeof Submitted>;

// ---------------------------------------------------------------------------------------------
// "Le mie pratiche": GET /api/v1/claims, GET /api/v1/claims/{id}

export const ClaimListQuery = Type.Object({
  state: Type.Optional(ClaimState),
  year: Type.Optional(FiniteInteger({ minimum: 2000, maximum: 2100 })),
  beneficiaryId: Type.Optional(Id()),
  page: FiniteInteger({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: FiniteInteger({
    minimum: 1,
    maximum: CLAIM_LIMITS.pageSize.max,
    default: CLAIM_LIMITS.pageSize.default,
  }),
});
export type ClaimListQuery = Static<typeof ClaimListQuery>;

const Person = Type.Object({ id: Id(), givenName: Type.String(), surname: Type.String() });

export const ClaimSummary = Type.Object({
  id: Id(),
  number: ClaimNumber,
  state: ClaimState,
  kind: Type.Literal('reimbursement'),
  category: CategoryCode,
  categoryLabel: Text,
  beneficiary: Person,
  submittedAt: Type.String(),
  claimedCents: Cents,
  estimatedCents: Cents,
  /** Set once decided. */
  acceptedCents: Nullable(Cents),
  /** Set once paid. */
  paidCents: Nullable(Cents),
});
export type ClaimSummary = Static<typeof ClaimSummary>;

export const ClaimList = Type.Object({
  items: Type.Array(ClaimSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  /** Years with at least one claim, newest first (the year filter's choices). */
  years: Type.Array(Type.Integer()),
  /** The family members the member may see claims of (the beneficiary filter's choices). */
  beneficiaries: Type.Array(Person),
});
export type ClaimList = Static<typeof ClaimList>;

export const ClaimEvent = Type.Object({
  at: Type.String(),
  from: Nullable(ClaimState),
  to: ClaimState,
  actor: ClaimActor,
  /** Why, as a stable code (e.g. `member_cancelled`, `documents_requested`). */
  reasonCode: Nullable(Type.String()),
  /** Free text the back office wrote for the member (it is shown as written). */
  note: Nullable(Type.String()),
});
export type ClaimEvent = Static<typeof ClaimEvent>;

export const ClaimInvoice = Type.Object({
  id: Id(),
  invoiceDate: IsoDate,
  invoiceNumber: Type.String(),
  issuerName: Type.String(),
  issuerTaxId: Nullable(Type.String()),
  channel: Channel,
  facility: Nullable(Type.Object({ id: Id(), name: Type.String() })),
  amountCents: Cents,
  estimatedCents: Cents,
  acceptedCents: Nullable(Cents),
  paidCents: Nullable(Cents),
  /** The engine's reason at submission, or the operator's once decided. */
  reason: Nullable(ReasonCode),
  explanation: Type.Object({ it: Type.Array(Type.String()), en: Type.Array(Type.String()) }),
  probableDuplicate: Type.Boolean(),
  /** Why the operator accepted another amount than the engine proposed (shown in plain words). */
  adjustReason: Nullable(Type.Enum(CLAIM_ADJUST_REASONS)),
});
export type ClaimInvoice = Static<typeof ClaimInvoice>;

export const ClaimMessage = Type.Object({
  id: Id(),
  at: Type.String(),
  author: Type.Union([Type.Literal('member'), Type.Literal('staff')]),
  body: Type.String(),
});
export type ClaimMessage = Static<typeof ClaimMessage>;

export const ClaimDetail = Type.Object({
  ...ClaimSummary.properties,
  /** Masked but for the last four characters: `IT** **** … 4567`. */
  ibanMasked: Type.String(),
  accountHolder: Type.String(),
  expectedDecisionOn: IsoDate,
  /** The payment's value date, once paid (the settlement letter is then downloadable). */
  paidOn: Nullable(IsoDate),
  events: Type.Array(ClaimEvent),
  invoices: Type.Array(ClaimInvoice),
  documents: Type.Array(ClaimDocument),
  messages: Type.Array(ClaimMessage),
  /** When the back office asked for documents: its text; null otherwise. */
  documentRequest: Nullable(
    Type.Object({ at: Type.String(), note: Type.String(), items: Type.Array(Type.Enum(DOCUMENT_KINDS)) }),
  ),
  canCancel: Type.Boolean(),
  /** A reminder can be sent now; else `reminderAvailableOn` says from when (null: not in review). */
  canRemind: Type.Boolean(),
  reminderAvailableOn: Nullable(IsoDate),
});
export type ClaimDetail = Static<typeof ClaimDetail>;

export const MessageBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: CLAIM_LIMITS.messageMaxLength }) },
  { additionalProperties: false },
);

/** Path parameters of a claim's document. */
export const ClaimDocumentParams = Type.Object({ id: Id(), documentId: Id() });
