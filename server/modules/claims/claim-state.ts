import { CLAIM_TRANSITIONS, type ClaimActor, type ClaimState } from '#contracts/claims.codes.js';
import { AppError } from '../../errors/app-error.js';
import { conflict } from './claim-messages.js';

/**
 * The claim's state machine, read from CLAIM_TRANSITIONS (contracts/claims.codes.ts) and nothing
 * else: a move is legal when the table lists the pair and the actor among those allowed.
 */
export function canTransition(from: ClaimState, to: ClaimState, actor: ClaimActor): boolean {
  return CLAIM_TRANSITIONS.some((t) => t.from === from && t.to === to && t.by.includes(actor));
}

/** The states a given actor may move a claim to from `from`. */
export function nextStates(from: ClaimState, actor: ClaimActor): ClaimState[] {
  return CLAIM_TRANSITIONS.filter((t) => t.from === from && t.by.includes(actor)).map((t) => t.to);
}

/** Throws CONFLICT with detail `illegal_transition` when the move is not in the table. */
export function assertTransition(from: ClaimState, to: ClaimState, actor: ClaimActor): void {
  if (canTransition(from, to, actor)) return;
  throw new AppError('CONFLICT', [{ ...conflict('illegal_transition'), params: { from, to, actor } }]);
}
