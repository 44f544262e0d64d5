import { electronicFormatIBAN, isSEPACountry, isValidIBAN } from 'ibantools';
import { CLAIM_LIMITS } from '#contracts/claims.codes.js';
import type {
  CapAfter,
  ClaimOptions,
  ClaimWarning,
  Draft,
  DraftBody,
  DraftInvoice,
  Estimate,
} from '#contracts/claims.js';
import type { CategoryCode, Channel } from '#contracts/plans.codes.js';
import type { PlanRules, Usage } from '#contracts/plans.js';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import { newId } from '../../lib/ids.js';
import type { MemberAccount } from '../members/index.js';
import { assessClaim, capsLeft } from '../plans/index.js';
import {
  type ClaimAccess,
  type ClaimsDeps,
  type CompleteInvoice,
  documentView,
  EMPTY_DRAFT,
  type MemberScope,
  type Plan,
  parseDraft,
  type StoredDraft,
} from './claim-access.js';
import { coveredInYear, coveredOn, dayNumber } from './claim-dates.js';
import { fieldProblem } from './claim-messages.js';
import { familyUsage } from './claim-usage.js';
import type { ClaimsRepository } from './claims.repository.js';
import type { ClaimRow } from './claims.table.js';

const TAX_ID = /^(?:\d{11}|[A-Z0-9]{16})$/;

/**
 * The member's draft (the wizard): what it offers, the draft saved as the member goes, the field
 * checks, the probable duplicates, and the estimate against the plan and what the family used.
 */
export class ClaimDraftsService {
  private readonly repo: ClaimsRepository;

  constructor(
    private readonly d: Pick<ClaimsDeps, 'db' | 'clock' | 'documents'>,
    private readonly access: ClaimAccess,
  ) {
    this.repo = access.repo;
  }

  // --- options ---------------------------------------------------------------------------------

  async options(account: MemberAccount): Promise<ClaimOptions> {
    const scope = await this.access.scope(account);
    const plan = await this.access.plan(scope);
    const today = this.access.today();
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
      // The profile's IBAN first (decision 048: a change there applies to the claims sent after
      // it), else the one of the member's last claim.
      payee:
        account.iban && account.iban_holder && !account.iban_frozen_at
          ? { iban: account.iban, accountHolder: account.iban_holder }
          : payee?.iban && payee.account_holder
            ? { iban: payee.iban, accountHolder: payee.account_holder }
            : null,
      today,
    };
  }

  // --- drafts ----------------------------------------------------------------------------------

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
    const scope = await this.access.scope(account);
    const open = await this.repo.openDraft(this.d.db, account.id);
    if (open) return { created: false, draft: await this.draftView(open, scope) };
    const plan = await this.access.plan(scope);
    const now = this.d.clock.now().toISOString();
    const row: ClaimRow = {
      id: newId(this.d.clock.now().getTime()),
      number: null,
      account_id: account.id,
      family_id: scope.familyId,
      beneficiary_id: null,
      kind: 'reimbursement',
      booking_id: null,
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
      holder_staff_id: null,
      held_at: null,
      decided_at: null,
      decided_by: null,
      decided_by_staff_id: null,
      second_approver_id: null,
      auto_rule: null,
      pending_decision: null,
      paid_on: null,
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
    const row = await this.access.ownDraft(account, id);
    return this.draftView(row, await this.access.scope(account));
  }

  /** Saves the wizard as it is: every value typed is checked; a value that is wrong saves nothing. */
  async saveDraft(account: MemberAccount, id: string, body: DraftBody): Promise<Draft> {
    const row = await this.access.ownDraft(account, id);
    const scope = await this.access.scope(account);
    const plan = await this.access.plan(scope);
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
    const row = await this.access.ownDraft(account, id);
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
    const today = this.access.today();
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
    return familyUsage(familyId, year, await this.repo.usageLines(db, familyId));
  }

  /** Checks the draft as complete and estimates it; throws VALIDATION_FAILED on a problem. */
  async assess(row: ClaimRow, scope: MemberScope, plan: Plan, draft: StoredDraft, db: Db = this.d.db) {
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
        submittedOn: this.access.today(),
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
    const row = await this.access.ownDraft(account, id);
    const scope = await this.access.scope(account);
    const plan = await this.access.plan(scope);
    return (await this.assess(row, scope, plan, parseDraft(row))).estimate;
  }
}
