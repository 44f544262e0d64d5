import { type Kysely, sql } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // A payment batch (distinta): the claims paid together by one SEPA credit transfer file
  // (decision 041). The file is written when the batch is made and kept as it was, so every
  // download gives the same bytes.
  await db.schema
    .createTable('payment_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The file's GrpHdr/MsgId: unique, as the banks require.
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    // draft | sent | paid | cancelled
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('claim_count', 'integer', (c) => c.notNull())
    .addColumn('total_cents', 'bigint', (c) => c.notNull())
    .addColumn('execution_date', 'text', (c) => c.notNull())
    .addColumn('debtor_name', 'text', (c) => c.notNull())
    .addColumn('debtor_iban', 'text', (c) => c.notNull())
    .addColumn('debtor_bic', 'text', (c) => c.notNull())
    // The pain.001.001.03 document, UTF-8 text, exactly as first written.
    .addColumn('file_xml', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('sent_by', 'text')
    // The value date of the payment (YYYY-MM-DD), set by "PAGATO"; paid_at when every claim is paid.
    .addColumn('value_date', 'text')
    .addColumn('paid_at', 'text')
    .addColumn('paid_by', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancelled_by', 'text')
    .execute();
  await db.schema.createIndex('payment_batches_created').on('payment_batches').column('created_at').execute();
  // At most one draft at a time: two "CREA DISTINTA" at the same moment make one batch.
  await sql`create unique index payment_batches_one_draft on payment_batches (state) where state = 'draft'`.execute(
    db,
  );

  // The claims of a batch, with what the file says for each (the amount, payee and IBAN as paid).
  await db.schema
    .createTable('payment_batch_items')
    .addColumn('batch_id', 'text', (c) => c.notNull().references('payment_batches.id'))
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('account_holder', 'text', (c) => c.notNull())
    .addColumn('iban', 'text', (c) => c.notNull())
    // 1 while the batch is not cancelled: a claim is in one live batch at most (the index below).
    .addColumn('live', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_batch_items_pk', ['batch_id', 'claim_id'])
    .execute();
  await sql`create unique index payment_batch_items_one_live on payment_batch_items (claim_id) where live = 1`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payment_batch_items').execute();
  await db.schema.dropTable('payment_batches').execute();
}
