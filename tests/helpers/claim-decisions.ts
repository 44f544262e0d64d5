import type { App } from '../../server/app.js';

/**
 * Decides a submitted claim as the back office will: in review, then approved (or partly
 * approved) with an accepted amount per invoice line, by the system through `app.claims.transition`.
 * The one place tests decide claims until the operators' decision service exists: swap its body
 * for that service then. `accepted` gives each line's accepted cents in order (default: the
 * engine's estimate); a claim accepting less than the engine estimated is partly approved.
 */
export async function approveClaim(app: App, claimId: string, accepted?: number[]): Promise<void> {
  const lines = await app.db
    .selectFrom('claim_invoices')
    .select(['id', 'amount_cents', 'estimated_cents'])
    .where('claim_id', '=', claimId)
    .orderBy('position')
    .execute();
  const amounts = lines.map((line, i) => accepted?.[i] ?? line.estimated_cents);
  await app.claims.transition(claimId, 'in_review', 'system', { reasonCode: 'review_started' });
  for (const [i, line] of lines.entries()) {
    await app.db
      .updateTable('claim_invoices')
      .set({ accepted_cents: amounts[i] ?? 0 })
      .where('id', '=', line.id)
      .execute();
  }
  const total = amounts.reduce((sum, a) => sum + a, 0);
  const partly = lines.some((line, i) => (amounts[i] ?? 0) < line.estimated_cents);
  const at = app.clock.now().toISOString();
  await app.db
    .updateTable('claims')
    .set({ accepted_cents: total, decided_at: at, decided_by: 'system', auto_rule: 'test' })
    .where('id', '=', claimId)
    .execute();
  await app.claims.transition(claimId, partly ? 'partially_approved' : 'approved', 'system', {
    reasonCode: 'decided',
  });
}
