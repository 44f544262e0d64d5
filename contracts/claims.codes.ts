/**
 * Claims' lists, labels and limits: no dependency, so the web app imports them as they are
 * (contracts/claims.ts builds the schemas from them). Money in integer cents, dates YYYY-MM-DD.
 */
import type { CategoryCode } from './plans.codes.js';

/**
 * A claim's states (PRODUCT.md §2). `draft` is the member's wizard, saved as they go; it becomes
 * `submitted` with a claim number. The back office moves it on from there.
 */
export const CLAIM_STATES = [
  'draft',
  'submitted',
  'in_review',
  'needs_documents',
  'approved',
  'partially_approved',
  'rejected',
  'paid',
  'cancelled',
] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];

/** Who moved a claim: the member, a staff user, or the system (a job, the engine). */
export const CLAIM_ACTORS = ['member', 'staff', 'system'] as const;
export type ClaimActor = (typeof CLAIM_ACTORS)[number];

/**
 * Every legal transition and who may make it. Anything not listed is refused
 * (CONFLICT, detail code `illegal_transition`). The back office (next issue) plugs into the staff edges.
 */
export const CLAIM_TRANSITIONS: readonly {
  from: ClaimState;
  to: ClaimState;
  by: readonly ClaimActor[];
}[] = [
  { from: 'draft', to: 'submitted', by: ['member'] },
  { from: 'submitted', to: 'in_review', by: ['staff', 'system'] },
  { from: 'submitted', to: 'cancelled', by: ['member'] },
  { from: 'in_review', to: 'needs_documents', by: ['staff'] },
  { from: 'needs_documents', to: 'in_review', by: ['member', 'staff'] },
  { from: 'needs_documents', to: 'cancelled', by: ['member', 'system'] },
  { from: 'in_review', to: 'approved', by: ['staff', 'system'] },
  { from: 'in_review', to: 'partially_approved', by: ['staff', 'system'] },
  { from: 'in_review', to: 'rejected', by: ['staff', 'system'] },
  { from: 'approved', to: 'paid', by: ['staff', 'system'] },
  { from: 'partially_approved', to: 'paid', by: ['staff', 'system'] },
];

/** States the member may still cancel from ("ANNULLA" while not yet in review). */
export const MEMBER_CANCELLABLE_STATES: readonly ClaimState[] = ['submitted'];

/** Italian labels are the product's; English for the English UI and the API docs. */
export const CLAIM_STATE_LABELS: Record<ClaimState, { it: string; en: string }> = {
  draft: { it: 'Bozza', en: 'Draft' },
  submitted: { it: 'Inviata', en: 'Submitted' },
  in_review: { it: 'In valutazione', en: 'In review' },
  needs_documents: { it: 'Sospesa – in attesa di integrazione', en: 'On hold – documents requested' },
  approved: { it: 'Approvata', en: 'Approved' },
  partially_approved: { it: 'Approvata parzialmente', en: 'Partially approved' },
  rejected: { it: 'Respinta', en: 'Rejected' },
  paid: { it: 'Liquidata', en: 'Paid' },
  cancelled: { it: 'Annullata', en: 'Cancelled' },
};

/** What a document is: the member tags each file. */
export const DOCUMENT_KINDS = [
  'fattura',
  'prescrizione',
  'cartella_clinica',
  'certificato_pronto_soccorso',
  'scontrino_farmacia',
  'liquidazione_altro_fondo',
  'altro',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, { it: string; en: string }> = {
  fattura: { it: 'Fattura o ricevuta', en: 'Invoice or receipt' },
  prescrizione: { it: 'Prescrizione medica', en: 'Prescription' },
  cartella_clinica: { it: 'Cartella clinica', en: 'Medical record' },
  certificato_pronto_soccorso: { it: 'Certificato di pronto soccorso', en: 'Emergency-room certificate' },
  scontrino_farmacia: { it: 'Scontrino parlante della farmacia', en: 'Itemised pharmacy receipt' },
  liquidazione_altro_fondo: {
    it: 'Liquidazione di un altro fondo',
    en: "Another fund's settlement",
  },
  altro: { it: 'Altro documento', en: 'Other document' },
};

/**
 * The checklist shown beside the upload (PRODUCT.md §2, last paragraph): what the back office will
 * ask for, per category. `fattura` is always required; the others are required (`required`) or
 * asked only when they apply (`when_applicable`: an injury, another fund that paid part).
 */
export const DOCUMENT_CHECKLIST: Record<
  CategoryCode,
  readonly { kind: DocumentKind; need: 'required' | 'when_applicable' }[]
> = {
  visite_specialistiche: [
    { kind: 'fattura', need: 'required' },
    { kind: 'prescrizione', need: 'required' },
    { kind: 'certificato_pronto_soccorso', need: 'when_applicable' },
    { kind: 'liquidazione_altro_fondo', need: 'when_applicable' },
  ],
  accertamenti_diagnostici: [
    { kind: 'fattura', need: 'required' },
    { kind: 'prescrizione', need: 'required' },
    { kind: 'liquidazione_altro_fondo', need: 'when_applicable' },
  ],
  alta_diagnostica: [
    { kind: 'fattura', need: 'required' },
    { kind: 'prescrizione', need: 'required' },
    { kind: 'liquidazione_altro_fondo', need: 'when_applicable' },
  ],
  fisioterapia: [
    { kind: 'fattura', need: 'required' },
    { kind: 'prescrizione', need: 'required' },
    { kind: 'certificato_pronto_soccorso', need: 'when_applicable' },
    { kind: 'liquidazione_altro_fondo', need: 'when_applicable' },
  ],
  odontoiatria: [
    { kind: 'fattura', need: 'required' },
    { kind: 'certificato_pronto_soccorso', need: 'when_applicable' },
    { kind: 'liquidazione_altro_fondo', need: 'when_applicable' },
  ],
  lenti: [
    { kind: 'fattura', need: 'required' },
    { kind: 'prescrizione', need: 'required' },
    { kind: 'liquidazione_altro_fondo', need: 'when_applicable' },
  ],
  ticket_ssn: [
    { kind: 'fattura', need: 'required' },
    { kind: 'prescrizione', need: 'when_applicable' },
  ],
  ricovero: [
    { kind: 'fattura', need: 'required' },
    { kind: 'cartella_clinica', need: 'required' },
    { kind: 'liquidazione_altro_fondo', need: 'when_applicable' },
  ],
  farmaci: [
    { kind: 'fattura', need: 'required' },
    { kind: 'scontrino_farmacia', need: 'required' },
    { kind: 'prescrizione', need: 'when_applicable' },
  ],
};

/** File types accepted, checked by content (magic bytes), never by name or declared type. */
export const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

export const CLAIM_LIMITS = {
  /** Invoices on one claim. */
  maxInvoices: 20,
  /** Files on one claim, integrations included. */
  maxDocuments: 20,
  /** Bytes of one file. */
  maxDocumentBytes: 10 * 1024 * 1024,
  /** A single invoice: 1 cent to 1 million euro. */
  maxInvoiceCents: 100_000_000,
  invoiceNumberMaxLength: 40,
  issuerNameMaxLength: 120,
  accountHolderMaxLength: 120,
  messageMaxLength: 2000,
  /** A claim list page. */
  pageSize: { default: 10, max: 50 },
  /** A reminder is possible after this many days in review, at most once in `reminderEveryDays`. */
  reminderAfterDays: 30,
  reminderEveryDays: 7,
} as const;

/**
 * Why a document was refused (`details[].code` of VALIDATION_FAILED, field `file`; too large is
 * PAYLOAD_TOO_LARGE with `too_large`). Nothing of a refused file is kept.
 */
export const DOCUMENT_REFUSAL_CODES = [
  'type_not_allowed',
  'too_large',
  'empty',
  'pdf_encrypted',
  'pdf_active_content',
  'pdf_unreadable',
  'image_unreadable',
  'too_many_documents',
] as const;
export type DocumentRefusalCode = (typeof DOCUMENT_REFUSAL_CODES)[number];

/**
 * Why a draft cannot go on (`details[].code` of VALIDATION_FAILED; `field` is the JSON pointer of
 * the value, e.g. `/invoices/0/invoiceDate`). Parameters travel in `details[].params`.
 */
export const CLAIM_FIELD_CODES = [
  'required',
  'beneficiary_not_covered',
  'category_not_in_plan',
  'channel_not_in_plan',
  'invoice_date_future',
  'invoice_date_before_coverage',
  'invoice_past_deadline',
  'amount_zero',
  'amount_too_large',
  'too_many_invoices',
  'facility_required',
  'facility_unknown',
  'issuer_tax_id_invalid',
  'iban_invalid',
  'iban_not_sepa',
  'document_missing',
  'declaration_required',
] as const;
export type ClaimFieldCode = (typeof CLAIM_FIELD_CODES)[number];

/**
 * Why an action on a claim is refused in its present state (`details[].code` of CONFLICT):
 * a move CLAIM_TRANSITIONS does not allow, documents uploaded when none were asked, a sent
 * document removed, a reminder too early, a message on a cancelled claim, a plan without rules.
 */
export const CLAIM_CONFLICT_CODES = [
  'illegal_transition',
  'not_waiting_for_documents',
  'document_sent',
  'reminder_not_available',
  'messages_closed',
  'no_plan',
] as const;
export type ClaimConflictCode = (typeof CLAIM_CONFLICT_CODES)[number];

/**
 * Why an operator accepted a line for another amount than the engine proposed, or refused it: a
 * closed list, worded for the member in plain words (the claim page, the settlement letter).
 */
export const CLAIM_ADJUST_REASONS = [
  'amount_not_documented',
  'service_not_covered',
  'document_illegible',
  'invoice_not_valid',
  'already_reimbursed',
  'prescription_missing',
  'beyond_tariff',
  'paid_by_other_fund',
  'exceptional_approval',
] as const;
export type ClaimAdjustReason = (typeof CLAIM_ADJUST_REASONS)[number];

export const CLAIM_ADJUST_REASON_LABELS: Record<ClaimAdjustReason, { it: string; en: string }> = {
  amount_not_documented: {
    it: 'Parte dell’importo non è documentata dalla fattura o dalla ricevuta.',
    en: 'Part of the amount is not shown on the invoice or receipt.',
  },
  service_not_covered: {
    it: 'La prestazione non è coperta dal piano.',
    en: 'The plan does not cover this service.',
  },
  document_illegible: {
    it: 'Il documento non è leggibile: non è stato possibile verificarlo.',
    en: 'The document cannot be read, so it could not be checked.',
  },
  invoice_not_valid: {
    it: 'La fattura non è valida (non intestata alla persona assistita o priva dei dati richiesti).',
    en: 'The invoice is not valid (not made out to the patient, or missing required details).',
  },
  already_reimbursed: {
    it: 'La fattura risulta già rimborsata.',
    en: 'This invoice was already reimbursed.',
  },
  prescription_missing: {
    it: 'Manca la prescrizione medica richiesta dal piano.',
    en: 'The prescription the plan requires is missing.',
  },
  beyond_tariff: {
    it: 'L’importo supera la tariffa riconosciuta dal piano per questa prestazione.',
    en: 'The amount is above the rate the plan recognises for this service.',
  },
  paid_by_other_fund: {
    it: 'Una parte è già stata rimborsata da un altro fondo o assicurazione.',
    en: 'Part of it was already paid by another fund or insurer.',
  },
  exceptional_approval: {
    it: 'Accolta in via eccezionale oltre quanto previsto dalle regole del piano.',
    en: 'Accepted as an exception beyond what the plan’s rules provide.',
  },
};

/**
 * Why a back-office action on a claim is refused (`details[].code`, CONFLICT unless said):
 * another operator holds it, it is not taken, a decision waits for the second approval (four
 * eyes), the second approver is the one who proposed it, a cap would be exceeded; and the
 * decision's own checks (VALIDATION_FAILED): lines that do not match the claim's, an amount above
 * the invoice, a changed amount without its reason, a request for documents without items.
 */
export const CLAIM_REVIEW_CODES = [
  'held_by_other',
  'not_held',
  'decision_pending',
  'no_pending_decision',
  'four_eyes_same_operator',
  'cap_exceeded',
  'lines_mismatch',
  'accepted_above_amount',
  'adjust_reason_required',
  'items_required',
] as const;
export type ClaimReviewCode = (typeof CLAIM_REVIEW_CODES)[number];

/** The rule recorded on a claim the system decided on its own (claims.auto_rule). */
export const AUTO_DECISION_RULE = 'simple_claim';

/** Warnings that do not stop a claim: shown to the member, and to the operator later. */
export const CLAIM_WARNING_CODES = ['probable_duplicate'] as const;
export type ClaimWarningCode = (typeof CLAIM_WARNING_CODES)[number];

/** `RSM-2026-000123`: prefix, year of submission, a counter per year (six digits at least). */
export const CLAIM_NUMBER_PATTERN = '^RSM-\\d{4}-\\d{6,}$';
