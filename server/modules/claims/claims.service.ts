import { type ClaimState, MEMBER_CANCELLABLE_STATES } from '#contracts/claims.codes.js';
import type { ClaimDetail, ClaimEvent, ClaimList, ClaimListQuery, ClaimSummary } from '#contracts/claims.js';
import { CATEGORY_LABELS, type CategoryCode } from '#contracts/plans.codes.js';
import { AppError } from '../../errors/app-error.js';
import { newId } from '../../lib/ids.js';
import { italianToday } from '../../lib/text.js';
import type { MemberAccount } from '../members/index.js';
import {
  type ClaimAccess,
  type ClaimsDeps,
  documentView,
  eventItems,
  invoiceView,
  type MemberScope,
  type RegistryRow,
} from './claim-access.js';
import { reminderWindow } from './claim-dates.js';
import { maskIban } from './claim-format.js';
import { conflict, fieldProblem } from './claim-messages.js';
import { assertTransition } from './claim-state.js';
import type { ClaimTransitionsService } from './claim-transitions.service.js';
import type { ClaimsRepository } from './claims.repository.js';
import type { ClaimRow } from './claims.table.js';

/** The columns a summary reads: a row of the list (a whole claim has them too). */
type ClaimSummaryRow = Awaited<ReturnType<ClaimsRepository['listPage']>>[number];

/**
 * "Le mie pratiche": the member's sent claims (list and detail) and what the member does on one
 * (cancel, write a message, send a reminder, send the documents asked for).
 */
export class ClaimsService {
  private readonly repo: ClaimsRepository;

  constructor(
    private readonly d: Pick<ClaimsDeps, 'db' | 'clock'>,
    private readonly access: ClaimAccess,
    private readonly transitions: Pick<ClaimTransitionsService, 'transition'>,
  ) {
    this.repo = access.repo;
  }

  private summary(row: ClaimSummaryRow, family: RegistryRow[]): ClaimSummary {
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
    const scope = await this.access.scope(account);
    const ids = { familyId: scope.familyId, accountId: account.id, persons: scope.persons.map((p) => p.id) };
    const filter = {
      ...(query.state ? { state: query.state } : {}),
      ...(query.year !== undefined ? { year: query.year } : {}),
      ...(query.beneficiaryId ? { beneficiaryId: query.beneficiaryId } : {}),
    };
    const offset = (query.page - 1) * query.pageSize;
    // The counts first: a page past the end (or of nothing) needs no second query.
    const { total, years } = await this.repo.listCounts(this.d.db, ids, filter);
    const rows =
      offset < total
        ? await this.repo.listPage(this.d.db, ids, { ...filter, offset, limit: query.pageSize })
        : [];
    return {
      items: rows.map((r) => this.summary(r, scope.family)),
      total,
      page: query.page,
      pageSize: query.pageSize,
      years,
      beneficiaries: scope.persons.map((p) => ({ id: p.id, givenName: p.given_name, surname: p.surname })),
    };
  }

  private reminder(claim: ClaimRow, events: { to_state: ClaimState; at: string }[]) {
    return reminderWindow(claim, events, this.access.today());
  }

  async detail(account: MemberAccount, id: string): Promise<ClaimDetail> {
    const { claim, scope } = await this.access.visibleClaim(account, id);
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
      paidOn: claim.paid_on,
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
      invoices: invoices.map(invoiceView),
      documents: documents.map(documentView),
      messages: messages.map((m) => ({ id: m.id, at: m.at, author: m.author_kind, body: m.body })),
      documentRequest: request
        ? { at: request.at, note: request.note ?? '', items: eventItems(request) }
        : null,
      canCancel: MEMBER_CANCELLABLE_STATES.includes(claim.state),
      ...this.reminder(claim, events),
    };
  }

  /** The member cancels a claim not yet in review; cancelling again answers the same. */
  async cancel(account: MemberAccount, id: string): Promise<ClaimDetail> {
    const { claim, scope } = await this.access.visibleClaim(account, id);
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
      await this.transitions.transition(claimId, to, 'member', {
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
    const { claim } = await this.access.visibleClaim(account, id);
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
    const { claim, scope } = await this.access.visibleClaim(account, id);
    if (
      claim.last_reminder_at &&
      italianToday(new Date(claim.last_reminder_at)) === this.access.today() &&
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
    const { claim, scope } = await this.access.visibleClaim(account, id);
    if (!(await this.movedByMember(claim.id, 'in_review', 'documents_sent'))) {
      if (claim.state !== 'needs_documents') assertTransition(claim.state, 'in_review', 'member');
      const pending = (await this.repo.documents(this.d.db, claim.id)).filter((d) => d.sent === 0);
      if (pending.length === 0)
        throw new AppError('VALIDATION_FAILED', [fieldProblem('/documents', 'document_missing')]);
      await this.memberMove(claim.id, 'in_review', 'documents_sent', account.id, true);
    }
    return this.detailOf((await this.repo.findClaim(this.d.db, claim.id)) as ClaimRow, scope);
  }
}
