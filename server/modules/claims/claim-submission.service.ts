import type { ClaimState } from '#contracts/claims.codes.js';
import type { Submitted } from '#contracts/claims.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError } from '../../errors/app-error.js';
import { newId } from '../../lib/ids.js';
import type { MemberAccount } from '../members/index.js';
import { type ClaimAccess, type ClaimsDeps, notFound, parseDraft } from './claim-access.js';
import { addDays } from './claim-dates.js';
import type { ClaimDraftsService } from './claim-drafts.service.js';
import { fieldProblem } from './claim-messages.js';
import { assertTransition } from './claim-state.js';
import type { ClaimsRepository } from './claims.repository.js';
import type { ClaimRow } from './claims.table.js';

/** Sending a draft: checks and estimate, the claim number, idempotency, and the receipt email. */
export class ClaimSubmissionService {
  private readonly repo: ClaimsRepository;
  /**
   * Runs once a claim is sent (the straight-through decision): its new state, or null when the
   * claim stays in the queue. A failure leaves the claim sent, in the queue.
   */
  afterSubmit: ((claimId: string) => Promise<ClaimState | null>) | null = null;

  constructor(
    private readonly d: Pick<ClaimsDeps, 'db' | 'clock' | 'outbox' | 'config' | 'log'>,
    private readonly access: ClaimAccess,
    private readonly drafts: Pick<ClaimDraftsService, 'assess'>,
  ) {
    this.repo = access.repo;
  }

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
    const sent = await this.send(account, id, idempotencyKey);
    if (sent.state !== 'submitted' || !this.afterSubmit) return sent;
    try {
      const decided = await this.afterSubmit(sent.id);
      return decided ? { ...sent, state: decided } : sent;
    } catch (err) {
      this.d.log.error({ err, claimId: sent.id }, 'automatic decision failed; the claim stays in the queue');
      return sent;
    }
  }

  private async send(account: MemberAccount, id: string, idempotencyKey: string): Promise<Submitted> {
    const earlier = await this.repo.findByIdempotencyKey(this.d.db, account.id, idempotencyKey);
    if (earlier && earlier.state !== 'draft') return this.submittedView(earlier);
    const scope = await this.access.scope(account);
    const plan = await this.access.plan(scope);
    try {
      return await this.d.db.transaction().execute(async (trx) => {
        const row = await this.repo.lockClaim(trx, id);
        if (!row || row.account_id !== account.id) throw notFound();
        if (row.idempotency_key === idempotencyKey && row.state !== 'draft') return this.submittedView(row);
        const again = await this.repo.findByIdempotencyKey(trx, account.id, idempotencyKey);
        if (again && again.state !== 'draft') return this.submittedView(again);
        if (row.state !== 'draft') assertTransition(row.state, 'submitted', 'member');
        const draft = parseDraft(row);
        const { estimate, invoices, documents } = await this.drafts.assess(row, scope, plan, draft, trx);
        if (!documents.some((d) => d.kind === 'fattura'))
          throw new AppError('VALIDATION_FAILED', [fieldProblem('/documents', 'document_missing')]);
        const now = this.d.clock.now();
        const today = this.access.today();
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
}
