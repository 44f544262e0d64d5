import { sql } from 'kysely';
import type { ClaimState } from '#contracts/claims.codes.js';
import type { CategoryCode } from '#contracts/plans.codes.js';
import { DECISION_STATES } from '#contracts/reports.codes.js';
import type { Db } from '../../db/database.js';

/**
 * The reports' queries: read only, over the claims tables. Instants compare as ISO text, dates as
 * `YYYY-MM-DD` text, the same on SQLite and PostgreSQL; medians are left to TypeScript.
 */
export class ReportsRepository {
  /** Claims sent in `[start, end)`, counted by the state they are in now. */
  async countByState(db: Db, start: string, end: string): Promise<{ state: ClaimState; count: number }[]> {
    const rows = await db
      .selectFrom('claims')
      .select(['state', (eb) => eb.fn.countAll().as('n')])
      .where('state', '!=', 'draft')
      .where('submitted_at', '>=', start)
      .where('submitted_at', '<', end)
      .groupBy('state')
      .execute();
    return rows.map((r) => ({ state: r.state, count: Number(r.n) }));
  }

  /** Decisions recorded on the claim (`decided_at`), taken in `[start, end)`. */
  recordedDecisions(db: Db, start: string, end: string) {
    return db
      .selectFrom('claims')
      .select(['submitted_at', 'decided_at', 'decided_by'])
      .where('decided_at', '>=', start)
      .where('decided_at', '<', end)
      .where('submitted_at', 'is not', null)
      .execute();
  }

  /**
   * For claims without `decided_at`: their first move into a decision state (the timeline's
   * order, `seq`), when it was in `[start, end)`, with who made it.
   */
  decisionsFromEvents(db: Db, start: string, end: string) {
    return db
      .selectFrom('claim_events as e')
      .innerJoin('claims as c', 'c.id', 'e.claim_id')
      .select(['c.submitted_at', 'e.at', 'e.actor_kind'])
      .where('c.decided_at', 'is', null)
      .where('c.submitted_at', 'is not', null)
      .where('e.to_state', 'in', DECISION_STATES)
      .where('e.at', '>=', start)
      .where('e.at', '<', end)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('claim_events as d')
              .select('d.id')
              .whereRef('d.claim_id', '=', 'e.claim_id')
              .where('d.to_state', 'in', DECISION_STATES)
              .whereRef('d.seq', '<', 'e.seq'),
          ),
        ),
      )
      .execute();
  }

  /** Sums paid, by month of the value date and category, for value dates in `[firstDay, endDay)`. */
  async paidSums(
    db: Db,
    firstDay: string,
    endDay: string,
  ): Promise<{ month: string; category: CategoryCode; cents: number }[]> {
    const month = sql<string>`substr(paid_on, 1, 7)`;
    const rows = await db
      .selectFrom('claims')
      .select([month.as('month'), 'category', (eb) => eb.fn.sum<number>('paid_cents').as('cents')])
      .where('paid_on', '>=', firstDay)
      .where('paid_on', '<', endDay)
      .where('paid_cents', 'is not', null)
      .where('category', 'is not', null)
      .groupBy([month, 'category'])
      .execute();
    return rows.map((r) => ({
      month: r.month,
      category: r.category as CategoryCode,
      cents: Number(r.cents),
    }));
  }
}
