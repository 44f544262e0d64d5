import { type Insertable, sql, type Updateable } from 'kysely';
import type { ClaimState } from '#contracts/claims.codes.js';
import type { Db, Dialect } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared-query.js';
import { REGISTRY_MEMBER_COLUMNS } from '../registry/index.js';
import type {
  ClaimDocumentRow,
  ClaimDocumentTable,
  ClaimEventTable,
  ClaimInvoiceTable,
  ClaimMessageTable,
  ClaimRow,
  ClaimTable,
} from './claims.table.js';

/** States whose amounts count against the caps: sent and not cancelled or rejected. */
export const USAGE_STATES: readonly ClaimState[] = [
  'submitted',
  'in_review',
  'needs_documents',
  'approved',
  'partially_approved',
  'paid',
];

/** Every query of the claims module. */
export class ClaimsRepository {
  constructor(private readonly dialect: Dialect) {}

  // --- the registry and plans, read only -----------------------------------------------------

  registryMember(db: Db, id: string) {
    return db.selectFrom('registry_members').selectAll().where('id', '=', id).executeTakeFirst();
  }

  registryMemberByCf(db: Db, cf: string) {
    return db.selectFrom('registry_members').selectAll().where('codice_fiscale', '=', cf).executeTakeFirst();
  }

  /**
   * The family unit of a registry member, found from the member's id in one query: the holder
   * (the member, or the member's holder) and everyone whose holder it is. Empty when no such member.
   */
  familyOfMember(db: Db, registryMemberId: string) {
    return familyOfMember.execute(db, { registryMemberId });
  }

  /** A plan with its newest version's rules (JSON), or undefined. */
  planWithRules(db: Db, planId: string) {
    return db
      .selectFrom('plans as p')
      .innerJoin('plan_versions as v', 'v.plan_id', 'p.id')
      .select(['p.id', 'p.code', 'v.version', 'v.rules'])
      .where('p.id', '=', planId)
      .orderBy('v.version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async facilitiesExisting(db: Db, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('facilities').select(['id', 'name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  accountContact(db: Db, accountId: string) {
    return db
      .selectFrom('member_accounts')
      .select(['id', 'email', 'locale'])
      .where('id', '=', accountId)
      .executeTakeFirst();
  }

  // --- claims --------------------------------------------------------------------------------

  findClaim(db: Db, id: string) {
    return db.selectFrom('claims').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The claim row, locked until the transaction ends (PostgreSQL; SQLite writes one at a time). */
  lockClaim(db: Db, id: string): Promise<ClaimRow | undefined> {
    const query = db.selectFrom('claims').selectAll().where('id', '=', id);
    return (this.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  }

  findByIdempotencyKey(db: Db, accountId: string, key: string) {
    return db
      .selectFrom('claims')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  openDraft(db: Db, accountId: string) {
    return db
      .selectFrom('claims')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('state', '=', 'draft')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
  }

  async insertClaim(db: Db, row: Insertable<ClaimTable>): Promise<void> {
    await db.insertInto('claims').values(row).execute();
  }

  async updateClaim(db: Db, id: string, values: Updateable<ClaimTable>): Promise<void> {
    await db.updateTable('claims').set(values).where('id', '=', id).execute();
  }

  /** Paid on `valueDate`: the claim's and its lines' paid amounts are their accepted amounts. */
  async recordPayment(db: Db, id: string, valueDate: string): Promise<void> {
    await db
      .updateTable('claims')
      .set((eb) => ({ paid_on: valueDate, paid_cents: eb.ref('accepted_cents') }))
      .where('id', '=', id)
      .execute();
    await db
      .updateTable('claim_invoices')
      .set((eb) => ({ paid_cents: eb.ref('accepted_cents') }))
      .where('claim_id', '=', id)
      .execute();
  }

  async deleteClaim(db: Db, id: string): Promise<void> {
    await db.deleteFrom('claims').where('id', '=', id).execute();
  }

  lastSubmitted(db: Db, accountId: string) {
    return db
      .selectFrom('claims')
      .select(['iban', 'account_holder'])
      .where('account_id', '=', accountId)
      .where('state', '!=', 'draft')
      .where('submitted_at', 'is not', null)
      .orderBy('submitted_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** The next number of the year: one upsert that returns the new value (a row lock on PostgreSQL). */
  async nextNumber(db: Db, year: number): Promise<number> {
    const row = await db
      .insertInto('claim_number_counters')
      .values({ year, last: 1 })
      .onConflict((oc) =>
        oc.column('year').doUpdateSet((eb) => ({ last: eb('claim_number_counters.last', '+', 1) })),
      )
      .returning('last')
      .executeTakeFirstOrThrow();
    return Number(row.last);
  }

  /** Sent claims of a family with invoice lines of a number and date (probable duplicates). */
  invoicesLike(db: Db, familyId: string, excludeClaimId: string, pairs: { number: string; date: string }[]) {
    if (pairs.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('claim_invoices as i')
      .innerJoin('claims as c', 'c.id', 'i.claim_id')
      .select(['i.invoice_number', 'i.invoice_date', 'i.issuer_name', 'i.issuer_tax_id', 'c.number'])
      .where('c.family_id', '=', familyId)
      .where('c.id', '!=', excludeClaimId)
      .where('c.state', 'not in', ['draft', 'cancelled'])
      .where((eb) =>
        eb.or(
          pairs.map((p) =>
            eb.and([eb('i.invoice_number', '=', p.number), eb('i.invoice_date', '=', p.date)]),
          ),
        ),
      )
      .execute();
  }

  /** Invoice lines of the family's claims that count against caps (USAGE_STATES). */
  usageLines(db: Db, familyId: string) {
    return db
      .selectFrom('claim_invoices as i')
      .innerJoin('claims as c', 'c.id', 'i.claim_id')
      .select([
        'c.state',
        'c.beneficiary_id',
        'c.category',
        'i.invoice_date',
        'i.estimated_cents',
        'i.accepted_cents',
      ])
      .where('c.family_id', '=', familyId)
      .where('c.state', 'in', [...USAGE_STATES])
      .execute();
  }

  // --- lines, documents, events, messages ----------------------------------------------------

  async insertInvoices(db: Db, rows: Insertable<ClaimInvoiceTable>[]): Promise<void> {
    if (rows.length > 0) await db.insertInto('claim_invoices').values(rows).execute();
  }

  invoices(db: Db, claimId: string) {
    return db
      .selectFrom('claim_invoices as i')
      .leftJoin('facilities as f', 'f.id', 'i.facility_id')
      .selectAll('i')
      .select('f.name as facility_name')
      .where('i.claim_id', '=', claimId)
      .orderBy('i.position')
      .execute();
  }

  documents(db: Db, claimId: string): Promise<ClaimDocumentRow[]> {
    return db
      .selectFrom('claim_documents')
      .selectAll()
      .where('claim_id', '=', claimId)
      .orderBy('uploaded_at')
      .orderBy('id')
      .execute();
  }

  document(db: Db, claimId: string, documentId: string) {
    return db
      .selectFrom('claim_documents')
      .selectAll()
      .where('claim_id', '=', claimId)
      .where('id', '=', documentId)
      .executeTakeFirst();
  }

  async countDocuments(db: Db, claimId: string): Promise<number> {
    const row = await db
      .selectFrom('claim_documents')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('claim_id', '=', claimId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertDocument(db: Db, row: Insertable<ClaimDocumentTable>): Promise<void> {
    await db.insertInto('claim_documents').values(row).execute();
  }

  async deleteDocument(db: Db, id: string): Promise<void> {
    await db.deleteFrom('claim_documents').where('id', '=', id).execute();
  }

  async markDocumentsSent(db: Db, claimId: string): Promise<number> {
    const result = await db
      .updateTable('claim_documents')
      .set({ sent: 1 })
      .where('claim_id', '=', claimId)
      .where('sent', '=', 0)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async referencedKeys(db: Db, keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await db
      .selectFrom('claim_documents')
      .select('storage_key')
      .where('storage_key', 'in', keys)
      .execute();
    return new Set(rows.map((r) => r.storage_key));
  }

  /** Adds an event after the claim's last one (call with the claim row locked). */
  async insertEvent(db: Db, row: Omit<Insertable<ClaimEventTable>, 'seq'>): Promise<void> {
    const last = await db
      .selectFrom('claim_events')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('claim_id', '=', row.claim_id)
      .executeTakeFirst();
    await db
      .insertInto('claim_events')
      .values({ ...row, seq: Number(last?.seq ?? 0) + 1 })
      .execute();
  }

  events(db: Db, claimId: string) {
    return db.selectFrom('claim_events').selectAll().where('claim_id', '=', claimId).orderBy('seq').execute();
  }

  async insertMessage(db: Db, row: Insertable<ClaimMessageTable>): Promise<void> {
    await db.insertInto('claim_messages').values(row).execute();
  }

  messages(db: Db, claimId: string) {
    return db
      .selectFrom('claim_messages')
      .selectAll()
      .where('claim_id', '=', claimId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  /** Claims waiting for documents since before `before` (the last request's instant). */
  async waitingForDocumentsSince(db: Db, before: string): Promise<string[]> {
    const rows = await db
      .selectFrom('claims as c')
      .innerJoin('claim_events as e', (join) =>
        join.onRef('e.claim_id', '=', 'c.id').on('e.to_state', '=', 'needs_documents'),
      )
      .select('c.id')
      .where('c.state', '=', 'needs_documents')
      .groupBy('c.id')
      .having((eb) => eb.fn.max('e.at'), '<', before)
      .execute();
    return rows.map((r) => r.id);
  }

  // --- the member's list -----------------------------------------------------------------------

  /**
   * The counts behind the list, in one pass over the visible claims: the years that have claims
   * (the year filter's choices, whatever the filters) and how many match the filters.
   */
  async listCounts(
    db: Db,
    scope: { familyId: string; accountId: string; persons: string[] },
    filter: ListFilter,
  ): Promise<{ total: number; years: number[] }> {
    const rows = await listCounts.execute(db, { ...scope, ...listFilterParams(filter) });
    return {
      total: rows.reduce((sum, r) => sum + Number(r.n), 0),
      years: rows.map((r) => Number(r.year)).sort((a, b) => b - a),
    };
  }

  /** A page of the visible claims matching the filters, newest first. */
  listPage(
    db: Db,
    scope: { familyId: string; accountId: string; persons: string[] },
    filter: ListFilter & { offset: number; limit: number },
  ) {
    return listPage.execute(db, {
      ...scope,
      ...listFilterParams(filter),
      offset: filter.offset,
      limit: filter.limit,
    });
  }
}

// --- the member's list, the most opened page: its queries compiled once (decision 059) ---------

/** The member's family unit, the member included, found from the member alone. */
const familyOfMember = preparedQuery((db: Db, p: { registryMemberId: string }) => {
  const holderCf = db
    .selectFrom('registry_members as m')
    .select((eb) => eb.fn.coalesce('m.holder_cf', 'm.codice_fiscale').as('cf'))
    .where('m.id', '=', p.registryMemberId);
  return db
    .selectFrom('registry_members')
    .select(REGISTRY_MEMBER_COLUMNS)
    .where((eb) => eb.or([eb('codice_fiscale', '=', holderCf), eb('holder_cf', '=', holderCf)]))
    .orderBy('birth_date');
});

interface ListParams {
  familyId: string;
  accountId: string;
  persons: string[];
  state: ClaimState | undefined;
  yearStart: string | undefined;
  yearEnd: string | undefined;
  beneficiaryId: string | undefined;
}

/** The filters as query values: a year is the range of its submission dates. */
function listFilterParams(filter: ListFilter) {
  return {
    state: filter.state,
    yearStart: filter.year === undefined ? undefined : `${filter.year}-01-01`,
    yearEnd: filter.year === undefined ? undefined : `${filter.year + 1}-01-01`,
    beneficiaryId: filter.beneficiaryId,
  };
}

/** Sent claims of a family the member may see: their own, and those of the persons given. */
function visible(db: Db, p: ListParams) {
  return db
    .selectFrom('claims as c')
    .where('c.family_id', '=', p.familyId)
    .where('c.state', '!=', 'draft')
    .where((eb) =>
      p.persons.length > 0
        ? eb.or([eb('c.account_id', '=', p.accountId), eb('c.beneficiary_id', 'in', p.persons)])
        : eb('c.account_id', '=', p.accountId),
    );
}

/**
 * The counts behind the list, in one pass over the visible claims: one row per year that has
 * claims (the year filter's choices, whatever the filters) with how many of them match the filters.
 */
const listCounts = preparedQuery((db: Db, p: ListParams) => {
  const year = sql<string>`substr(c.submitted_at, 1, 4)`;
  return visible(db, p)
    .select((eb) => {
      const conditions = [
        ...(p.state !== undefined ? [eb('c.state', '=', p.state)] : []),
        ...(p.yearStart !== undefined && p.yearEnd !== undefined
          ? [eb('c.submitted_at', '>=', p.yearStart), eb('c.submitted_at', '<', p.yearEnd)]
          : []),
        ...(p.beneficiaryId !== undefined ? [eb('c.beneficiary_id', '=', p.beneficiaryId)] : []),
      ];
      const count = eb.fn.countAll<number | string>();
      return [
        year.as('year'),
        (conditions.length > 0 ? count.filterWhere(eb.and(conditions)) : count).as('n'),
      ];
    })
    .where('c.submitted_at', 'is not', null)
    .groupBy(year);
});

/** A page of the visible claims matching the filters, newest first. */
const listPage = preparedQuery((db: Db, p: ListParams & { offset: number; limit: number }) => {
  let query = visible(db, p);
  if (p.state !== undefined) query = query.where('c.state', '=', p.state);
  if (p.yearStart !== undefined && p.yearEnd !== undefined)
    query = query.where('c.submitted_at', '>=', p.yearStart).where('c.submitted_at', '<', p.yearEnd);
  if (p.beneficiaryId !== undefined) query = query.where('c.beneficiary_id', '=', p.beneficiaryId);
  // The list's columns only: a whole claim row (IBAN, holder, notes…) read for twenty rows made
  // this the slowest query of the page.
  return query
    .select(LIST_COLUMNS)
    .orderBy('c.submitted_at', 'desc')
    .orderBy('c.id', 'desc')
    .offset(p.offset)
    .limit(p.limit);
});

/** What a row of the member's list shows (`ClaimsService.summary`). */
const LIST_COLUMNS = [
  'c.id',
  'c.number',
  'c.state',
  'c.category',
  'c.beneficiary_id',
  'c.submitted_at',
  'c.claimed_cents',
  'c.estimated_cents',
  'c.accepted_cents',
  'c.paid_cents',
] as const;

/** The member list's filters. */
export interface ListFilter {
  state?: ClaimState;
  year?: number;
  beneficiaryId?: string;
}
