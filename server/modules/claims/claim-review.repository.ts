import { sql } from 'kysely';
import type { ClaimState } from '#contracts/claims.codes.js';
import type { CategoryCode } from '#contracts/plans.codes.js';
import type { Db, Dialect } from '../../db/database.js';
import { DECIDED_STATES } from './claim-usage.js';

export interface QueueFilter {
  state?: ClaimState;
  submittedBefore?: string;
  category?: CategoryCode;
  plan?: string;
  minCents?: number;
  maxCents?: number;
  duplicate?: boolean;
  offset: number;
  limit: number;
}

/** The back office's queries on claims: the queue, the decided usage, locks, names. */
export class ClaimReviewRepository {
  constructor(private readonly dialect: Dialect) {}

  /**
   * Serialises decisions on one family until the transaction ends, so that two approvals at the
   * same moment are checked against each other's amounts (PostgreSQL: a transaction-scoped advisory
   * lock on the family; SQLite writes one transaction at a time).
   */
  async lockFamily(db: Db, familyId: string): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await sql`select pg_advisory_xact_lock(hashtextextended(${`claims-family:${familyId}`}, 0))`.execute(db);
  }

  /** The rules of the plan version a claim was sent under. */
  planRulesAt(db: Db, planId: string, version: number) {
    return db
      .selectFrom('plan_versions')
      .select(['rules'])
      .where('plan_id', '=', planId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  /** Invoice lines of the family's decided claims but one: what they consumed of the caps. */
  decidedLines(db: Db, familyId: string, excludeClaimId: string) {
    return db
      .selectFrom('claim_invoices as i')
      .innerJoin('claims as c', 'c.id', 'i.claim_id')
      .select(['c.beneficiary_id', 'c.category', 'i.invoice_date', 'i.accepted_cents'])
      .where('c.family_id', '=', familyId)
      .where('c.id', '!=', excludeClaimId)
      .where('c.state', 'in', [...DECIDED_STATES])
      .execute();
  }

  async setInvoiceDecision(
    db: Db,
    id: string,
    values: {
      accepted_cents: number;
      adjust_reason: string | null;
      reason: string | null;
      explanation: string;
    },
  ): Promise<void> {
    await db
      .updateTable('claim_invoices')
      .set(values as never)
      .where('id', '=', id)
      .execute();
  }

  private filtered(db: Db, f: Omit<QueueFilter, 'offset' | 'limit' | 'state'>) {
    let q = db.selectFrom('claims as c').where('c.state', '!=', 'draft').where('c.number', 'is not', null);
    if (f.submittedBefore) q = q.where('c.submitted_at', '<=', f.submittedBefore);
    if (f.category) q = q.where('c.category', '=', f.category);
    if (f.plan) q = q.where('c.plan_code', '=', f.plan);
    if (f.minCents !== undefined) q = q.where('c.claimed_cents', '>=', f.minCents);
    if (f.maxCents !== undefined) q = q.where('c.claimed_cents', '<=', f.maxCents);
    if (f.duplicate !== undefined) {
      const flagged = db
        .selectFrom('claim_invoices as d')
        .select('d.claim_id')
        .where('d.probable_duplicate', '=', 1);
      q = q.where('c.id', f.duplicate ? 'in' : 'not in', flagged);
    }
    return q;
  }

  /** One page of the queue, oldest first, with the names the list shows. */
  async queue(db: Db, f: QueueFilter) {
    let base = this.filtered(db, f);
    if (f.state) base = base.where('c.state', '=', f.state);
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .leftJoin('member_accounts as a', 'a.id', 'c.account_id')
      .leftJoin('registry_members as m', 'm.id', 'a.registry_member_id')
      .leftJoin('registry_members as b', 'b.id', 'c.beneficiary_id')
      .leftJoin('staff_users as s', 's.id', 'c.holder_staff_id')
      .selectAll('c')
      .select([
        'm.given_name as member_given_name',
        'm.surname as member_surname',
        'b.given_name as beneficiary_given_name',
        'b.surname as beneficiary_surname',
        's.username as holder_username',
      ])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('claim_invoices as d')
              .select('d.id')
              .whereRef('d.claim_id', '=', 'c.id')
              .where('d.probable_duplicate', '=', 1),
          )
          .as('has_duplicate'),
      )
      .orderBy('c.submitted_at', 'asc')
      .orderBy('c.id', 'asc')
      .offset(f.offset)
      .limit(f.limit)
      .execute();
    return { total: Number(total.n), rows };
  }

  /** Sent claims by state, whatever the filters. */
  async countsByState(db: Db) {
    const rows = await db
      .selectFrom('claims')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('state', '!=', 'draft')
      .groupBy('state')
      .execute();
    return rows.map((r) => ({ state: r.state, count: Number(r.n) }));
  }

  async planCodes(db: Db): Promise<string[]> {
    const rows = await db
      .selectFrom('claims')
      .select('plan_code')
      .distinct()
      .where('state', '!=', 'draft')
      .orderBy('plan_code')
      .execute();
    return rows.map((r) => r.plan_code);
  }

  async usernames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (wanted.length === 0) return new Map();
    const rows = await db
      .selectFrom('staff_users')
      .select(['id', 'username'])
      .where('id', 'in', wanted)
      .execute();
    return new Map(rows.map((r) => [r.id, r.username]));
  }

  /** Other sent claims of the family with an invoice of the same number and date as one of these. */
  sameInvoices(db: Db, familyId: string, claimId: string, invoices: { number: string; date: string }[]) {
    if (invoices.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('claim_invoices as i')
      .innerJoin('claims as c', 'c.id', 'i.claim_id')
      .select(['i.invoice_number', 'i.invoice_date', 'c.id', 'c.number', 'c.state'])
      .where('c.family_id', '=', familyId)
      .where('c.id', '!=', claimId)
      .where('c.state', '!=', 'draft')
      .where((eb) =>
        eb.or(
          invoices.map((p) =>
            eb.and([eb('i.invoice_number', '=', p.number), eb('i.invoice_date', '=', p.date)]),
          ),
        ),
      )
      .execute();
  }
}
