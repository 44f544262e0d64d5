import { CLAIM_STATES, type ClaimState, DOCUMENT_CHECKLIST } from '#contracts/claims.codes.js';
import type { ClaimMessage } from '#contracts/claims.js';
import type {
  DocumentRequestBody,
  Queue,
  QueueQuery,
  StaffClaimDetail,
} from '#contracts/claims-backoffice.js';
import { CATEGORY_LABELS } from '#contracts/plans.codes.js';
import { AppError } from '../../errors/app-error.js';
import { newId } from '../../lib/ids.js';
import { italianToday } from '../../lib/text.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import { type ClaimsDeps, documentView, eventItems, invoiceView, notFound } from './claim-access.js';
import { addDays, DAY_MS, italianDayStart } from './claim-dates.js';
import { type ClaimDecisionsService, type Operator, parsePending } from './claim-decisions.service.js';
import { maskIban } from './claim-format.js';
import { conflict } from './claim-messages.js';
import type { ClaimReviewRepository } from './claim-review.repository.js';
import type { ClaimTransitionsService } from './claim-transitions.service.js';
import type { ClaimsRepository } from './claims.repository.js';
import type { ClaimRow } from './claims.table.js';

/** States in which the back office works on a claim (take, decide, ask, write). */
const OPEN_STATES: readonly ClaimState[] = ['submitted', 'in_review', 'needs_documents'];

/** Whole calendar days (Italian dates) from `from` to `to`. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * The back office's claims (PRODUCT.md §4 "Claims queue"): the queue, a claim with the engine's
 * proposal, taking and releasing it, asking for documents, writing to the member, opening a
 * document (audited). Decisions are ClaimDecisionsService's.
 */
export class ClaimReviewService {
  constructor(
    private readonly d: Pick<ClaimsDeps, 'db' | 'clock' | 'outbox' | 'documents'>,
    private readonly repo: ClaimsRepository,
    private readonly review: ClaimReviewRepository,
    private readonly transitions: Pick<ClaimTransitionsService, 'move'>,
    private readonly decisions: ClaimDecisionsService,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  private today(): string {
    return italianToday(this.d.clock.now());
  }

  async queue(query: QueueQuery): Promise<Queue> {
    const today = this.today();
    // "At least N days waiting": submitted on or before the end of the day N days ago (Italian time).
    const submittedBefore =
      query.minDays === undefined
        ? undefined
        : new Date(italianDayStart(addDays(today, 1 - query.minDays)).getTime() - 1).toISOString();
    const { total, rows } = await this.review.queue(this.d.db, {
      ...(query.state ? { state: query.state } : {}),
      ...(submittedBefore ? { submittedBefore } : {}),
      ...(query.category ? { category: query.category } : {}),
      ...(query.plan ? { plan: query.plan } : {}),
      ...(query.minCents !== undefined ? { minCents: query.minCents } : {}),
      ...(query.maxCents !== undefined ? { maxCents: query.maxCents } : {}),
      ...(query.duplicate !== undefined ? { duplicate: query.duplicate } : {}),
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
    const counts = await this.review.countsByState(this.d.db);
    return {
      items: rows.map((r) => {
        const category = r.category ?? 'visite_specialistiche';
        const submittedAt = r.submitted_at ?? r.created_at;
        return {
          id: r.id,
          number: r.number ?? '',
          state: r.state,
          category,
          categoryLabel: CATEGORY_LABELS[category],
          planCode: r.plan_code,
          member: { givenName: r.member_given_name ?? '', surname: r.member_surname ?? '' },
          beneficiary: { givenName: r.beneficiary_given_name ?? '', surname: r.beneficiary_surname ?? '' },
          submittedAt,
          daysWaiting: daysBetween(italianToday(new Date(submittedAt)), today),
          claimedCents: r.claimed_cents,
          estimatedCents: r.estimated_cents,
          acceptedCents: r.accepted_cents,
          probableDuplicate: Boolean(Number(r.has_duplicate)),
          holder: r.holder_staff_id ? { id: r.holder_staff_id, username: r.holder_username ?? '' } : null,
          pendingDecision: r.pending_decision !== null,
        };
      }),
      total,
      page: query.page,
      pageSize: query.pageSize,
      counts: CLAIM_STATES.filter((s) => s !== 'draft').map((state) => ({
        state,
        count: counts.find((c) => c.state === state)?.count ?? 0,
      })),
      plans: await this.review.planCodes(this.d.db),
    };
  }

  private async sentClaim(id: string): Promise<ClaimRow> {
    const claim = await this.repo.findClaim(this.d.db, id);
    if (!claim || claim.state === 'draft') throw notFound();
    return claim;
  }

  /** A claim as the back office sees it, with what `viewer` may do on it. */
  async detail(
    id: string,
    viewer: { id: string; canProcess: boolean; origin?: RequestOrigin },
  ): Promise<StaffClaimDetail> {
    const claim = await this.sentClaim(id);
    const db = this.d.db;
    // Every opening of a claim is a read of the member's health data: the member sees it in
    // their access log (decision 050).
    if (viewer.origin)
      await this.audit.record(db, viewer.origin, {
        event: 'sensitive_read',
        outcome: 'success',
        actorType: 'staff',
        actorId: viewer.id,
        subjectId: claim.beneficiary_id,
        details: { what: 'claim', claim: claim.id },
      });
    const [events, documents, messages, account] = await Promise.all([
      this.repo.events(db, claim.id),
      this.repo.documents(db, claim.id),
      this.repo.messages(db, claim.id),
      db
        .selectFrom('member_accounts')
        .select('registry_member_id')
        .where('id', '=', claim.account_id)
        .executeTakeFirst(),
    ]);
    const open = OPEN_STATES.includes(claim.state);
    const proposal = open ? await this.decisions.proposal(db, claim) : null;
    const invoices = proposal?.invoices ?? (await this.repo.invoices(db, claim.id));
    const [member, beneficiary] = await Promise.all([
      account ? this.repo.registryMember(db, account.registry_member_id) : undefined,
      claim.beneficiary_id ? this.repo.registryMember(db, claim.beneficiary_id) : undefined,
    ]);
    const pending = parsePending(claim);
    const names = await this.review.usernames(db, [
      claim.holder_staff_id,
      claim.decided_by_staff_id,
      claim.second_approver_id,
      pending?.proposedBy ?? null,
      ...events.map((e) => (e.actor_kind === 'staff' ? e.actor_id : null)),
    ]);
    const same = await this.review.sameInvoices(
      db,
      claim.family_id,
      claim.id,
      invoices.map((i) => ({ number: i.invoice_number, date: i.invoice_date })),
    );
    const person = (row: typeof member) => ({
      registryId: row?.id ?? '',
      givenName: row?.given_name ?? '',
      surname: row?.surname ?? '',
      codiceFiscale: row?.codice_fiscale ?? '',
    });
    const category = claim.category ?? 'visite_specialistiche';
    const sentKinds = new Set(documents.filter((d) => d.sent === 1).map((d) => d.kind));
    const holds = claim.holder_staff_id === viewer.id;
    const may = viewer.canProcess;
    return {
      id: claim.id,
      number: claim.number ?? '',
      state: claim.state,
      category,
      categoryLabel: CATEGORY_LABELS[category],
      plan: { code: claim.plan_code, version: claim.plan_version ?? 1 },
      member: person(member),
      beneficiary: person(beneficiary),
      submittedAt: claim.submitted_at ?? claim.created_at,
      expectedDecisionOn: claim.expected_decision_on ?? this.today(),
      ibanMasked: maskIban(claim.iban),
      accountHolder: claim.account_holder ?? '',
      claimedCents: claim.claimed_cents,
      estimatedCents: claim.estimated_cents,
      acceptedCents: claim.accepted_cents,
      paidCents: claim.paid_cents,
      paidOn: claim.paid_on,
      holder: claim.holder_staff_id
        ? { id: claim.holder_staff_id, username: names.get(claim.holder_staff_id) ?? '' }
        : null,
      decision:
        claim.decided_at && claim.decided_by
          ? {
              at: claim.decided_at,
              by: claim.decided_by,
              operator: claim.decided_by_staff_id ? (names.get(claim.decided_by_staff_id) ?? null) : null,
              secondApprover: claim.second_approver_id ? (names.get(claim.second_approver_id) ?? null) : null,
              autoRule: claim.auto_rule,
            }
          : null,
      pendingDecision: await this.decisions.pendingView(claim, names),
      invoices: invoices.map((i) => ({
        ...invoiceView({ ...i, facility_name: 'facility_name' in i ? i.facility_name : null }),
        proposal: proposal?.lines.get(i.id) ?? null,
      })),
      documents: documents.map(documentView),
      checklist: DOCUMENT_CHECKLIST[category].map((item) => ({
        kind: item.kind,
        need: item.need,
        present: sentKinds.has(item.kind),
      })),
      duplicates: invoices.flatMap((i) =>
        same
          .filter((s) => s.invoice_number === i.invoice_number && s.invoice_date === i.invoice_date)
          .map((s) => ({ invoiceId: i.id, claimId: s.id, number: s.number ?? '', state: s.state })),
      ),
      messages: messages.map((m) => ({ id: m.id, at: m.at, author: m.author_kind, body: m.body })),
      events: events.map((e) => ({
        at: e.at,
        from: e.from_state,
        to: e.to_state,
        actor: e.actor_kind,
        actorName: e.actor_kind === 'staff' && e.actor_id ? (names.get(e.actor_id) ?? null) : null,
        reasonCode: e.reason_code,
        note: e.note,
        items: eventItems(e),
      })),
      can: {
        take: may && open && claim.holder_staff_id === null,
        release: may && open && holds && !pending,
        decide: may && claim.state === 'in_review' && holds && !pending,
        requestDocuments: may && claim.state === 'in_review' && holds && !pending,
        confirm: may && claim.state === 'in_review' && pending !== null && pending.proposedBy !== viewer.id,
        discard: may && claim.state === 'in_review' && pending !== null,
        message: may && claim.state !== 'cancelled',
      },
    };
  }

  /**
   * "PRENDI IN CARICO": the claim becomes the operator's until released or decided; a submitted
   * claim goes into review. Taking it again answers the same; another operator's is refused.
   */
  async take(id: string, operator: Operator): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      const claim = await this.repo.lockClaim(trx, id);
      if (!claim || claim.state === 'draft') throw notFound();
      if (claim.holder_staff_id === operator.id) return;
      if (claim.holder_staff_id !== null)
        throw new AppError('CONFLICT', [{ field: 'state', code: 'held_by_other' }]);
      if (!OPEN_STATES.includes(claim.state))
        throw new AppError('CONFLICT', [
          {
            ...conflict('illegal_transition'),
            params: { from: claim.state, to: 'in_review', actor: 'staff' },
          },
        ]);
      const held = { holder_staff_id: operator.id, held_at: this.d.clock.now().toISOString() };
      if (claim.state === 'submitted') {
        await this.transitions.move(
          trx,
          claim,
          'in_review',
          'staff',
          { reasonCode: 'review_started', staffId: operator.id },
          held,
        );
      } else {
        await this.repo.updateClaim(trx, claim.id, held);
      }
      await this.audit.record(trx, operator.origin, {
        event: 'claim_taken',
        outcome: 'success',
        actorType: 'staff',
        actorId: operator.id,
        details: { claim: claim.id },
      });
    });
  }

  /** Gives the claim back to the queue (only its holder, and not while a decision waits). */
  async release(id: string, operator: Operator): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      const claim = await this.repo.lockClaim(trx, id);
      if (!claim || claim.state === 'draft') throw notFound();
      if (claim.holder_staff_id === null) return;
      if (claim.holder_staff_id !== operator.id)
        throw new AppError('CONFLICT', [{ field: 'state', code: 'held_by_other' }]);
      if (claim.pending_decision)
        throw new AppError('CONFLICT', [{ field: 'state', code: 'decision_pending' }]);
      await this.repo.updateClaim(trx, claim.id, { holder_staff_id: null, held_at: null });
      await this.audit.record(trx, operator.origin, {
        event: 'claim_released',
        outcome: 'success',
        actorType: 'staff',
        actorId: operator.id,
        details: { claim: claim.id },
      });
    });
  }

  /**
   * "RICHIEDI DOCUMENTI": in review → waiting for documents, with the items of the checklist and
   * free text for the member; the member gets the "news" email; unanswered, the system cancels it
   * after CLAIM_INTEGRATION_EXPIRY_DAYS.
   */
  async requestDocuments(id: string, body: DocumentRequestBody, operator: Operator): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      const claim = await this.repo.lockClaim(trx, id);
      if (!claim || claim.state === 'draft') throw notFound();
      if (claim.state === 'in_review') {
        if (claim.holder_staff_id === null)
          throw new AppError('CONFLICT', [{ field: 'state', code: 'not_held' }]);
        if (claim.holder_staff_id !== operator.id)
          throw new AppError('CONFLICT', [{ field: 'state', code: 'held_by_other' }]);
        if (claim.pending_decision)
          throw new AppError('CONFLICT', [{ field: 'state', code: 'decision_pending' }]);
      }
      const items = [...new Set(body.items)];
      await this.transitions.move(trx, claim, 'needs_documents', 'staff', {
        reasonCode: 'documents_requested',
        note: body.note?.trim() || null,
        staffId: operator.id,
        params: { items },
      });
      await this.audit.record(trx, operator.origin, {
        event: 'claim_documents_requested',
        outcome: 'success',
        actorType: 'staff',
        actorId: operator.id,
        details: { claim: claim.id, items: items.join(',') },
      });
    });
  }

  /** A message from the back office: the member gets the "news" email (no text in it). */
  async message(id: string, text: string, operator: Operator): Promise<ClaimMessage> {
    const claim = await this.sentClaim(id);
    if (claim.state === 'cancelled') throw new AppError('CONFLICT', [conflict('messages_closed')]);
    const body = text.trim();
    if (!body) throw new AppError('VALIDATION_FAILED', [{ field: '/body', code: 'required' }]);
    const now = this.d.clock.now();
    const last = (await this.repo.messages(this.d.db, claim.id)).at(-1);
    // The same text again within a minute is a retry: the message already written answers.
    if (
      last &&
      last.author_kind === 'staff' &&
      last.author_id === operator.id &&
      last.body === body &&
      now.getTime() - Date.parse(last.at) < 60_000
    )
      return { id: last.id, at: last.at, author: 'staff', body: last.body };
    const row = {
      id: newId(now.getTime()),
      claim_id: claim.id,
      at: now.toISOString(),
      author_kind: 'staff' as const,
      author_id: operator.id,
      body,
    };
    await this.d.db.transaction().execute(async (trx) => {
      await this.repo.insertMessage(trx, row);
      const contact = await this.repo.accountContact(trx, claim.account_id);
      if (contact && claim.number)
        await this.d.outbox.enqueue(trx, {
          to: contact.email,
          template: 'claim-news',
          locale: contact.locale === 'en' ? 'en' : 'it',
          data: { number: claim.number, claimId: claim.id },
        });
    });
    return { id: row.id, at: row.at, author: 'staff', body };
  }

  /** A document of a sent claim, for staff: every opening is in the audit trail. */
  async openDocument(id: string, documentId: string, operator: Operator) {
    const claim = await this.sentClaim(id);
    const document = await this.repo.document(this.d.db, claim.id, documentId);
    if (!document) throw notFound();
    const stream = await this.d.documents.open(document.storage_key);
    await this.audit.record(this.d.db, operator.origin, {
      event: 'claim_document_viewed',
      outcome: 'success',
      actorType: 'staff',
      actorId: operator.id,
      subjectId: claim.account_id,
      details: { claim: claim.id, document: document.id },
    });
    return { document, stream };
  }
}
