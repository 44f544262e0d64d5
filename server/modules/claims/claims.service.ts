import type { Readable } from 'node:stream';
import { electronicFormatIBAN, isSEPACountry, isValidIBAN } from 'ibantools';
import {
  CLAIM_LIMITS,
  type ClaimActor,
  type ClaimState,
  type DocumentKind,
  MEMBER_CANCELLABLE_STATES,
} from '#contracts/claims.codes.js';
import type {
  CapAfter,
  ClaimDetail,
  ClaimDocument,
  ClaimEvent,
  ClaimList,
  ClaimListQuery,
  ClaimOptions,
  ClaimSummary,
  ClaimWarning,
  Draft,
  DraftBody,
  DraftInvoice,
  Estimate,
  Submitted,
} from '#contracts/claims.js';
import { CATEGORY_LABELS, type CategoryCode, type Channel } from '#contracts/plans.codes.js';
import type { PlanRules, Usage } from '#contracts/plans.js';
import type { AppConfig } from '../../config/config.js';
import type { Db, Dialect } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Outbox } from '../../email/outbox.service.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { italianToday } from '../../lib/text.js';
import { checkAndSave } from '../../plugins/document-store/document-check.js';
import type { DocumentStore } from '../../plugins/document-store/index.js';
import type { MemberAccount } from '../members/index.js';
import { assessClaim, capsLeft, emptyUsage } from '../plans/index.js';
import { displayName, maskIban } from './claim-format.js';
import { conflict, documentProblem, fieldProblem } from './claim-messages.js';
import { assertTransition } from './claim-state.js';
import { ClaimsRepository } from './claims.repository.js';
import type { ClaimDocumentRow, ClaimRow } from './claims.table.js';

const DAY_MS = 86_400_000;
/** Documents are kept in this folder of the store. */
export const CLAIM_DOCUMENT_FOLDER = 'claims';

export interface ClaimsDeps {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  outbox: Outbox;
  documents: DocumentStore;
  config: Pick<AppConfig, 'claimDecisionDays'>;
}

type RegistryRow = NonNullable<Awaited<ReturnType<ClaimsRepository['registryMember']>>>;

/** Who asks, and what of the family they may see (decision 033). */
interface MemberScope {
  account: MemberAccount;
  self: RegistryRow;
  familyId: string;
  family: RegistryRow[];
  /** The persons whose claims the member sees and may claim for: all the family for the holder, else themselves. */
  persons: RegistryRow[];
}

interface Plan {
  id: string;
  code: string;
  version: number;
  rules: PlanRules;
}

interface StoredDraft {
  beneficiaryId: string | null;
  category: CategoryCode | null;
  invoices: DraftInvoice[];
  iban: string | null;
  accountHolder: string | null;
}

interface CompleteInvoice {
  id: string;
  invoiceDate: string;
  invoiceNumber: string;
  issuerName: string;
  issuerTaxId: string | null;
  amountCents: number;
  channel: Channel;
  facilityId: string | null;
}

const EMPTY_DRAFT: StoredDraft = {
  beneficiaryId: null,
  category: null,
  invoices: [],
  iban: null,
  accountHolder: null,
};

function notFound(): AppError {
  return new AppError('NOT_FOUND');
}

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Covered on a day: coverage started on or before it and had not ended before it. */
function coveredOn(person: RegistryRow, date: string): boolean {
  return person.coverage_start <= date && (person.coverage_end === null || person.coverage_end >= date);
}

function coveredInYear(person: RegistryRow, year: number): boolean {
  return (
    person.coverage_start <= `${year}-12-31` &&
    (person.coverage_end === null || person.coverage_end >= `${year}-01-01`)
  );
}

const TAX_ID = /^(?:\d{11}|[A-Z0-9]{16})$/;

function parseDraft(row: ClaimRow): StoredDraft {
  if (!row.draft) return { ...EMPTY_DRAFT };
  return { ...EMPTY_DRAFT, ...(JSON.parse(row.draft) as Partial<StoredDraft>) };
}

function documentView(d: ClaimDocumentRow): ClaimDocument {
  return {
    id: d.id,
    kind: d.kind,
    fileName: d.file_name,
    mediaType: d.media_type,
    bytes: d.bytes,
    uploadedAt: d.uploaded_at,
    phase: d.phase,
    sent: d.sent === 1,
  };
}

/**
 * The member's claims: the draft (the wizard), its checks and estimate, submission with a number,
 * documents, and "Le mie pratiche"; and `transition`, the one way a claim changes state.
 */
export class ClaimsService {
  private readonly repo: ClaimsRepository;

  constructor(private readonly d: ClaimsDeps) {
    this.repo = new ClaimsRepository(d.dialect);
  }

  private today(): string {
    return italianToday(this.d.clock.now());
  }

  // --- who and which plan ----------------------------------------------------------------------

  private async scope(account: MemberAccount): Promise<MemberScope> {
    const self = await this.repo.registryMember(this.d.db, account.registry_member_id);
    if (!self) throw notFound();
    const holderCf = self.holder_cf ?? self.codice_fiscale;
    const family = await this.repo.family(this.d.db, holderCf);
    const holder = family.find((p) => p.codice_fiscale === holderCf);
    const familyId = holder?.id ?? self.id;
    const isHolder = self.holder_cf === null;
    const persons = isHolder ? family : family.filter((p) => p.id === self.id);
    return { account, self, familyId, family, persons };
  }

  private async plan(scope: MemberScope): Promise<Plan> {
    const row = await this.repo.planWithRules(this.d.db, scope.self.plan_id);
    if (!row) throw new AppError('CONFLICT', [conflict('no_plan', 'plan')]);
    return {
      id: row.id,
      code: row.code,
      version: Number(row.version),
      rules: JSON.parse(row.rules) as PlanRules,
    };
  }

  // --- options ---------------------------------------------------------------------------------

  async options(account: MemberAccount): Promise<ClaimOptions> {
    const scope = await this.scope(account);
    const plan = await this.plan(scope);
    const today = this.today();
    const year = plan.rules.year;
    const categories = (
      Object.entries(plan.rules.categories) as [CategoryCode, PlanRules['categories'][CategoryCode]][]
    ).flatMap(([code, rules]) => {
      if (!rules) return [];
      const channels = (
        Object.entries(rules.channels) as [Channel, NonNullable<(typeof rules.channels)[Channel]>][]
      ).filter(([, c]) => c !== undefined);
      const deadlines = channels.map(([, c]) => c.submissionDeadlineDays);
      return [
        {
          code,
          label: rules.label,
          channels: channels.map(([ch]) => ch),
          deadlineDays: deadlines.length > 0 ? Math.min(...deadlines) : null,
          prescriptionRequired: channels.filter(([, c]) => c.prescriptionRequired).map(([ch]) => ch),
        },
      ];
    });
    const payee = await this.repo.lastSubmitted(this.d.db, account.id);
    return {
      plan: { code: plan.code, version: plan.version, year },
      beneficiaries: scope.persons
        .filter((p) => coveredOn(p, today) || coveredInYear(p, year))
        .map((p) => ({
          id: p.id,
          givenName: p.given_name,
          surname: p.surname,
          role: p.role,
          self: p.id === scope.self.id,
          coverageStart: p.coverage_start,
          coverageEnd: p.coverage_end,
        })),
      categories,
      payee:
        payee?.iban && payee.account_holder
          ? { iban: payee.iban, accountHolder: payee.account_holder }
          : null,
      today,
    };
  }

  // --- drafts ----------------------------------------------------------------------------------

  private async ownDraft(account: MemberAccount, id: string): Promise<ClaimRow> {
    const row = await this.repo.findClaim(this.d.db, id);
    if (!row || row.account_id !== account.id || row.state !== 'draft') throw notFound();
    return row;
  }

  private async draftView(row: ClaimRow, scope: MemberScope, draft = parseDraft(row)): Promise<Draft> {
    const documents = await this.repo.documents(this.d.db, row.id);
    return {
      id: row.id,
      updatedAt: row.updated_at,
      beneficiaryId: draft.beneficiaryId,
      category: draft.category,
      invoices: draft.invoices,
      iban: draft.iban,
      accountHolder: draft.accountHolder,
      documents: documents.map(documentView),
      warnings: await this.warnings(this.d.db, scope.familyId, row.id, draft.invoices),
    };
  }

  /** The member's open draft, or a new one (one open draft per account). */
  async startDraft(account: MemberAccount): Promise<{ created: boolean; draft: Draft }> {
    const scope = await this.scope(account);
    const open = await this.repo.openDraft(this.d.db, account.id);
    if (open) return { created: false, draft: await this.draftView(open, scope) };
    const plan = await this.plan(scope);
    const now = this.d.clock.now().toISOString();
    const row: ClaimRow = {
      id: newId(this.d.clock.now().getTime()),
      number: null,
      account_id: account.id,
      family_id: scope.familyId,
      beneficiary_id: null,
      plan_id: plan.id,
      plan_code: plan.code,
      plan_version: null,
      category: null,
      state: 'draft',
      iban: null,
      account_holder: null,
      idempotency_key: null,
      submitted_at: null,
      expected_decision_on: null,
      claimed_cents: 0,
      estimated_cents: 0,
      accepted_cents: null,
      paid_cents: null,
      last_reminder_at: null,
      draft: JSON.stringify(EMPTY_DRAFT),
      created_at: now,
      updated_at: now,
    };
    try {
      await this.repo.insertClaim(this.d.db, row);
    } catch (err) {
      // Another request opened one meanwhile (claims_one_draft): that one is the draft.
      const other = isUniqueViolation(err) ? await this.repo.openDraft(this.d.db, account.id) : undefined;
      if (!other) throw err;
      return { created: false, draft: await this.draftView(other, scope) };
    }
    return { created: true, draft: await this.draftView(row, scope) };
  }

  async getDraft(account: MemberAccount, id: string): Promise<Draft> {
    const row = await this.ownDraft(account, id);
    return this.draftView(row, await this.scope(account));
  }

  /** Saves the wizard as it is: every value typed is checked; a value that is wrong saves nothing. */
  async saveDraft(account: MemberAccount, id: string, body: DraftBody): Promise<Draft> {
    const row = await this.ownDraft(account, id);
    const scope = await this.scope(account);
    const plan = await this.plan(scope);
    const draft: StoredDraft = {
      beneficiaryId: body.beneficiaryId ?? null,
      category: body.category ?? null,
      invoices: body.invoices.map((i) => ({
        ...i,
        issuerTaxId: i.issuerTaxId ? i.issuerTaxId.trim().toUpperCase() : (i.issuerTaxId ?? null),
      })),
      iban: body.iban ? (electronicFormatIBAN(body.iban) ?? body.iban) : null,
      accountHolder: body.accountHolder ?? null,
    };
    const problems = await this.check(this.d.db, scope, plan, draft, false);
    if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
    const updatedAt = this.d.clock.now().toISOString();
    await this.repo.updateClaim(this.d.db, row.id, {
      draft: JSON.stringify(draft),
      beneficiary_id: draft.beneficiaryId,
      category: draft.category,
      iban: draft.iban,
      account_holder: draft.accountHolder,
      updated_at: updatedAt,
    });
    return this.draftView({ ...row, updated_at: updatedAt }, scope, draft);
  }

  /** Discards the draft and its documents. */
  async discardDraft(account: MemberAccount, id: string): Promise<void> {
    const row = await this.ownDraft(account, id);
    const documents = await this.repo.documents(this.d.db, row.id);
    await this.repo.deleteClaim(this.d.db, row.id);
    for (const doc of documents) await this.d.documents.remove(doc.storage_key).catch(() => {});
  }

  // --- checks ----------------------------------------------------------------------------------

  /**
   * The field checks. `complete` asks every required value (estimate, submit); otherwise only the
   * values present are checked (the draft saved as the member goes).
   */
  private async check(
    db: Db,
    scope: MemberScope,
    plan: Plan,
    draft: StoredDraft,
    complete: boolean,
  ): Promise<ErrorDetail[]> {
    const problems: ErrorDetail[] = [];
    const today = this.today();
    const required = (field: string, value: unknown) => {
      if (complete && (value === null || value === undefined || value === ''))
        problems.push(fieldProblem(field, 'required'));
    };
    const beneficiary = draft.beneficiaryId
      ? scope.persons.find((p) => p.id === draft.beneficiaryId)
      : undefined;
    required('/beneficiaryId', draft.beneficiaryId);
    if (draft.beneficiaryId && !beneficiary)
      problems.push(fieldProblem('/beneficiaryId', 'beneficiary_not_covered'));
    required('/category', draft.category);
    const category = draft.category ? plan.rules.categories[draft.category] : undefined;
    if (draft.category && !category) problems.push(fieldProblem('/category', 'category_not_in_plan'));
    if (draft.invoices.length > CLAIM_LIMITS.maxInvoices)
      problems.push(fieldProblem('/invoices', 'too_many_invoices'));
    if (complete && draft.invoices.length === 0) problems.push(fieldProblem('/invoices', 'required'));
    const facilityIds = draft.invoices.flatMap((i) => (i.facilityId ? [i.facilityId] : []));
    const facilities = await this.repo.facilitiesExisting(db, facilityIds);
    draft.invoices.forEach((invoice, index) => {
      const at = (name: string) => `/invoices/${index}/${name}`;
      required(at('invoiceDate'), invoice.invoiceDate);
      required(at('invoiceNumber'), invoice.invoiceNumber);
      required(at('issuerName'), invoice.issuerName);
      required(at('amountCents'), invoice.amountCents);
      required(at('channel'), invoice.channel);
      const channel = invoice.channel && category ? category.channels[invoice.channel] : undefined;
      if (invoice.channel && category && !channel)
        problems.push(fieldProblem(at('channel'), 'channel_not_in_plan'));
      if (invoice.invoiceDate) {
        if (invoice.invoiceDate > today)
          problems.push(fieldProblem(at('invoiceDate'), 'invoice_date_future'));
        else if (
          channel &&
          dayNumber(today) - dayNumber(invoice.invoiceDate) > channel.submissionDeadlineDays
        )
          problems.push(fieldProblem(at('invoiceDate'), 'invoice_past_deadline'));
        if (beneficiary && invoice.invoiceDate <= today && !coveredOn(beneficiary, invoice.invoiceDate)) {
          problems.push(
            fieldProblem(
              at('invoiceDate'),
              invoice.invoiceDate < beneficiary.coverage_start
                ? 'invoice_date_before_coverage'
                : 'beneficiary_not_covered',
            ),
          );
        }
      }
      if (invoice.amountCents === 0) problems.push(fieldProblem(at('amountCents'), 'amount_zero'));
      if (invoice.issuerTaxId && !TAX_ID.test(invoice.issuerTaxId))
        problems.push(fieldProblem(at('issuerTaxId'), 'issuer_tax_id_invalid'));
      if (invoice.channel === 'network') {
        if (!invoice.facilityId) {
          if (complete) problems.push(fieldProblem(at('facilityId'), 'facility_required'));
        } else if (!facilities.has(invoice.facilityId))
          problems.push(fieldProblem(at('facilityId'), 'facility_unknown'));
      }
    });
    required('/iban', draft.iban);
    if (draft.iban) {
      const iban = electronicFormatIBAN(draft.iban) ?? '';
      if (!isValidIBAN(iban)) problems.push(fieldProblem('/iban', 'iban_invalid'));
      else if (!isSEPACountry(iban.slice(0, 2))) problems.push(fieldProblem('/iban', 'iban_not_sepa'));
    }
    required('/accountHolder', draft.accountHolder?.trim());
    return problems;
  }

  /** Probable duplicates: an invoice of the same issuer (tax id, else name), number and date on a sent claim of the family. */
  private async warnings(
    db: Db,
    familyId: string,
    claimId: string,
    invoices: DraftInvoice[],
  ): Promise<ClaimWarning[]> {
    const typed = invoices.flatMap((invoice, index) =>
      invoice.invoiceNumber && invoice.invoiceDate && (invoice.issuerTaxId || invoice.issuerName)
        ? [{ invoice, index }]
        : [],
    );
    const found = await this.repo.invoicesLike(
      db,
      familyId,
      claimId,
      typed.map(({ invoice }) => ({
        number: invoice.invoiceNumber as string,
        date: invoice.invoiceDate as string,
      })),
    );
    const fold = (s: string | null | undefined) => (s ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
    const warnings: ClaimWarning[] = [];
    for (const { invoice, index } of typed) {
      const match = found.find(
        (f) =>
          f.invoice_number === invoice.invoiceNumber &&
          f.invoice_date === invoice.invoiceDate &&
          (invoice.issuerTaxId && f.issuer_tax_id
            ? f.issuer_tax_id === invoice.issuerTaxId
            : fold(f.issuer_name) === fold(invoice.issuerName)),
      );
      if (match)
        warnings.push({
          code: 'probable_duplicate',
          field: `/invoices/${index}`,
          ...(match.number ? { claimNumber: match.number } : {}),
        });
    }
    return warnings;
  }

  // --- the estimate ----------------------------------------------------------------------------

  /**
   * What the family already used this plan year: for each invoice line of its sent claims that
   * are not cancelled or rejected, the accepted amount once decided, else the estimate (decision 033).
   */
  private async usage(db: Db, familyId: string, year: number): Promise<Usage> {
    const usage = emptyUsage(familyId);
    const lines = await this.repo.usageLines(db, familyId);
    for (const line of lines) {
      if (!line.beneficiary_id || !line.category) continue;
      const cents = line.accepted_cents ?? line.estimated_cents;
      const category = line.category;
      const person = Object.hasOwn(usage.persons, line.beneficiary_id)
        ? (usage.persons[line.beneficiary_id] as Usage['persons'][string])
        : { totalCents: 0, byCategoryCents: {}, acceptedInvoiceDates: {} };
      usage.persons[line.beneficiary_id] = person;
      if (cents > 0) {
        person.acceptedInvoiceDates[category] = [
          ...(person.acceptedInvoiceDates[category] ?? []),
          line.invoice_date,
        ];
      }
      if (Number(line.invoice_date.slice(0, 4)) !== year) continue;
      usage.familyTotalCents += cents;
      usage.familyByCategoryCents[category] = (usage.familyByCategoryCents[category] ?? 0) + cents;
      person.totalCents += cents;
      person.byCategoryCents[category] = (person.byCategoryCents[category] ?? 0) + cents;
    }
    return usage;
  }

  private async assess(
    row: ClaimRow,
    scope: MemberScope,
    plan: Plan,
    draft: StoredDraft,
    db: Db = this.d.db,
  ) {
    const problems = await this.check(db, scope, plan, draft, true);
    if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
    const documents = await this.repo.documents(db, row.id);
    const hasPrescription = documents.some((d) => d.kind === 'prescrizione');
    const invoices = draft.invoices as CompleteInvoice[];
    const category = draft.category as CategoryCode;
    const beneficiaryId = draft.beneficiaryId as string;
    const usage = await this.usage(db, scope.familyId, plan.rules.year);
    const assessment = assessClaim(
      plan.rules,
      {
        beneficiaryId,
        familyId: scope.familyId,
        submittedOn: this.today(),
        lines: invoices.map((i) => ({
          id: i.id,
          category,
          channel: i.channel,
          invoiceDate: i.invoiceDate,
          amountCents: i.amountCents,
          hasPrescription,
        })),
      },
      usage,
    );
    const caps = capsLeft(plan.rules, assessment.usageAfter, beneficiaryId);
    const capsAfter: CapAfter[] = [
      {
        category: null,
        scope: caps.annual.scope,
        capCents: caps.annual.capCents,
        leftCents: caps.annual.leftCents,
      },
    ];
    const sub = caps.subCaps[category];
    if (sub) capsAfter.push({ category, scope: sub.scope, capCents: sub.capCents, leftCents: sub.leftCents });
    const warnings = await this.warnings(db, scope.familyId, row.id, draft.invoices);
    const estimate: Estimate = {
      lines: assessment.lines.map((l) => ({
        invoiceId: l.lineId,
        amountCents: l.amountCents,
        acceptedCents: l.acceptedCents,
        memberShareCents: l.memberShareCents,
        reason: l.reason,
        explanation: l.explanation,
      })),
      totals: assessment.totals,
      capsAfter,
      warnings,
    };
    return { estimate, invoices, documents };
  }

  async estimate(account: MemberAccount, id: string): Promise<Estimate> {
    const row = await this.ownDraft(account, id);
    const scope = await this.scope(account);
    const plan = await this.plan(scope);
    return (await this.assess(row, scope, plan, parseDraft(row))).estimate;
  }

  // --- submission ------------------------------------------------------------------------------

  private submittedView(row: ClaimRow): Submitted {
    return {
      id: row.id,
      number: row.number as string,
      state: row.state,
      submittedAt: row.submitted_at as string,
      expectedDecisionOn: row.expected_decision_on as string,
    };
  }

  /**
   * Sends the draft, in one transaction: checks, estimate, number, state, invoice lines, documents
   * marked sent, the first event and the receipt email. The same idempotency key answers the claim
   * it already made (a retry, a double click, two tabs): never a second claim.
   */
  async submit(account: MemberAccount, id: string, idempotencyKey: string): Promise<Submitted> {
    const earlier = await this.repo.findByIdempotencyKey(this.d.db, account.id, idempotencyKey);
    if (earlier && earlier.state !== 'draft') return this.submittedView(earlier);
    const scope = await this.scope(account);
    const plan = await this.plan(scope);
    try {
      return await this.d.db.transaction().execute(async (trx) => {
        const row = await this.repo.lockClaim(trx, id);
        if (!row || row.account_id !== account.id) throw notFound();
        if (row.idempotency_key === idempotencyKey && row.state !== 'draft') return this.submittedView(row);
        const again = await this.repo.findByIdempotencyKey(trx, account.id, idempotencyKey);
        if (again && again.state !== 'draft') return this.submittedView(again);
        if (row.state !== 'draft') assertTransition(row.state, 'submitted', 'member');
        const draft = parseDraft(row);
        const { estimate, invoices, documents } = await this.assess(row, scope, plan, draft, trx);
        if (!documents.some((d) => d.kind === 'fattura'))
          throw new AppError('VALIDATION_FAILED', [fieldProblem('/documents', 'document_missing')]);
        const now = this.d.clock.now();
        const today = this.today();
        const year = Number(today.slice(0, 4));
        const number = `RSM-${year}-${String(await this.repo.nextNumber(trx, year)).padStart(6, '0')}`;
        const duplicates = new Set(estimate.warnings.map((w) => w.field));
        const submitted: Partial<ClaimRow> = {
          number,
          state: 'submitted',
          idempotency_key: idempotencyKey,
          beneficiary_id: draft.beneficiaryId,
          category: draft.category,
          plan_id: plan.id,
          plan_code: plan.code,
          plan_version: plan.version,
          iban: draft.iban,
          account_holder: draft.accountHolder?.trim() ?? null,
          submitted_at: now.toISOString(),
          expected_decision_on: addDays(today, this.d.config.claimDecisionDays),
          claimed_cents: estimate.totals.amountCents,
          estimated_cents: estimate.totals.acceptedCents,
          updated_at: now.toISOString(),
        };
        await this.repo.updateClaim(trx, row.id, submitted);
        await this.repo.insertInvoices(
          trx,
          invoices.map((invoice, position) => {
            const line = estimate.lines[position];
            return {
              id: newId(now.getTime()),
              claim_id: row.id,
              position,
              invoice_date: invoice.invoiceDate,
              invoice_number: invoice.invoiceNumber,
              issuer_name: invoice.issuerName,
              issuer_tax_id: invoice.issuerTaxId ?? null,
              amount_cents: invoice.amountCents,
              channel: invoice.channel,
              facility_id: invoice.channel === 'network' ? invoice.facilityId : null,
              estimated_cents: line?.acceptedCents ?? 0,
              accepted_cents: null,
              paid_cents: null,
              reason: line?.reason ?? null,
              explanation: JSON.stringify(line?.explanation ?? { it: [], en: [] }),
              probable_duplicate: duplicates.has(`/invoices/${position}`) ? 1 : 0,
            };
          }),
        );
        await this.repo.markDocumentsSent(trx, row.id);
        await this.repo.insertEvent(trx, {
          id: newId(now.getTime()),
          claim_id: row.id,
          at: now.toISOString(),
          from_state: 'draft',
          to_state: 'submitted',
          actor_kind: 'member',
          actor_id: account.id,
          reason_code: null,
          note: null,
        });
        await this.d.outbox.enqueue(trx, {
          to: account.email,
          template: 'claim-submitted',
          locale: account.locale === 'en' ? 'en' : 'it',
          data: { number, claimId: row.id },
          dedupeKey: `claim-submitted:${row.id}`,
        });
        return this.submittedView({ ...row, ...submitted } as ClaimRow);
      });
    } catch (err) {
      // Two requests with one key on two connections: the constraint lets one through; the other answers its claim.
      if (isUniqueViolation(err)) {
        const made = await this.repo.findByIdempotencyKey(this.d.db, account.id, idempotencyKey);
        if (made && made.state !== 'draft') return this.submittedView(made);
      }
      throw err;
    }
  }

  // --- documents -------------------------------------------------------------------------------

  private async storeDocument(
    claim: ClaimRow,
    kind: DocumentKind,
    name: string,
    body: Readable,
    phase: 'initial' | 'integration',
  ): Promise<ClaimDocument> {
    if ((await this.repo.countDocuments(this.d.db, claim.id)) >= CLAIM_LIMITS.maxDocuments) {
      body.resume();
      throw new AppError('VALIDATION_FAILED', [documentProblem('too_many_documents')]);
    }
    const result = await checkAndSave(this.d.documents, body, {
      maxBytes: CLAIM_LIMITS.maxDocumentBytes,
      prefix: CLAIM_DOCUMENT_FOLDER,
    });
    if (!result.ok) {
      if (result.code === 'too_large')
        throw new AppError('PAYLOAD_TOO_LARGE', [documentProblem('too_large')]);
      throw new AppError('VALIDATION_FAILED', [documentProblem(result.code)]);
    }
    // The same file sent again for the same claim, not yet sent on: a retry, answered by the first.
    const same = (await this.repo.documents(this.d.db, claim.id)).find(
      (d) => d.sha256 === result.document.sha256 && d.kind === kind && d.sent === 0,
    );
    if (same) {
      await this.d.documents.remove(result.document.key).catch(() => {});
      return documentView(same);
    }
    const now = this.d.clock.now();
    const row: ClaimDocumentRow = {
      id: newId(now.getTime()),
      claim_id: claim.id,
      storage_key: result.document.key,
      kind,
      file_name: displayName(name),
      media_type: result.mediaType,
      bytes: result.document.bytes,
      sha256: result.document.sha256,
      phase,
      sent: 0,
      uploaded_at: now.toISOString(),
    };
    try {
      await this.repo.insertDocument(this.d.db, row);
    } catch (err) {
      await this.d.documents.remove(row.storage_key).catch(() => {});
      throw err;
    }
    return documentView(row);
  }

  async uploadDraftDocument(
    account: MemberAccount,
    id: string,
    kind: DocumentKind,
    name: string,
    body: Readable,
  ) {
    const row = await this.ownDraft(account, id).catch((err) => {
      body.resume();
      throw err;
    });
    return this.storeDocument(row, kind, name, body, 'initial');
  }

  async uploadIntegrationDocument(
    account: MemberAccount,
    id: string,
    kind: DocumentKind,
    name: string,
    body: Readable,
  ) {
    const { claim } = await this.visibleClaim(account, id).catch((err) => {
      body.resume();
      throw err;
    });
    if (claim.state !== 'needs_documents') {
      body.resume();
      throw new AppError('CONFLICT', [conflict('not_waiting_for_documents')]);
    }
    return this.storeDocument(claim, kind, name, body, 'integration');
  }

  /** Removes a document not yet sent (of a draft, or an integration not yet sent). */
  async removeDocument(
    account: MemberAccount,
    id: string,
    documentId: string,
    where: 'draft' | 'integration',
  ): Promise<void> {
    const claim =
      where === 'draft' ? await this.ownDraft(account, id) : (await this.visibleClaim(account, id)).claim;
    const doc = await this.repo.document(this.d.db, claim.id, documentId);
    if (!doc) throw notFound();
    if (doc.sent === 1) throw new AppError('CONFLICT', [conflict('document_sent', 'documentId')]);
    await this.repo.deleteDocument(this.d.db, doc.id);
    await this.d.documents.remove(doc.storage_key).catch(() => {});
  }

  /** A document of a claim the member may see: the row and its plaintext stream. */
  async openDocument(account: MemberAccount, id: string, documentId: string) {
    const row = await this.repo.findClaim(this.d.db, id);
    if (!row) throw notFound();
    if (row.state === 'draft') {
      if (row.account_id !== account.id) throw notFound();
    } else {
      await this.visibleClaim(account, id);
    }
    const doc = await this.repo.document(this.d.db, row.id, documentId);
    if (!doc) throw notFound();
    return { document: doc, stream: await this.d.documents.open(doc.storage_key) };
  }

  /** For the sweep: which of these keys a claim document still refers to (keys of other folders are kept). */
  async referencedKeys(keys: string[]): Promise<Set<string>> {
    const ours = keys.filter((k) => k.startsWith(`${CLAIM_DOCUMENT_FOLDER}/`));
    const kept = new Set(keys.filter((k) => !k.startsWith(`${CLAIM_DOCUMENT_FOLDER}/`)));
    for (const key of await this.repo.referencedKeys(this.d.db, ours)) kept.add(key);
    return kept;
  }

  // --- "Le mie pratiche" -----------------------------------------------------------------------

  /** A sent claim the member may see (their own, or of a person they see), else NOT_FOUND. */
  private async visibleClaim(
    account: MemberAccount,
    id: string,
  ): Promise<{ claim: ClaimRow; scope: MemberScope }> {
    const claim = await this.repo.findClaim(this.d.db, id);
    if (!claim || claim.state === 'draft') throw notFound();
    const scope = await this.scope(account);
    if (claim.family_id !== scope.familyId) throw notFound();
    const seen = claim.account_id === account.id || scope.persons.some((p) => p.id === claim.beneficiary_id);
    if (!seen) throw notFound();
    return { claim, scope };
  }

  private summary(row: ClaimRow, family: RegistryRow[]): ClaimSummary {
    const person = family.find((p) => p.id === row.beneficiary_id);
    const category = row.category as CategoryCode;
    return {
      id: row.id,
      number: row.number as string,
      state: row.state,
      kind: 'reimbursement',
      category,
      categoryLabel: CATEGORY_LABELS[category],
      beneficiary: {
        id: row.beneficiary_id as string,
        givenName: person?.given_name ?? '',
        surname: person?.surname ?? '',
      },
      submittedAt: row.submitted_at as string,
      claimedCents: row.claimed_cents,
      estimatedCents: row.estimated_cents,
      acceptedCents: row.accepted_cents,
      paidCents: row.paid_cents,
    };
  }

  async list(account: MemberAccount, query: ClaimListQuery): Promise<ClaimList> {
    const scope = await this.scope(account);
    const ids = { familyId: scope.familyId, accountId: account.id, persons: scope.persons.map((p) => p.id) };
    const { total, rows } = await this.repo.list(this.d.db, ids, {
      ...(query.state ? { state: query.state } : {}),
      ...(query.year !== undefined ? { year: query.year } : {}),
      ...(query.beneficiaryId ? { beneficiaryId: query.beneficiaryId } : {}),
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    return {
      items: rows.map((r) => this.summary(r, scope.family)),
      total,
      page: query.page,
      pageSize: query.pageSize,
      years: await this.repo.years(this.d.db, ids),
      beneficiaries: scope.persons.map((p) => ({ id: p.id, givenName: p.given_name, surname: p.surname })),
    };
  }

  /** When a reminder is possible: 30 days after the claim first went in review, then every 7 days. */
  private reminder(claim: ClaimRow, events: { to_state: ClaimState; at: string }[]) {
    if (claim.state !== 'in_review') return { canRemind: false, reminderAvailableOn: null };
    const firstReview =
      events.find((e) => e.to_state === 'in_review')?.at ?? claim.submitted_at ?? claim.created_at;
    let from = addDays(italianToday(new Date(firstReview)), CLAIM_LIMITS.reminderAfterDays);
    if (claim.last_reminder_at) {
      const next = addDays(italianToday(new Date(claim.last_reminder_at)), CLAIM_LIMITS.reminderEveryDays);
      if (next > from) from = next;
    }
    return { canRemind: this.today() >= from, reminderAvailableOn: from };
  }

  async detail(account: MemberAccount, id: string): Promise<ClaimDetail> {
    const { claim, scope } = await this.visibleClaim(account, id);
    return this.detailOf(claim, scope);
  }

  private async detailOf(claim: ClaimRow, scope: MemberScope): Promise<ClaimDetail> {
    const [events, invoices, documents, messages] = await Promise.all([
      this.repo.events(this.d.db, claim.id),
      this.repo.invoices(this.d.db, claim.id),
      this.repo.documents(this.d.db, claim.id),
      this.repo.messages(this.d.db, claim.id),
    ]);
    const request =
      claim.state === 'needs_documents'
        ? events.filter((e) => e.to_state === 'needs_documents').pop()
        : undefined;
    return {
      ...this.summary(claim, scope.family),
      ibanMasked: maskIban(claim.iban),
      accountHolder: claim.account_holder ?? '',
      expectedDecisionOn: claim.expected_decision_on as string,
      events: events.map(
        (e): ClaimEvent => ({
          at: e.at,
          from: e.from_state,
          to: e.to_state,
          actor: e.actor_kind,
          reasonCode: e.reason_code,
          note: e.note,
        }),
      ),
      invoices: invoices.map((i) => ({
        id: i.id,
        invoiceDate: i.invoice_date,
        invoiceNumber: i.invoice_number,
        issuerName: i.issuer_name,
        issuerTaxId: i.issuer_tax_id,
        channel: i.channel,
        facility: i.facility_id ? { id: i.facility_id, name: i.facility_name ?? '' } : null,
        amountCents: i.amount_cents,
        estimatedCents: i.estimated_cents,
        acceptedCents: i.accepted_cents,
        paidCents: i.paid_cents,
        reason: i.reason,
        explanation: JSON.parse(i.explanation) as { it: string[]; en: string[] },
        probableDuplicate: i.probable_duplicate === 1,
      })),
      documents: documents.map(documentView),
      messages: messages.map((m) => ({ id: m.id, at: m.at, author: m.author_kind, body: m.body })),
      documentRequest: request ? { at: request.at, note: request.note ?? '' } : null,
      canCancel: MEMBER_CANCELLABLE_STATES.includes(claim.state),
      ...this.reminder(claim, events),
    };
  }

  /** The member cancels a claim not yet in review; cancelling again answers the same. */
  async cancel(account: MemberAccount, id: string): Promise<ClaimDetail> {
    const { claim, scope } = await this.visibleClaim(account, id);
    // The member cancels before the review only (MEMBER_CANCELLABLE_STATES), whatever else the table allows.
    if (
      !MEMBER_CANCELLABLE_STATES.includes(claim.state) &&
      !(await this.movedByMember(claim.id, 'cancelled', 'member_cancelled'))
    ) {
      throw new AppError('CONFLICT', [conflict('illegal_transition')]);
    }
    await this.memberMove(claim.id, 'cancelled', 'member_cancelled', account.id);
    return this.detailOf((await this.repo.findClaim(this.d.db, claim.id)) as ClaimRow, scope);
  }

  /** True when the claim is in `state` by the member's own last move for `reason` (a retry finds it done). */
  private async movedByMember(claimId: string, state: ClaimState, reason: string): Promise<boolean> {
    const claim = await this.repo.findClaim(this.d.db, claimId);
    if (claim?.state !== state) return false;
    const last = (await this.repo.events(this.d.db, claimId)).at(-1);
    return last?.to_state === state && last.reason_code === reason && last.actor_kind === 'member';
  }

  /**
   * A member's move, idempotent: already made (a retry, or two requests at once: the second waits
   * for the row lock and then finds the move made) answers as done; any other refusal stands.
   */
  private async memberMove(
    claimId: string,
    to: ClaimState,
    reason: string,
    accountId: string,
    markDocumentsSent = false,
  ): Promise<void> {
    if (await this.movedByMember(claimId, to, reason)) return;
    try {
      await this.transition(claimId, to, 'member', {
        reasonCode: reason,
        actorId: accountId,
        markDocumentsSent,
      });
    } catch (err) {
      if (
        err instanceof AppError &&
        err.code === 'CONFLICT' &&
        (await this.movedByMember(claimId, to, reason))
      )
        return;
      throw err;
    }
  }

  async message(account: MemberAccount, id: string, body: string) {
    const { claim } = await this.visibleClaim(account, id);
    if (claim.state === 'cancelled') throw new AppError('CONFLICT', [conflict('messages_closed')]);
    const now = this.d.clock.now();
    const row = {
      id: newId(now.getTime()),
      claim_id: claim.id,
      at: now.toISOString(),
      author_kind: 'member' as const,
      author_id: account.id,
      body: body.trim(),
    };
    if (!row.body) throw new AppError('VALIDATION_FAILED', [fieldProblem('/body', 'required')]);
    // The same text sent again within a minute is a retry: the message already written answers.
    const last = (await this.repo.messages(this.d.db, claim.id)).at(-1);
    if (
      last &&
      last.author_kind === 'member' &&
      last.author_id === account.id &&
      last.body === row.body &&
      now.getTime() - Date.parse(last.at) < 60_000
    ) {
      return { id: last.id, at: last.at, author: last.author_kind, body: last.body };
    }
    await this.repo.insertMessage(this.d.db, row);
    return { id: row.id, at: row.at, author: row.author_kind, body: row.body };
  }

  /** A reminder after 30 days in review, at most once a week; the same day again answers the same. */
  async remind(account: MemberAccount, id: string): Promise<ClaimDetail> {
    const { claim, scope } = await this.visibleClaim(account, id);
    if (
      claim.last_reminder_at &&
      italianToday(new Date(claim.last_reminder_at)) === this.today() &&
      claim.state === 'in_review'
    ) {
      return this.detailOf(claim, scope);
    }
    const events = await this.repo.events(this.d.db, claim.id);
    if (!this.reminder(claim, events).canRemind)
      throw new AppError('CONFLICT', [conflict('reminder_not_available')]);
    const now = this.d.clock.now().toISOString();
    await this.d.db.transaction().execute(async (trx) => {
      await this.repo.updateClaim(trx, claim.id, { last_reminder_at: now, updated_at: now });
      await this.repo.insertMessage(trx, {
        id: newId(this.d.clock.now().getTime()),
        claim_id: claim.id,
        at: now,
        author_kind: 'member',
        author_id: account.id,
        body: 'Sollecito / Reminder',
      });
    });
    return this.detailOf({ ...claim, last_reminder_at: now }, scope);
  }

  /** The member sends the documents asked for: needs_documents → in_review; sending again answers the same. */
  async sendIntegration(account: MemberAccount, id: string): Promise<ClaimDetail> {
    const { claim, scope } = await this.visibleClaim(account, id);
    if (!(await this.movedByMember(claim.id, 'in_review', 'documents_sent'))) {
      if (claim.state !== 'needs_documents') assertTransition(claim.state, 'in_review', 'member');
      const pending = (await this.repo.documents(this.d.db, claim.id)).filter((d) => d.sent === 0);
      if (pending.length === 0)
        throw new AppError('VALIDATION_FAILED', [fieldProblem('/documents', 'document_missing')]);
      await this.memberMove(claim.id, 'in_review', 'documents_sent', account.id, true);
    }
    return this.detailOf((await this.repo.findClaim(this.d.db, claim.id)) as ClaimRow, scope);
  }

  /**
   * Cancels, as the system, the claims whose request for documents went unanswered for
   * CLAIM_LIMITS.integrationExpiryDays (reason `integration_expired`; the member gets the news
   * email). A claim answered meanwhile is left alone. Returns how many were cancelled.
   */
  async expireIntegrations(now: Date): Promise<number> {
    const before = new Date(now.getTime() - CLAIM_LIMITS.integrationExpiryDays * DAY_MS).toISOString();
    let cancelled = 0;
    for (const id of await this.repo.waitingForDocumentsSince(this.d.db, before)) {
      try {
        await this.transition(id, 'cancelled', 'system', {
          reasonCode: 'integration_expired',
          expect: 'needs_documents',
        });
        cancelled++;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
      }
    }
    return cancelled;
  }

  // --- transitions -----------------------------------------------------------------------------

  /**
   * The one way a claim changes state: checked against CLAIM_TRANSITIONS, recorded as an event
   * with who and why, in one transaction; when the member did not make the change, the "news on
   * your claim" email (number and link only) is queued with it.
   */
  async transition(
    claimId: string,
    to: ClaimState,
    actor: ClaimActor,
    options: {
      reasonCode?: string | null;
      note?: string | null;
      staffId?: string | null;
      /** The member's account id, when the member moves it. */
      actorId?: string | null;
      /** Refuse when the claim is no longer in this state (a change made meanwhile). */
      expect?: ClaimState;
      markDocumentsSent?: boolean;
    } = {},
  ): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      const claim = await this.repo.lockClaim(trx, claimId);
      if (!claim) throw notFound();
      if (options.expect && claim.state !== options.expect) assertTransition(claim.state, to, actor);
      assertTransition(claim.state, to, actor);
      const now = this.d.clock.now();
      await this.repo.updateClaim(trx, claim.id, { state: to, updated_at: now.toISOString() });
      if (options.markDocumentsSent) await this.repo.markDocumentsSent(trx, claim.id);
      await this.repo.insertEvent(trx, {
        id: newId(now.getTime()),
        claim_id: claim.id,
        at: now.toISOString(),
        from_state: claim.state,
        to_state: to,
        actor_kind: actor,
        actor_id:
          actor === 'staff'
            ? (options.staffId ?? null)
            : actor === 'member'
              ? (options.actorId ?? claim.account_id)
              : null,
        reason_code: options.reasonCode ?? null,
        note: options.note ?? null,
      });
      if (actor !== 'member') {
        const contact = await this.repo.accountContact(trx, claim.account_id);
        if (contact && claim.number) {
          await this.d.outbox.enqueue(trx, {
            to: contact.email,
            template: 'claim-news',
            locale: contact.locale === 'en' ? 'en' : 'it',
            data: { number: claim.number, claimId: claim.id },
          });
        }
      }
    });
  }
}
