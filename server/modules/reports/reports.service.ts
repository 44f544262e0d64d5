import { CLAIM_STATES } from '#contracts/claims.codes.js';
import type {
  ClaimsByStateReport,
  DecisionTimesReport,
  PaymentsReport,
  ReportRangeQuery,
} from '#contracts/reports.js';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { italianToday } from '../../lib/text.js';
import { rangeBounds, resolveRange } from './report-months.js';
import { type Decision, decisionTimes, payments } from './report-stats.js';
import type { ReportsRepository } from './reports.repository.js';

/**
 * The back office's reports (decision 042): claims by state, decision times, amounts paid. Each
 * takes a range (a year or months, Italian time) and answers every month of it.
 */
export class ReportsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly repo: ReportsRepository,
  ) {}

  private range(query: ReportRangeQuery) {
    return resolveRange(query, italianToday(this.clock.now()));
  }

  /** The claims sent in the range (by `submitted_at`), by the state they are in now; drafts never count. */
  async claimsByState(query: ReportRangeQuery): Promise<ClaimsByStateReport> {
    const range = this.range(query);
    const { start, end } = rangeBounds(range);
    const counts = new Map(
      (await this.repo.countByState(this.db, start, end)).map((r) => [r.state, r.count]),
    );
    const states = CLAIM_STATES.filter((s) => s !== 'draft').map((state) => ({
      state,
      count: counts.get(state) ?? 0,
    }));
    return { range, states, total: states.reduce((sum, s) => sum + s.count, 0) };
  }

  /**
   * Decisions taken in the range: a claim's decision is its first move into approved, partially
   * approved or rejected; its time and author are the claim's `decided_at` / `decided_by` when
   * recorded, else those of that move in the timeline (`system` = automatic).
   */
  async decisionTimes(query: ReportRangeQuery): Promise<DecisionTimesReport> {
    const range = this.range(query);
    const { start, end } = rangeBounds(range);
    const [recorded, fromEvents] = await Promise.all([
      this.repo.recordedDecisions(this.db, start, end),
      this.repo.decisionsFromEvents(this.db, start, end),
    ]);
    const decisions: Decision[] = [
      ...recorded.map((r) => ({
        submittedAt: r.submitted_at as string,
        decidedAt: r.decided_at as string,
        automatic: r.decided_by === 'system',
      })),
      ...fromEvents.map((e) => ({
        submittedAt: e.submitted_at as string,
        decidedAt: e.at,
        automatic: e.actor_kind === 'system',
      })),
    ];
    return decisionTimes(range, decisions);
  }

  /** Amounts paid (`paid_cents`) by month of the value date (`paid_on`) and by category. */
  async payments(query: ReportRangeQuery): Promise<PaymentsReport> {
    const range = this.range(query);
    const { firstDay, endDay } = rangeBounds(range);
    return payments(range, await this.repo.paidSums(this.db, firstDay, endDay));
  }
}
