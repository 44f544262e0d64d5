import { describe, expect, it } from 'vitest';
import { CLAIM_ACTORS, CLAIM_STATES, CLAIM_TRANSITIONS } from '#contracts/claims.codes.js';
import { AppError } from '../../errors/app-error.js';
import { assertTransition, canTransition, nextStates } from './claim-state.js';

describe('claim state machine', () => {
  it('allows exactly the pairs and actors of CLAIM_TRANSITIONS, for every state pair and actor', () => {
    let allowed = 0;
    for (const from of CLAIM_STATES) {
      for (const to of CLAIM_STATES) {
        for (const actor of CLAIM_ACTORS) {
          const listed = CLAIM_TRANSITIONS.some(
            (t) => t.from === from && t.to === to && t.by.includes(actor),
          );
          expect([from, to, actor, canTransition(from, to, actor)]).toEqual([from, to, actor, listed]);
          if (listed) {
            allowed++;
            expect(() => assertTransition(from, to, actor)).not.toThrow();
          } else {
            let thrown: unknown;
            try {
              assertTransition(from, to, actor);
            } catch (err) {
              thrown = err;
            }
            expect(thrown).toBeInstanceOf(AppError);
            expect((thrown as AppError).code).toBe('CONFLICT');
            expect((thrown as AppError).details?.[0]?.code).toBe('illegal_transition');
          }
        }
      }
    }
    expect(allowed).toBe(CLAIM_TRANSITIONS.reduce((n, t) => n + t.by.length, 0));
  });

  it('never leaves a final state, and a draft only becomes submitted, by the member', () => {
    for (const actor of CLAIM_ACTORS) {
      expect(nextStates('paid', actor)).toEqual([]);
      expect(nextStates('rejected', actor)).toEqual([]);
      expect(nextStates('cancelled', actor)).toEqual([]);
    }
    expect(nextStates('draft', 'member')).toEqual(['submitted']);
    expect(nextStates('draft', 'staff')).toEqual([]);
    expect(nextStates('submitted', 'member')).toEqual(['cancelled']);
  });
});
