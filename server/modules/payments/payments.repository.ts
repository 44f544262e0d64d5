import type { Insertable } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import type { PaymentBatchItemTable, PaymentBatchRow, PaymentBatchTable } from './payments.table.js';

/** States of a claim that is decided with an amount to pay. */
const PAYABLE_STATES = ['approved', 'partially_approved'] as const;

/** Rows inserted per statement: well inside both engines' limits on bound values. */
const INSERT_CHUNK = 500;

/**
 * Every query of the payments module. Claims, their lines and the registry are read here (read
 * only); a claim changes only through the claims module's `transition`.
 */
export class PaymentsRepository {
  constructor(private readonly dialect: Dialect) {}

  /**
   * Claims decided with an amount to pay and in no live batch, the longest waiting first: approved
   * or partly approved, accepted amount above zero, with a number, an IBAN and an account holder,
   * and not to an IBAN the member reported.
   */
  payableClaims(db: Db, limit: number) {
    return (
      db
        .selectFrom('claims as c')
        .select([
          'c.id',
          'c.number',
          'c.state',
          'c.iban',
          'c.account_holder',
          'c.accepted_cents',
          'c.decided_at',
          'c.updated_at',
        ])
        .where('c.state', 'in', [...PAYABLE_STATES])
        .where('c.accepted_cents', '>', 0)
        .where('c.number', 'is not', null)
        .where('c.iban', 'is not', null)
        .where('c.account_holder', 'is not', null)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('payment_batch_items as i')
                .select('i.claim_id')
                .whereRef('i.claim_id', '=', 'c.id')
                .where('i.live', '=', 1),
            ),
          ),
        )
        // An IBAN whose change the member reported as not theirs is paid nothing until support has
        // checked (decision 048): the claim waits out of every batch.
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('member_iban_changes as r')
                .select('r.id')
                .whereRef('r.account_id', '=', 'c.account_id')
                .whereRef('r.new_iban', '=', 'c.iban')
                .where('r.reported_at', 'is not', null),
            ),
          ),
        )
        .orderBy((eb) => eb.fn.coalesce('c.decided_at', 'c.updated_at'))
        .orderBy('c.id')
        .limit(limit)
        .execute()
    );
  }

  openDraft(db: Db): Promise<PaymentBatchRow | undefined> {
    return db.selectFrom('payment_batches').selectAll().where('state', '=', 'draft').executeTakeFirst();
  }

  batch(db: Db, id: string): Promise<PaymentBatchRow | undefined> {
    return db.selectFrom('payment_batches').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The batch row, locked until the transaction ends (PostgreSQL; SQLite writes one at a time). */
  lockBatch(db: Db, id: string): Promise<PaymentBatchRow | undefined> {
    const query = db.selectFrom('payment_batches').selectAll().where('id', '=', id);
    return (this.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  }

  /** The newest batches first, without their files. */
  list(db: Db, limit: number) {
    return db
      .selectFrom('payment_batches')
      .select([
        'id',
        'message_id',
        'state',
        'claim_count',
        'total_cents',
        'execution_date',
        'created_at',
        'sent_at',
        'paid_at',
        'value_date',
        'cancelled_at',
      ])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  async insertBatch(db: Db, row: Insertable<PaymentBatchTable>): Promise<void> {
    await db.insertInto('payment_batches').values(row).execute();
  }

  async insertItems(db: Db, rows: Insertable<PaymentBatchItemTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await db
        .insertInto('payment_batch_items')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
  }

  /**
   * Moves the batch from `from` to the values given; false when it was no longer in `from` (another
   * request moved it first).
   */
  async moveBatch(db: Db, id: string, from: PaymentBatchRow['state'], values: Partial<PaymentBatchTable>) {
    const result = await db
      .updateTable('payment_batches')
      .set(values)
      .where('id', '=', id)
      .where('state', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Sets the value date of a sent batch unless it has one; the batch as it then is. */
  async setValueDate(db: Db, id: string, valueDate: string, staffId: string) {
    await db
      .updateTable('payment_batches')
      .set({ value_date: valueDate, paid_by: staffId })
      .where('id', '=', id)
      .where('state', '=', 'sent')
      .where('value_date', 'is', null)
      .execute();
    return this.batch(db, id);
  }

  /** A cancelled batch's claims can go in another batch. */
  async releaseItems(db: Db, batchId: string): Promise<void> {
    await db.updateTable('payment_batch_items').set({ live: 0 }).where('batch_id', '=', batchId).execute();
  }

  /** The batch's claims in file order, with the claim's number and state now. */
  items(db: Db, batchId: string) {
    return db
      .selectFrom('payment_batch_items as i')
      .innerJoin('claims as c', 'c.id', 'i.claim_id')
      .select([
        'i.claim_id',
        'i.position',
        'i.amount_cents',
        'i.account_holder',
        'i.iban',
        'c.number',
        'c.state',
        'c.accepted_cents',
        'c.paid_on',
        'c.decided_at',
        'c.updated_at',
      ])
      .where('i.batch_id', '=', batchId)
      .orderBy('i.position')
      .execute();
  }

  // --- the settlement letter -----------------------------------------------------------------

  claim(db: Db, id: string) {
    return db.selectFrom('claims').selectAll().where('id', '=', id).executeTakeFirst();
  }

  invoices(db: Db, claimId: string) {
    return db
      .selectFrom('claim_invoices')
      .selectAll()
      .where('claim_id', '=', claimId)
      .orderBy('position')
      .execute();
  }

  person(db: Db, registryId: string) {
    return db
      .selectFrom('registry_members')
      .select(['id', 'given_name', 'surname'])
      .where('id', '=', registryId)
      .executeTakeFirst();
  }

  /** When the claim was paid: its last move to `paid`. */
  async paidAt(db: Db, claimId: string): Promise<string | undefined> {
    const row = await db
      .selectFrom('claim_events')
      .select('at')
      .where('claim_id', '=', claimId)
      .where('to_state', '=', 'paid')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.at;
  }
}
