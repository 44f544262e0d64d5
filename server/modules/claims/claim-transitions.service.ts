import type { Updateable } from 'kysely';
import type { ClaimActor, ClaimState } from '#contracts/claims.codes.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { newId } from '../../lib/ids.js';
import { type ClaimsDeps, notFound } from './claim-access.js';
import { DAY_MS } from './claim-dates.js';
import { assertTransition } from './claim-state.js';
import type { ClaimsRepository } from './claims.repository.js';
import type { ClaimRow, ClaimTable } from './claims.table.js';

export interface TransitionOptions {
  reasonCode?: string | null;
  note?: string | null;
  staffId?: string | null;
  /** The member's account id, when the member moves it. */
  actorId?: string | null;
  markDocumentsSent?: boolean;
  /** What the event carries besides its reason (stored as JSON). */
  params?: Record<string, unknown>;
  /**
   * With `paid`: the payment's value date (YYYY-MM-DD); the claim's and its lines' paid amounts
   * become their accepted amounts, in the same transaction as the move.
   */
  payment?: { valueDate: string };
  /** false: no "news" email (a move the member will hear of otherwise, e.g. review starting). */
  notify?: boolean;
}

/** How a claim changes state (decision 033), and the job that cancels unanswered requests for documents. */
export class ClaimTransitionsService {
  constructor(
    private readonly d: Pick<ClaimsDeps, 'db' | 'clock' | 'outbox' | 'config'>,
    private readonly repo: ClaimsRepository,
  ) {}

  /**
   * Cancels, as the system, the claims whose request for documents went unanswered for
   * CLAIM_INTEGRATION_EXPIRY_DAYS days (reason `integration_expired`; the member gets the news
   * email). A claim answered meanwhile is left alone. Returns how many were cancelled.
   */
  async expireIntegrations(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.d.config.claimIntegrationExpiryDays * DAY_MS).toISOString();
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

  /**
   * The one way a claim changes state: checked against CLAIM_TRANSITIONS, recorded as an event
   * with who and why, in one transaction; when the member did not make the change, the "news on
   * your claim" email (number and link only) is queued with it.
   */
  async transition(
    claimId: string,
    to: ClaimState,
    actor: ClaimActor,
    options: TransitionOptions & {
      /** Refuse when the claim is no longer in this state (a change made meanwhile). */
      expect?: ClaimState;
    } = {},
  ): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      const claim = await this.repo.lockClaim(trx, claimId);
      if (!claim) throw notFound();
      if (options.expect && claim.state !== options.expect) assertTransition(claim.state, to, actor);
      await this.move(trx, claim, to, actor, options);
    });
  }

  /**
   * `transition` inside the caller's transaction, on a claim row the caller has locked: for the
   * back office, whose decisions write lines and amounts in the same transaction as the move.
   */
  async move(
    trx: Db,
    claim: ClaimRow,
    to: ClaimState,
    actor: ClaimActor,
    options: TransitionOptions = {},
    changes: Updateable<ClaimTable> = {},
  ): Promise<void> {
    assertTransition(claim.state, to, actor);
    const now = this.d.clock.now();
    await this.repo.updateClaim(trx, claim.id, { ...changes, state: to, updated_at: now.toISOString() });
    if (options.markDocumentsSent) await this.repo.markDocumentsSent(trx, claim.id);
    if (to === 'paid') {
      if (!options.payment) throw new Error('a claim is paid with a value date');
      await this.repo.recordPayment(trx, claim.id, options.payment.valueDate);
    }
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
      params: options.params ? JSON.stringify(options.params) : null,
    });
    if (actor !== 'member' && options.notify !== false) {
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
  }
}
