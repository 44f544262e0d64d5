import { CLAIM_LIMITS, DOCUMENT_CHECKLIST, type DocumentKind } from '#contracts/claims.codes.js';
import type { Channel } from '#contracts/plans.codes.js';
import { isIsoDate } from '../../lib/format';
import { formatHundredths, parseAmount } from '../../lib/money';
import type {
  CategoryOption,
  ClaimDocument,
  ClaimOptions,
  ClaimWarning,
  Draft,
  DraftBody,
} from './claims-api';

/**
 * The wizard "Richiedi un rimborso" as pure functions: the form's state and the draft saved on the
 * server, one into the other; which step a saved draft resumes at; the checks made before a step
 * is left (the server makes them again). Field names are the server's JSON pointers without the
 * leading "/" (`invoices/0/invoiceDate`), so its `details[].field` lands beside the same field.
 */

export const WIZARD_STEPS = ['beneficiary', 'category', 'invoices', 'documents', 'payee', 'summary'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** One invoice as typed: every value a string, the amount as written ("1.234,56"). */
export interface InvoiceForm {
  id: string;
  invoiceDate: string;
  invoiceNumber: string;
  issuerName: string;
  issuerTaxId: string;
  amount: string;
  channel: Channel | '';
  facilityId: string | null;
  /** Shown beside the choice; not saved on the server (which keeps the id). */
  facilityName: string | null;
}

export interface WizardForm {
  beneficiaryId: string;
  category: string;
  invoices: InvoiceForm[];
  iban: string;
  accountHolder: string;
}

export const invoiceField = (index: number, name: string) => `invoices/${index}/${name}`;

export function emptyInvoice(id: string): InvoiceForm {
  return {
    id,
    invoiceDate: '',
    invoiceNumber: '',
    issuerName: '',
    issuerTaxId: '',
    amount: '',
    channel: '',
    facilityId: null,
    facilityName: null,
  };
}

/**
 * The form a saved draft shows. Amounts are written in the interface language; an empty IBAN
 * starts from the payee of the member's last claim.
 */
export function draftToForm(
  draft: Draft,
  options: Pick<ClaimOptions, 'payee'>,
  language: string,
  newId: () => string,
  facilityNames: ReadonlyMap<string, string> = new Map(),
): WizardForm {
  const invoices = draft.invoices.map(
    (invoice): InvoiceForm => ({
      id: invoice.id,
      invoiceDate: invoice.invoiceDate ?? '',
      invoiceNumber: invoice.invoiceNumber ?? '',
      issuerName: invoice.issuerName ?? '',
      issuerTaxId: invoice.issuerTaxId ?? '',
      amount:
        invoice.amountCents === null || invoice.amountCents === undefined
          ? ''
          : formatHundredths(invoice.amountCents, language),
      channel: invoice.channel ?? '',
      facilityId: invoice.facilityId ?? null,
      facilityName: invoice.facilityId ? (facilityNames.get(invoice.facilityId) ?? null) : null,
    }),
  );
  return {
    beneficiaryId: draft.beneficiaryId ?? '',
    category: draft.category ?? '',
    invoices: invoices.length > 0 ? invoices : [emptyInvoice(newId())],
    iban: draft.iban ?? options.payee?.iban ?? '',
    accountHolder: draft.accountHolder ?? options.payee?.accountHolder ?? '',
  };
}

const orNull = (value: string): string | null => (value.trim() === '' ? null : value.trim());

/** `IT60 x054…` as typed → `IT60X054…`: capitals, no spaces. */
export function normaliseIban(value: string): string {
  return value.replace(/[\s-]+/g, '').toUpperCase();
}

/** Partita IVA or codice fiscale as typed → capitals without spaces. */
export function normaliseTaxId(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** The object without its null properties. */
function present<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}

/**
 * The PUT body for the form. What cannot be read yet (an amount written wrongly, an empty field) is
 * left out: the draft keeps what is known, and the checks say what is missing. (Absent rather than
 * null: the API's schema would turn a null amount into 0 when it coerces types.)
 */
export function formToDraftBody(form: WizardForm, language: string): DraftBody {
  return present({
    beneficiaryId: orNull(form.beneficiaryId),
    category: (orNull(form.category) as DraftBody['category']) ?? null,
    invoices: form.invoices.map((invoice) => {
      const cents = parseAmount(invoice.amount, language);
      const taxId = normaliseTaxId(invoice.issuerTaxId);
      return present({
        id: invoice.id,
        invoiceDate: isIsoDate(invoice.invoiceDate) ? invoice.invoiceDate : null,
        invoiceNumber: orNull(invoice.invoiceNumber)?.slice(0, CLAIM_LIMITS.invoiceNumberMaxLength) ?? null,
        issuerName: orNull(invoice.issuerName)?.slice(0, CLAIM_LIMITS.issuerNameMaxLength) ?? null,
        issuerTaxId: taxId.length >= 11 && taxId.length <= 16 ? taxId : null,
        amountCents: cents !== null && cents <= CLAIM_LIMITS.maxInvoiceCents ? cents : null,
        channel: invoice.channel === '' ? null : invoice.channel,
        facilityId: invoice.channel === 'network' ? invoice.facilityId : null,
      });
    }),
    iban: orNull(normaliseIban(form.iban)),
    accountHolder: orNull(form.accountHolder)?.slice(0, CLAIM_LIMITS.accountHolderMaxLength) ?? null,
  });
}

/** The document kinds the category needs before sending (a prescription only where the plan asks it). */
export function requiredDocumentKinds(
  category: CategoryOption | undefined,
  channels: readonly (Channel | null | undefined)[],
): DocumentKind[] {
  if (!category) return ['fattura'];
  const needsPrescription = channels.some(
    (channel) => channel !== null && channel !== undefined && category.prescriptionRequired.includes(channel),
  );
  return DOCUMENT_CHECKLIST[category.code]
    .filter((item) => item.need === 'required')
    .map((item) => item.kind)
    .filter((kind) => kind !== 'prescrizione' || needsPrescription);
}

/** The required kinds that no file carries yet. */
export function missingDocumentKinds(
  required: readonly DocumentKind[],
  documents: readonly Pick<ClaimDocument, 'kind'>[],
): DocumentKind[] {
  return required.filter((kind) => !documents.some((document) => document.kind === kind));
}

function invoiceComplete(invoice: Draft['invoices'][number]): boolean {
  return Boolean(
    invoice.invoiceDate &&
      invoice.invoiceNumber &&
      invoice.issuerName &&
      invoice.amountCents &&
      invoice.channel &&
      (invoice.channel !== 'network' || invoice.facilityId),
  );
}

/**
 * The step a saved draft resumes at: the first one not filled in (the summary when all are). Going
 * back stays possible; this only decides where reopening `/rimborsi` lands.
 */
export function resumeStep(draft: Draft, options: Pick<ClaimOptions, 'categories'>): WizardStep {
  if (!draft.beneficiaryId) return 'beneficiary';
  const category = options.categories.find((c) => c.code === draft.category);
  if (!category) return 'category';
  if (draft.invoices.length === 0 || !draft.invoices.every(invoiceComplete)) return 'invoices';
  const required = requiredDocumentKinds(
    category,
    draft.invoices.map((invoice) => invoice.channel),
  );
  if (missingDocumentKinds(required, draft.documents).length > 0) return 'documents';
  if (!draft.iban || !draft.accountHolder) return 'payee';
  return 'summary';
}

/** The step that holds a field named by the server (`/invoices/0/amountCents` → invoices). */
export function stepOfField(field: string): WizardStep {
  const name = field.replace(/^\//, '').split('/')[0] ?? '';
  switch (name) {
    case 'beneficiaryId':
      return 'beneficiary';
    case 'category':
      return 'category';
    case 'invoices':
      return 'invoices';
    case 'documents':
    case 'file':
      return 'documents';
    case 'iban':
    case 'accountHolder':
      return 'payee';
    default:
      return 'summary';
  }
}

/** Days from `from` to `to` (both YYYY-MM-DD), on the calendar. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Why an invoice field cannot be sent yet: a stable code (the page words it). */
export type InvoiceProblem =
  | 'required'
  | 'date_invalid'
  | 'invoice_date_future'
  | 'invoice_date_before_coverage'
  | 'invoice_past_deadline'
  | 'amount_invalid'
  | 'amount_zero'
  | 'amount_too_large'
  | 'issuer_tax_id_invalid'
  | 'channel_not_in_plan'
  | 'facility_required';

/**
 * The checks of the invoices step, field by field: `today` is the server's (Europe/Rome), the
 * deadline the category's, the coverage the beneficiary's.
 */
export function checkInvoices(
  invoices: readonly InvoiceForm[],
  context: {
    today: string;
    language: string;
    category: CategoryOption | undefined;
    coverageStart: string | undefined;
  },
): Record<string, InvoiceProblem> {
  const problems: Record<string, InvoiceProblem> = {};
  invoices.forEach((invoice, index) => {
    const at = (name: string) => invoiceField(index, name);
    const date = invoice.invoiceDate.trim();
    if (date === '') problems[at('invoiceDate')] = 'required';
    else if (!isIsoDate(date)) problems[at('invoiceDate')] = 'date_invalid';
    else if (date > context.today) problems[at('invoiceDate')] = 'invoice_date_future';
    else if (context.coverageStart && date < context.coverageStart)
      problems[at('invoiceDate')] = 'invoice_date_before_coverage';
    else if (
      context.category?.deadlineDays !== null &&
      context.category?.deadlineDays !== undefined &&
      daysBetween(date, context.today) > context.category.deadlineDays
    )
      problems[at('invoiceDate')] = 'invoice_past_deadline';

    if (invoice.invoiceNumber.trim() === '') problems[at('invoiceNumber')] = 'required';
    if (invoice.issuerName.trim() === '') problems[at('issuerName')] = 'required';
    const taxId = normaliseTaxId(invoice.issuerTaxId);
    if (taxId !== '' && !/^(\d{11}|[A-Z0-9]{16})$/.test(taxId))
      problems[at('issuerTaxId')] = 'issuer_tax_id_invalid';

    if (invoice.amount.trim() === '') problems[at('amountCents')] = 'required';
    else {
      const cents = parseAmount(invoice.amount, context.language);
      if (cents === null) problems[at('amountCents')] = 'amount_invalid';
      else if (cents === 0) problems[at('amountCents')] = 'amount_zero';
      else if (cents > CLAIM_LIMITS.maxInvoiceCents) problems[at('amountCents')] = 'amount_too_large';
    }

    if (invoice.channel === '') problems[at('channel')] = 'required';
    else if (context.category && !context.category.channels.includes(invoice.channel))
      problems[at('channel')] = 'channel_not_in_plan';
    else if (invoice.channel === 'network' && !invoice.facilityId)
      problems[at('facilityId')] = 'facility_required';
  });
  return problems;
}

/**
 * An IBAN's shape: country, check digits, 11 to 30 letters and digits, and the ISO 7064 mod-97
 * check. The server validates it again (country lengths, SEPA).
 */
export function ibanLooksValid(value: string): boolean {
  const iban = normaliseIban(value);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** `IT60X0542811101000000123456` → `IT60 X054 2811 1010 0000 0123 456`, for reading back. */
export function groupIban(value: string): string {
  return normaliseIban(value).replace(/(.{4})(?=.)/g, '$1 ');
}

/** Why a payee field cannot be sent yet: a stable code (the page words it). */
export type PayeeProblem = 'required' | 'iban_invalid';

/** The checks of the payee step, field by field (the server makes them again). */
export function checkPayee(form: Pick<WizardForm, 'iban' | 'accountHolder'>): Record<string, PayeeProblem> {
  const problems: Record<string, PayeeProblem> = {};
  if (form.iban.trim() === '') problems.iban = 'required';
  else if (!ibanLooksValid(form.iban)) problems.iban = 'iban_invalid';
  if (form.accountHolder.trim() === '') problems.accountHolder = 'required';
  return problems;
}

/** The language of a label the server sends in both (`label.it`, `label.en`): Italian unless English. */
export function labelLanguage(language: string | undefined): 'it' | 'en' {
  return language === 'en' ? 'en' : 'it';
}

/** A draft's warnings as one string, to tell a new set from the one already shown. */
export function warningsKey(warnings: readonly Pick<ClaimWarning, 'code' | 'field'>[]): string {
  return warnings.map((w) => `${w.code}:${w.field}`).join('|');
}

/** The warnings of invoice `index`: on the invoice itself (`/invoices/0`) or on one of its fields. */
export function invoiceWarnings<W extends Pick<ClaimWarning, 'field'>>(
  warnings: readonly W[],
  index: number,
): W[] {
  return warnings.filter(
    (w) => w.field === `/invoices/${index}` || w.field.startsWith(`/invoices/${index}/`),
  );
}

/** The need the checklist shows for a kind: one required by the category but not by these invoices is "when applicable". */
export function checklistNeed(
  item: { kind: DocumentKind; need: 'required' | 'when_applicable' },
  required: readonly DocumentKind[],
): 'required' | 'when_applicable' {
  return item.need === 'required' && !required.includes(item.kind) ? 'when_applicable' : item.need;
}

/**
 * The kind the upload offers first: the invoice until one is uploaded, then the first required
 * kind still missing, then "altro".
 */
export function defaultDocumentKind(
  required: readonly DocumentKind[],
  documents: readonly Pick<ClaimDocument, 'kind'>[],
): DocumentKind {
  if (!documents.some((d) => d.kind === 'fattura')) return 'fattura';
  return required.find((k) => k !== 'fattura' && !documents.some((d) => d.kind === k)) ?? 'altro';
}
