import type { ClaimState } from '#contracts/claims.codes.js';
import type { CategoryCode } from '#contracts/plans.codes.js';
import type { Usage } from '#contracts/plans.js';
import { addAcceptedLine, emptyUsage } from '../plans/index.js';

/**
 * What a family used of its caps, gathered from the invoice lines of its claims through the rules
 * engine's own accumulation (`addAcceptedLine`): the estimate (what was used before this claim),
 * the back office's decision (what the other decided claims used) and the dashboard's live caps
 * (decided apart from in review) count the same way (decision 043).
 */

/** An invoice line of a sent claim, as the repositories read it (`usageLines`, `decidedLines`). */
export interface UsageLine {
  beneficiary_id: string | null;
  category: CategoryCode | null;
  invoice_date: string;
  accepted_cents: number | null;
  /** The estimate at submission: what the line counts for until an amount is accepted. */
  estimated_cents?: number;
}

/** A line with its claim's state, to tell decided claims from those in review. */
export interface StatedUsageLine extends UsageLine {
  state: ClaimState;
}

/** Decided and counting against the caps with their accepted amounts. */
export const DECIDED_STATES: readonly ClaimState[] = ['approved', 'partially_approved', 'paid'];
/** Still being looked at: they count with their estimated amounts. */
export const IN_REVIEW_STATES: readonly ClaimState[] = ['submitted', 'in_review', 'needs_documents'];

/**
 * The family's usage in the plan year from the lines given: each line counts with its accepted
 * amount once decided, else its estimate; its cents only when its invoice is of `planYear` (its
 * date always counts, for frequency limits).
 */
export function familyUsage(familyId: string, planYear: number, lines: readonly UsageLine[]): Usage {
  const usage = emptyUsage(familyId);
  for (const line of lines) {
    if (!line.beneficiary_id || !line.category) continue;
    addAcceptedLine(
      usage,
      line.beneficiary_id,
      { category: line.category, invoiceDate: line.invoice_date },
      line.accepted_cents ?? line.estimated_cents ?? 0,
      Number(line.invoice_date.slice(0, 4)) === planYear,
    );
  }
  return usage;
}

/** The usage of the lines whose claim is in one of `states`. */
export function usageIn(
  states: readonly ClaimState[],
  familyId: string,
  planYear: number,
  lines: readonly StatedUsageLine[],
): Usage {
  return familyUsage(
    familyId,
    planYear,
    lines.filter((l) => states.includes(l.state)),
  );
}
