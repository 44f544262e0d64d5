import { createHash } from 'node:crypto';
import {
  PAYMENT_LIMITS,
  type PaymentConflictCode,
  type PaymentFieldCode,
} from '#contracts/payments.codes.js';
import type {
  CreateBatchBody,
  PayableClaims,
  PaymentBatchDetail,
  PaymentBatchList,
  PaymentBatchSummary,
  PaymentClaim,
} from '#contracts/payments.js';
import { CATEGORY_LABELS, type CategoryCode } from '#contracts/plans.codes.js';
import type { AppConfig } from '../../config/config.js';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { italianToday } from '../../lib/text.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditEntry, AuditService } from '../audit/index.js';
import { type ClaimsApi, maskIban } from '../claims/index.js';
import type { MemberAccount } from '../members/index.js';
import { addDays, italianDate, nextTargetDay } from './payment-dates.js';
import type { PaymentsRepository } from './payments.repository.js';
import type { PaymentBatchRow } from './payments.table.js';
import { buildCreditTransferFile, italianDateTime } from './sepa-file.js';
import { type SettlementLetter, settlementLetterPdf } from './settlement-letter.js';

export interface PaymentsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  claims: Pick<ClaimsApi, 'transition' | 'assertVisible'>;
  config: Pick<AppConfig, 'fund'>;
}

/** Who acts, for the audit trail and the rows. */
export interface StaffActor {
  staffId: string;
  origin: RequestOrigin;
}

function conflict(code: PaymentConflictCode, params?: Record<string, string>): AppError {
  return new AppError('CONFLICT', [{ field: 'state', code, ...(params ? { params } : {}) }]);
}

function dateRefused(field: string, code: PaymentFieldCode, date: string): AppError {
  const detail: ErrorDetail = { field, code, params: { date: italianDate(date) } };
  return new AppError('VALIDATION_FAILED', [detail]);
}

const notFound = () => new AppError('NOT_FOUND');

type BatchListRow = Awaited<ReturnType<PaymentsRepository['list']>>[number];

/** `lettera-liquidazione-RSM-2026-000123.pdf` */
export function letterFileName(claimNumber: string): string {
  return `lettera-liquidazione-${claimNumber}.pdf`;
}

/** `OC-20261204-1A2B3C4D`: the day, and eight characters of the batch's random id. */
function messageIdOf(batchId: string, today: string): string {
  return `OC-${today.replaceAll('-', '')}-${batchId.replaceAll('-', '').slice(-8).toUpperCase()}`;
}

/**
 * Payment batches (decision 041): gather the approved claims not yet paid into a SEPA credit
 * transfer file, then follow the batch to the bank and back ("INVIATO ALLA BANCA", "PAGATO" with
 * the value date, when each claim becomes `paid` through the claims module). Every action is in
 * the audit trail with the staff user who made it. And the settlement letter of a paid claim.
 */
export class PaymentsService {
  constructor(
    private readonly d: PaymentsDeps,
    private readonly repo: PaymentsRepository,
  ) {}

  private today(): string {
    return italianToday(this.d.clock.now());
  }

  private record(db: Db, by: StaffActor, entry: Omit<AuditEntry, 'outcome' | 'actorType' | 'actorId'>) {
    return this.d.audit.record(db, by.origin, {
      ...entry,
      outcome: 'success',
      actorType: 'staff',
      actorId: by.staffId,
    });
  }

  private summary(row: BatchListRow): PaymentBatchSummary {
    return {
      id: row.id,
      messageId: row.message_id,
      state: row.state,
      claimCount: Number(row.claim_count),
      totalCents: Number(row.total_cents),
      createdAt: row.created_at,
      executionDate: row.execution_date,
      sentAt: row.sent_at,
      paidAt: row.paid_at,
      valueDate: row.value_date,
      cancelledAt: row.cancelled_at,
    };
  }

  async list(): Promise<PaymentBatchList> {
    const rows = await this.repo.list(this.d.db, PAYMENT_LIMITS.listSize);
    return { batches: rows.map((r) => this.summary(r)) };
  }

  /** What "CREA DISTINTA" would gather now: the oldest decided first, up to one batch's worth. */
  async payable(): Promise<PayableClaims> {
    const rows = await this.repo.payableClaims(this.d.db, PAYMENT_LIMITS.maxClaimsPerBatch + 1);
    const claims = rows.slice(0, PAYMENT_LIMITS.maxClaimsPerBatch).map(
      (r): PaymentClaim => ({
        claimId: r.id,
        number: r.number as string,
        accountHolder: r.account_holder as string,
        ibanMasked: maskIban(r.iban),
        amountCents: Number(r.accepted_cents),
        decidedAt: r.decided_at ?? r.updated_at,
        paid: false,
      }),
    );
    const draft = await this.repo.openDraft(this.d.db);
    return {
      claims,
      claimCount: claims.length,
      totalCents: claims.reduce((s, c) => s + c.amountCents, 0),
      more: rows.length > PAYMENT_LIMITS.maxClaimsPerBatch,
      openDraftId: draft?.id ?? null,
      defaultExecutionDate: nextTargetDay(this.today()),
    };
  }

  /**
   * "CREA DISTINTA": a draft batch of the payable claims, its file written now and kept. While a
   * draft is open (not yet sent or cancelled) it is the answer, made by this request or not: a
   * double click, or two administrators at once, make one batch (the database allows one draft).
   */
  async create(
    body: CreateBatchBody,
    by: StaffActor,
  ): Promise<{ created: boolean; batch: PaymentBatchDetail }> {
    const today = this.today();
    const executionDate = body.executionDate ?? nextTargetDay(today);
    if (executionDate < today) throw dateRefused('executionDate', 'date_before_allowed', today);
    const last = addDays(today, PAYMENT_LIMITS.executionDaysAhead);
    if (executionDate > last) throw dateRefused('executionDate', 'date_too_far', last);

    const existing = await this.repo.openDraft(this.d.db);
    if (existing) return { created: false, batch: await this.detailOf(existing) };
    let nothingPayable = false;
    try {
      const id = await this.d.db.transaction().execute(async (trx) => {
        const claims = await this.repo.payableClaims(trx, PAYMENT_LIMITS.maxClaimsPerBatch);
        if (claims.length === 0) {
          nothingPayable = true;
          throw conflict('no_payable_claims');
        }
        const now = this.d.clock.now();
        const batchId = newId(now.getTime());
        const messageId = messageIdOf(batchId, today);
        const fund = this.d.config.fund;
        const transfers = claims.map((c) => ({
          endToEndId: c.number as string,
          creditorName: c.account_holder as string,
          creditorIban: c.iban as string,
          amountCents: Number(c.accepted_cents),
          remittance: `Rimborso pratica ${c.number}`,
        }));
        const xml = buildCreditTransferFile({
          messageId,
          createdAt: italianDateTime(now),
          executionDate,
          debtor: fund,
          transfers,
        });
        const total = transfers.reduce((s, t) => s + t.amountCents, 0);
        await this.repo.insertBatch(trx, {
          id: batchId,
          message_id: messageId,
          state: 'draft',
          claim_count: claims.length,
          total_cents: total,
          execution_date: executionDate,
          debtor_name: fund.name,
          debtor_iban: fund.iban,
          debtor_bic: fund.bic,
          file_xml: xml,
          file_sha256: createHash('sha256').update(xml, 'utf8').digest('hex'),
          created_at: now.toISOString(),
          created_by: by.staffId,
          sent_at: null,
          sent_by: null,
          value_date: null,
          paid_at: null,
          paid_by: null,
          cancelled_at: null,
          cancelled_by: null,
        });
        await this.repo.insertItems(
          trx,
          claims.map((c, position) => ({
            batch_id: batchId,
            claim_id: c.id,
            position: position + 1,
            amount_cents: Number(c.accepted_cents),
            account_holder: c.account_holder as string,
            iban: c.iban as string,
            live: 1,
          })),
        );
        await this.record(trx, by, {
          event: 'payment_batch_created',
          details: { batch: batchId, messageId, claims: claims.length, totalCents: total, executionDate },
        });
        return batchId;
      });
      const batch = await this.repo.batch(this.d.db, id);
      return { created: true, batch: await this.detailOf(batch as PaymentBatchRow) };
    } catch (err) {
      // Another request made the draft (or took a claim) first: its draft is the answer. On
      // PostgreSQL the other one may have committed between our look for a draft and our
      // transaction: then nothing is payable any more, because its draft holds every claim.
      if (!isUniqueViolation(err) && !nothingPayable) throw err;
      const draft = await this.repo.openDraft(this.d.db);
      if (!draft) throw err;
      return { created: false, batch: await this.detailOf(draft) };
    }
  }

  private async detailOf(row: PaymentBatchRow): Promise<PaymentBatchDetail> {
    const items = await this.repo.items(this.d.db, row.id);
    return {
      ...this.summary(row),
      debtorName: row.debtor_name,
      debtorIbanMasked: maskIban(row.debtor_iban),
      fileName: `${row.message_id}.xml`,
      claims: items.map((i) => ({
        claimId: i.claim_id,
        number: i.number as string,
        accountHolder: i.account_holder,
        ibanMasked: maskIban(i.iban),
        amountCents: Number(i.amount_cents),
        decidedAt: i.decided_at ?? i.updated_at,
        paid: i.state === 'paid',
      })),
    };
  }

  private async found(id: string): Promise<PaymentBatchRow> {
    const row = await this.repo.batch(this.d.db, id);
    if (!row) throw notFound();
    return row;
  }

  /** The batch page: its claims with names and masked IBANs (recorded as a read of members' data). */
  async detail(id: string, by: StaffActor): Promise<PaymentBatchDetail> {
    const row = await this.found(id);
    await this.record(this.d.db, by, {
      event: 'sensitive_read',
      details: { what: 'payment_batch', batch: row.id },
    });
    return this.detailOf(row);
  }

  /** "SCARICA XML": the file as written when the batch was made, byte for byte. */
  async file(id: string, by: StaffActor): Promise<{ name: string; xml: string }> {
    const row = await this.found(id);
    await this.record(this.d.db, by, {
      event: 'payment_batch_downloaded',
      details: { batch: row.id, messageId: row.message_id, sha256: row.file_sha256 },
    });
    return { name: `${row.message_id}.xml`, xml: row.file_xml };
  }

  /** "ANNULLA": a draft is cancelled and its claims can be paid in another batch; again: the same answer. */
  async cancel(id: string, by: StaffActor): Promise<PaymentBatchDetail> {
    const row = await this.found(id);
    if (row.state === 'cancelled') return this.detailOf(row);
    if (row.state !== 'draft') throw conflict('batch_not_draft');
    await this.d.db.transaction().execute(async (trx) => {
      const at = this.d.clock.now().toISOString();
      const moved = await this.repo.moveBatch(trx, id, 'draft', {
        state: 'cancelled',
        cancelled_at: at,
        cancelled_by: by.staffId,
      });
      if (!moved) return;
      await this.repo.releaseItems(trx, id);
      await this.record(trx, by, {
        event: 'payment_batch_cancelled',
        details: { batch: id, messageId: row.message_id, claims: Number(row.claim_count) },
      });
    });
    const now = await this.found(id);
    if (now.state !== 'cancelled') throw conflict('batch_not_draft');
    return this.detailOf(now);
  }

  /** "INVIATO ALLA BANCA": the file went to the bank; the batch can no longer be cancelled. Again: the same answer. */
  async markSent(id: string, by: StaffActor): Promise<PaymentBatchDetail> {
    const row = await this.found(id);
    if (row.state === 'sent' || row.state === 'paid') return this.detailOf(row);
    if (row.state !== 'draft') throw conflict('batch_not_draft');
    await this.d.db.transaction().execute(async (trx) => {
      const moved = await this.repo.moveBatch(trx, id, 'draft', {
        state: 'sent',
        sent_at: this.d.clock.now().toISOString(),
        sent_by: by.staffId,
      });
      if (!moved) return;
      await this.record(trx, by, {
        event: 'payment_batch_sent',
        details: { batch: id, messageId: row.message_id, claims: Number(row.claim_count) },
      });
    });
    const now = await this.found(id);
    if (now.state !== 'sent' && now.state !== 'paid') throw conflict('batch_not_draft');
    return this.detailOf(now);
  }

  /**
   * "PAGATO" with the value date: each claim of the batch becomes `paid` through the claims module
   * (its event and the member's "news" email, its paid amounts and value date, in one transaction
   * per claim), then the batch. Safe to repeat: a claim already paid is passed over, so a retry
   * after a failure half way finishes the job and pays nobody twice; the same request again
   * answers the same; another value date is refused.
   */
  async markPaid(id: string, valueDate: string, by: StaffActor): Promise<PaymentBatchDetail> {
    const row = await this.found(id);
    if (row.value_date !== null && row.value_date !== valueDate)
      throw conflict('batch_paid_other_date', { valueDate: italianDate(row.value_date) });
    if (row.state === 'paid') return this.detailOf(row);
    if (row.state !== 'sent') throw conflict('batch_not_sent');
    const from = italianToday(new Date(row.created_at));
    if (valueDate < from) throw dateRefused('valueDate', 'date_before_allowed', from);
    const last = addDays(this.today(), PAYMENT_LIMITS.valueDaysAhead);
    if (valueDate > last) throw dateRefused('valueDate', 'date_too_far', last);

    const dated = await this.repo.setValueDate(this.d.db, id, valueDate, by.staffId);
    if (dated?.value_date !== valueDate) {
      if (dated?.value_date)
        throw conflict('batch_paid_other_date', { valueDate: italianDate(dated.value_date) });
      throw conflict('batch_not_sent');
    }
    for (const item of await this.repo.items(this.d.db, id)) {
      if (item.state === 'paid') continue;
      try {
        await this.d.claims.transition(item.claim_id, 'paid', 'staff', {
          staffId: by.staffId,
          reasonCode: 'payment_ordered',
          payment: { valueDate },
        });
      } catch (err) {
        // Paid meanwhile by the same order repeated (two clicks): nothing more to do for it.
        const now = await this.repo.claim(this.d.db, item.claim_id);
        if (!(err instanceof AppError && err.code === 'CONFLICT' && now?.state === 'paid')) throw err;
      }
    }
    await this.d.db.transaction().execute(async (trx) => {
      const moved = await this.repo.moveBatch(trx, id, 'sent', {
        state: 'paid',
        paid_at: this.d.clock.now().toISOString(),
        paid_by: by.staffId,
      });
      if (!moved) return;
      await this.record(trx, by, {
        event: 'payment_batch_paid',
        details: {
          batch: id,
          messageId: row.message_id,
          claims: Number(row.claim_count),
          totalCents: Number(row.total_cents),
          valueDate,
        },
      });
    });
    return this.detailOf(await this.found(id));
  }

  // --- the settlement letter -----------------------------------------------------------------

  /** The letter of a paid claim; NOT_FOUND for a claim not paid. */
  private async letter(
    claimId: string,
  ): Promise<{ pdf: Uint8Array; name: string; beneficiaryId: string | null }> {
    const claim = await this.repo.claim(this.d.db, claimId);
    if (claim?.state !== 'paid' || !claim.number || !claim.paid_on) throw notFound();
    const [invoices, person, paidAt] = await Promise.all([
      this.repo.invoices(this.d.db, claim.id),
      claim.beneficiary_id ? this.repo.person(this.d.db, claim.beneficiary_id) : undefined,
      this.repo.paidAt(this.d.db, claim.id),
    ]);
    const category = claim.category as CategoryCode | null;
    const data: SettlementLetter = {
      fundName: this.d.config.fund.name,
      claimNumber: claim.number,
      memberName: person ? `${person.given_name} ${person.surname}` : (claim.account_holder ?? ''),
      accountHolder: claim.account_holder ?? '',
      ibanMasked: maskIban(claim.iban),
      categoryLabel: category && Object.hasOwn(CATEGORY_LABELS, category) ? CATEGORY_LABELS[category].it : '',
      submittedOn: italianToday(new Date(claim.submitted_at ?? claim.created_at)),
      valueDate: claim.paid_on,
      paidCents: Number(claim.paid_cents ?? claim.accepted_cents ?? 0),
      lines: invoices.map((i) => ({
        invoiceDate: i.invoice_date,
        invoiceNumber: i.invoice_number,
        issuerName: i.issuer_name,
        claimedCents: Number(i.amount_cents),
        acceptedCents: Number(i.accepted_cents ?? 0),
        reason: i.reason,
        adjustReason: i.adjust_reason,
      })),
      paidAt: new Date(paidAt ?? claim.updated_at),
    };
    return {
      pdf: await settlementLetterPdf(data),
      name: letterFileName(claim.number),
      beneficiaryId: claim.beneficiary_id,
    };
  }

  /** The member's copy: only of a claim they may see, and only once paid (else NOT_FOUND). */
  async memberLetter(account: MemberAccount, claimId: string) {
    await this.d.claims.assertVisible(account, claimId);
    const { pdf, name } = await this.letter(claimId);
    return { pdf, name };
  }

  /** The back office's copy: recorded as a read of the member's data. */
  async staffLetter(claimId: string, by: StaffActor) {
    const { pdf, name, beneficiaryId } = await this.letter(claimId);
    await this.record(this.d.db, by, {
      event: 'sensitive_read',
      subjectId: beneficiaryId,
      details: { what: 'settlement_letter', claim: claimId },
    });
    return { pdf, name };
  }
}
