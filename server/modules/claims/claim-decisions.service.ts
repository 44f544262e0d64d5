import { randomInt } from 'node:crypto';
import {
  AUTO_DECISION_RULE,
  type ClaimAdjustReason,
  type ClaimReviewCode,
  type ClaimState,
  DOCUMENT_CHECKLIST,
} from '#contracts/claims.codes.js';
import type {
  DecisionBody,
  DecisionResult,
  FourEyesReason,
  PendingDecisionView,
  ProposalLine,
} from '#contracts/claims-backoffice.js';
import type { DetailParams } from '#contracts/errors.js';
import type { ReasonCode } from '#contracts/plans.codes.js';
import type { PlanRules, Usage } from '#contracts/plans.js';
import type { Db } from '../../db/database.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import { italianToday } from '../../lib/text.js';
import type { RequestOrigin } from '../../plugins/request-context.js';
import type { AuditService } from '../audit/index.js';
import { addAcceptedLine, assessClaim, capsLeft, formatEuro } from '../plans/index.js';
import { type ClaimsDeps, notFound } from './claim-access.js';
import type { ClaimReviewRepository } from './claim-review.repository.js';
import type { ClaimTransitionsService } from './claim-transitions.service.js';
import { familyUsage } from './claim-usage.js';
import type { ClaimsRepository } from './claims.repository.js';
import type { ClaimRow } from './claims.table.js';

/** A staff user acting on a claim. */
export interface Operator {
  id: string;
  origin: RequestOrigin | null;
}

/** A decision waiting for a second operator (claims.pending_decision, JSON). */
interface PendingDecision {
  proposedBy: string;
  proposedAt: string;
  lines: { invoiceId: string; acceptedCents: number; adjustReason: ClaimAdjustReason | null }[];
  note: string | null;
  reasons: FourEyesReason[];
}

/** Engine reasons that let the system approve a line on its own: accepted, in full or by the plan's shares. */
const AUTO_REASONS: ReadonlySet<ReasonCode> = new Set([
  'accepted',
  'partially_accepted_coinsurance',
  'partially_accepted_deductible',
]);

function reviewProblem(
  code: ClaimReviewCode | 'illegal_transition' | 'no_plan',
  field = 'state',
  params?: DetailParams,
): ErrorDetail {
  return params ? { field, code, params } : { field, code };
}

export function parsePending(claim: ClaimRow): PendingDecision | null {
  return claim.pending_decision ? (JSON.parse(claim.pending_decision) as PendingDecision) : null;
}

/**
 * Deciding claims (decision 036): the engine's proposal against the family's decided claims, the
 * operator's decision with its checks, four eyes, the caps checked under a lock on the family, and
 * the straight-through decision of simple claims at submission.
 */
export class ClaimDecisionsService {
  constructor(
    private readonly d: Pick<ClaimsDeps, 'db' | 'clock' | 'config'>,
    private readonly repo: ClaimsRepository,
    private readonly review: ClaimReviewRepository,
    private readonly transitions: Pick<ClaimTransitionsService, 'move'>,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  private async rules(db: Db, claim: ClaimRow): Promise<PlanRules> {
    const row = await this.review.planRulesAt(db, claim.plan_id, claim.plan_version ?? 1);
    if (!row) throw new AppError('CONFLICT', [reviewProblem('no_plan', 'plan')]);
    return JSON.parse(row.rules) as PlanRules;
  }

  /** What the family's other decided claims consumed of the caps. */
  private async decidedUsage(db: Db, claim: ClaimRow, rules: PlanRules): Promise<Usage> {
    return familyUsage(
      claim.family_id,
      rules.year,
      await this.review.decidedLines(db, claim.family_id, claim.id),
    );
  }

  /**
   * The engine's proposal for every line, against what the family's decided claims use now (not
   * the estimates of claims still in review): what "APPROVA" accepts.
   */
  async proposal(db: Db, claim: ClaimRow) {
    const rules = await this.rules(db, claim);
    const usage = await this.decidedUsage(db, claim, rules);
    const [invoices, documents] = await Promise.all([
      this.repo.invoices(db, claim.id),
      this.repo.documents(db, claim.id),
    ]);
    const category = claim.category;
    if (!category || !claim.beneficiary_id) throw notFound();
    const hasPrescription = documents.some((d) => d.kind === 'prescrizione' && d.sent === 1);
    const assessment = assessClaim(
      rules,
      {
        beneficiaryId: claim.beneficiary_id,
        familyId: claim.family_id,
        submittedOn: italianToday(new Date(claim.submitted_at ?? claim.created_at)),
        lines: invoices.map((i) => ({
          id: i.id,
          category,
          channel: i.channel,
          invoiceDate: i.invoice_date,
          amountCents: i.amount_cents,
          hasPrescription,
        })),
      },
      usage,
    );
    const lines = new Map<string, ProposalLine>(
      assessment.lines.map((l) => [
        l.lineId,
        { acceptedCents: l.acceptedCents, reason: l.reason, explanation: l.explanation },
      ]),
    );
    return { rules, invoices, documents, lines };
  }

  /**
   * Refuses (CONFLICT `cap_exceeded`) when the accepted amounts would take the beneficiary or the
   * family past the annual cap or the category's sub-cap, given the decided claims.
   */
  private async checkCaps(
    db: Db,
    claim: ClaimRow,
    rules: PlanRules,
    lines: { invoiceDate: string; acceptedCents: number }[],
  ): Promise<void> {
    const usage = await this.decidedUsage(db, claim, rules);
    const beneficiary = claim.beneficiary_id as string;
    const category = claim.category;
    if (!category) return;
    const before = capsLeft(rules, usage, beneficiary);
    for (const line of lines) {
      addAcceptedLine(
        usage,
        beneficiary,
        { category, invoiceDate: line.invoiceDate },
        line.acceptedCents,
        Number(line.invoiceDate.slice(0, 4)) === rules.year,
      );
    }
    const after = capsLeft(rules, usage, beneficiary);
    const checks = [
      { before: before.annual, after: after.annual },
      { before: before.subCaps[category], after: after.subCaps[category] },
    ];
    for (const { before: was, after: now } of checks) {
      if (was && now && now.usedCents > now.capCents) {
        throw new AppError('CONFLICT', [
          reviewProblem('cap_exceeded', '/lines', { left: formatEuro(was.leftCents) }),
        ]);
      }
    }
  }

  /**
   * Writes a decision: every line's accepted amount and reason, the claim's totals, who decided,
   * and the move to approved / partially approved / rejected, in the caller's transaction (the
   * claim locked, the family locked).
   */
  private async apply(
    trx: Db,
    claim: ClaimRow,
    proposal: Awaited<ReturnType<ClaimDecisionsService['proposal']>>,
    decision: {
      lines: { invoiceId: string; acceptedCents: number; adjustReason: ClaimAdjustReason | null }[];
      note: string | null;
      by: 'staff' | 'system';
      operatorId: string | null;
      secondApproverId: string | null;
      autoRule: string | null;
    },
  ): Promise<ClaimState> {
    const byId = new Map(decision.lines.map((l) => [l.invoiceId, l]));
    await this.checkCaps(trx, claim, proposal.rules, this.acceptedLines(proposal, decision.lines));
    let total = 0;
    let reduced = false;
    for (const invoice of proposal.invoices) {
      const line = byId.get(invoice.id);
      const proposed = proposal.lines.get(invoice.id);
      const accepted = line?.acceptedCents ?? 0;
      total += accepted;
      if (accepted < (proposed?.acceptedCents ?? 0)) reduced = true;
      await this.review.setInvoiceDecision(trx, invoice.id, {
        accepted_cents: accepted,
        adjust_reason: line?.adjustReason ?? null,
        reason: proposed?.reason ?? invoice.reason,
        explanation: proposed ? JSON.stringify(proposed.explanation) : invoice.explanation,
      });
    }
    const to: ClaimState = total === 0 ? 'rejected' : reduced ? 'partially_approved' : 'approved';
    const now = this.d.clock.now().toISOString();
    await this.transitions.move(
      trx,
      claim,
      to,
      decision.by,
      {
        reasonCode: decision.by === 'system' ? 'auto_decided' : 'decided',
        note: decision.note,
        staffId: decision.operatorId,
        ...(decision.autoRule ? { params: { rule: decision.autoRule } } : {}),
      },
      {
        accepted_cents: total,
        decided_at: now,
        decided_by: decision.by,
        decided_by_staff_id: decision.operatorId,
        second_approver_id: decision.secondApproverId,
        auto_rule: decision.autoRule,
        pending_decision: null,
        holder_staff_id: null,
        held_at: null,
      },
    );
    return to;
  }

  private acceptedLines(
    proposal: { invoices: { id: string; invoice_date: string }[] },
    lines: { invoiceId: string; acceptedCents: number }[],
  ) {
    const byId = new Map(lines.map((l) => [l.invoiceId, l.acceptedCents]));
    return proposal.invoices.map((i) => ({
      invoiceDate: i.invoice_date,
      acceptedCents: byId.get(i.id) ?? 0,
    }));
  }

  /** The claim, locked, in review and held by this operator; else the refusal that says why. */
  private async heldInReview(trx: Db, claimId: string, operator: Operator): Promise<ClaimRow> {
    const claim = await this.repo.lockClaim(trx, claimId);
    if (!claim || claim.state === 'draft') throw notFound();
    if (claim.state !== 'in_review') {
      throw new AppError('CONFLICT', [
        reviewProblem('illegal_transition', 'state', { from: claim.state, to: 'approved', actor: 'staff' }),
      ]);
    }
    if (claim.holder_staff_id === null) throw new AppError('CONFLICT', [reviewProblem('not_held')]);
    if (claim.holder_staff_id !== operator.id)
      throw new AppError('CONFLICT', [reviewProblem('held_by_other')]);
    return claim;
  }

  /**
   * An operator's decision on a claim they hold. Lines must be the claim's, each at most its
   * invoice's amount, a changed amount with its reason. Accepting more than the engine proposes,
   * or more than CLAIM_FOUR_EYES_CENTS in total, waits for a second operator (`pending: true`).
   */
  async decide(claimId: string, body: DecisionBody, operator: Operator): Promise<DecisionResult> {
    return this.d.db.transaction().execute(async (trx) => {
      const claim = await this.heldInReview(trx, claimId, operator);
      if (claim.pending_decision) throw new AppError('CONFLICT', [reviewProblem('decision_pending')]);
      await this.review.lockFamily(trx, claim.family_id);
      const proposal = await this.proposal(trx, claim);
      const ids = new Set(body.lines.map((l) => l.invoiceId));
      if (
        ids.size !== body.lines.length ||
        ids.size !== proposal.invoices.length ||
        proposal.invoices.some((i) => !ids.has(i.id))
      ) {
        throw new AppError('VALIDATION_FAILED', [reviewProblem('lines_mismatch', '/lines')]);
      }
      const problems: ErrorDetail[] = [];
      const reasons = new Set<FourEyesReason>();
      let total = 0;
      const lines = body.lines.map((line, index) => {
        const invoice = proposal.invoices.find((i) => i.id === line.invoiceId);
        const proposed = proposal.lines.get(line.invoiceId)?.acceptedCents ?? 0;
        if (invoice && line.acceptedCents > invoice.amount_cents)
          problems.push(reviewProblem('accepted_above_amount', `/lines/${index}/acceptedCents`));
        if (line.acceptedCents !== proposed && !line.adjustReason)
          problems.push(reviewProblem('adjust_reason_required', `/lines/${index}/adjustReason`));
        if (line.acceptedCents > proposed) reasons.add('above_proposal');
        total += line.acceptedCents;
        return {
          invoiceId: line.invoiceId,
          acceptedCents: line.acceptedCents,
          adjustReason: line.acceptedCents === proposed ? null : (line.adjustReason ?? null),
        };
      });
      // A decision the caps cannot take is refused first (another approval may have used them
      // since the page was read: its proposal is then lower), and before any second approval.
      await this.checkCaps(trx, claim, proposal.rules, this.acceptedLines(proposal, lines));
      if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
      if (total > this.d.config.claimFourEyesCents) reasons.add('above_threshold');
      const note = body.note?.trim() || null;
      if (reasons.size > 0) {
        const pending: PendingDecision = {
          proposedBy: operator.id,
          proposedAt: this.d.clock.now().toISOString(),
          lines,
          note,
          reasons: [...reasons],
        };
        await this.repo.updateClaim(trx, claim.id, { pending_decision: JSON.stringify(pending) });
        await this.audit.record(trx, operator.origin, {
          event: 'claim_decision_proposed',
          outcome: 'success',
          actorType: 'staff',
          actorId: operator.id,
          details: { claim: claim.id, totalCents: total, reasons: [...reasons].join(',') },
        });
        return { state: claim.state, pending: true };
      }
      const state = await this.apply(trx, claim, proposal, {
        lines,
        note,
        by: 'staff',
        operatorId: operator.id,
        secondApproverId: null,
        autoRule: null,
      });
      await this.audit.record(trx, operator.origin, {
        event: 'claim_decided',
        outcome: 'success',
        actorType: 'staff',
        actorId: operator.id,
        details: { claim: claim.id, state, totalCents: total },
      });
      return { state, pending: false };
    });
  }

  /** The second operator approves a pending decision (never the one who proposed it). */
  async confirm(claimId: string, operator: Operator): Promise<DecisionResult> {
    return this.d.db.transaction().execute(async (trx) => {
      const claim = await this.repo.lockClaim(trx, claimId);
      if (!claim || claim.state === 'draft') throw notFound();
      const pending = parsePending(claim);
      if (!pending || claim.state !== 'in_review')
        throw new AppError('CONFLICT', [reviewProblem('no_pending_decision')]);
      if (pending.proposedBy === operator.id)
        throw new AppError('CONFLICT', [reviewProblem('four_eyes_same_operator')]);
      await this.review.lockFamily(trx, claim.family_id);
      const proposal = await this.proposal(trx, claim);
      const state = await this.apply(trx, claim, proposal, {
        lines: pending.lines,
        note: pending.note,
        by: 'staff',
        operatorId: pending.proposedBy,
        secondApproverId: operator.id,
        autoRule: null,
      });
      await this.audit.record(trx, operator.origin, {
        event: 'claim_decision_approved',
        outcome: 'success',
        actorType: 'staff',
        actorId: operator.id,
        details: { claim: claim.id, state, proposedBy: pending.proposedBy },
      });
      return { state, pending: false };
    });
  }

  /** The proposer withdraws a pending decision, or a second operator sends it back: nothing is decided. */
  async discard(claimId: string, operator: Operator): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      const claim = await this.repo.lockClaim(trx, claimId);
      if (!claim || claim.state === 'draft') throw notFound();
      const pending = parsePending(claim);
      if (!pending) throw new AppError('CONFLICT', [reviewProblem('no_pending_decision')]);
      await this.repo.updateClaim(trx, claim.id, { pending_decision: null });
      await this.audit.record(trx, operator.origin, {
        event: 'claim_decision_discarded',
        outcome: 'success',
        actorType: 'staff',
        actorId: operator.id,
        details: { claim: claim.id, proposedBy: pending.proposedBy },
      });
    });
  }

  /** The pending decision as the claim page shows it. */
  async pendingView(claim: ClaimRow, names: Map<string, string>): Promise<PendingDecisionView | null> {
    const pending = parsePending(claim);
    if (!pending) return null;
    return {
      proposedBy: names.get(pending.proposedBy) ?? '',
      proposedAt: pending.proposedAt,
      lines: pending.lines,
      note: pending.note,
      totalCents: pending.lines.reduce((sum, l) => sum + l.acceptedCents, 0),
      reasons: pending.reasons,
    };
  }

  /**
   * Straight-through decision, right after submission: when the plan allows it and the claim is
   * simple — every required document of the category sent, no probable duplicate, every line
   * accepted by the engine on its own, claimed total within the plan's limit — and the claim is
   * not drawn for the sample, the system approves it as the engine proposes (submitted →
   * in_review → approved), with the rule recorded. Anything else stays in the queue. Adverse
   * outcomes are never automatic: a line the engine would refuse sends the claim to a person.
   * Returns the new state, or null when the claim goes to the queue.
   */
  async autoDecide(claimId: string): Promise<ClaimState | null> {
    return this.d.db
      .transaction()
      .execute(async (trx) => {
        const claim = await this.repo.lockClaim(trx, claimId);
        if (claim?.state !== 'submitted' || !claim.category) return null;
        await this.review.lockFamily(trx, claim.family_id);
        const proposal = await this.proposal(trx, claim);
        const auto = proposal.rules.autoDecision;
        if (!auto?.enabled || claim.claimed_cents > auto.maxTotalCents) return null;
        const sent = new Set(proposal.documents.filter((d) => d.sent === 1).map((d) => d.kind));
        const checklist = DOCUMENT_CHECKLIST[claim.category];
        if (checklist.some((item) => item.need === 'required' && !sent.has(item.kind))) return null;
        if (proposal.invoices.some((i) => i.probable_duplicate === 1)) return null;
        const lines = [...proposal.lines.values()];
        if (lines.length === 0 || lines.some((l) => !AUTO_REASONS.has(l.reason) || l.acceptedCents === 0))
          return null;
        if (randomInt(10_000) < this.d.config.claimAutoSampleBasisPoints) return null;
        await this.transitions.move(trx, claim, 'in_review', 'system', {
          reasonCode: 'review_started',
          notify: false,
        });
        const reviewed = { ...claim, state: 'in_review' as const };
        try {
          return await this.apply(trx, reviewed, proposal, {
            lines: proposal.invoices.map((i) => ({
              invoiceId: i.id,
              acceptedCents: proposal.lines.get(i.id)?.acceptedCents ?? 0,
              adjustReason: null,
            })),
            note: null,
            by: 'system',
            operatorId: null,
            secondApproverId: null,
            autoRule: AUTO_DECISION_RULE,
          });
        } catch (err) {
          // A cap reached meanwhile: a person decides.
          if (err instanceof AppError && err.code === 'CONFLICT') throw new AutoDecisionDeclined();
          throw err;
        }
      })
      .catch((err: unknown) => {
        if (err instanceof AutoDecisionDeclined) return null;
        throw err;
      });
  }
}

/** Rolls the automatic decision's transaction back: the claim stays submitted, in the queue. */
class AutoDecisionDeclined extends Error {}
