import { type Kysely, sql } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // A claim, from the member's draft (state `draft`, no number) to paid. Money in integer cents.
  await db.schema
    .createTable('claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.unique())
    .addColumn('account_id', 'text', (c) => c.notNull().references('member_accounts.id'))
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('beneficiary_id', 'text')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('plan_code', 'text', (c) => c.notNull())
    .addColumn('plan_version', 'integer')
    .addColumn('category', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('iban', 'text')
    .addColumn('account_holder', 'text')
    .addColumn('idempotency_key', 'text')
    .addColumn('submitted_at', 'text')
    .addColumn('expected_decision_on', 'text')
    .addColumn('claimed_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('estimated_cents', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('accepted_cents', 'integer')
    .addColumn('paid_cents', 'integer')
    .addColumn('last_reminder_at', 'text')
    .addColumn('draft', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('claims_account_idempotency', ['account_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('claims_family_state').on('claims').columns(['family_id', 'state']).execute();
  await db.schema.createIndex('claims_account_state').on('claims').columns(['account_id', 'state']).execute();
  // One open draft per account, even when two requests start one at the same moment.
  await sql`create unique index claims_one_draft on claims (account_id) where state = 'draft'`.execute(db);

  await db.schema
    .createTable('claim_invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('invoice_date', 'text', (c) => c.notNull())
    .addColumn('invoice_number', 'text', (c) => c.notNull())
    .addColumn('issuer_name', 'text', (c) => c.notNull())
    .addColumn('issuer_tax_id', 'text')
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('facility_id', 'text')
    .addColumn('estimated_cents', 'integer', (c) => c.notNull())
    .addColumn('accepted_cents', 'integer')
    .addColumn('paid_cents', 'integer')
    .addColumn('reason', 'text')
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('probable_duplicate', 'integer', (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('claim_invoices_claim_position', ['claim_id', 'position'])
    .execute();
  await db.schema
    .createIndex('claim_invoices_duplicate')
    .on('claim_invoices')
    .columns(['invoice_number', 'invoice_date'])
    .execute();

  await db.schema
    .createTable('claim_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id').onDelete('cascade'))
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('claim_documents_claim').on('claim_documents').column('claim_id').execute();

  await db.schema
    .createTable('claim_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id').onDelete('cascade'))
    // 1, 2, … per claim: the timeline's order even when two changes share a millisecond.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('reason_code', 'text')
    .addColumn('note', 'text')
    .addUniqueConstraint('claim_events_claim_seq', ['claim_id', 'seq'])
    .execute();

  await db.schema
    .createTable('claim_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('claims.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('author_kind', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('claim_messages_claim')
    .on('claim_messages')
    .columns(['claim_id', 'at'])
    .execute();

  // The last claim number given per year: incremented in the submit transaction.
  await db.schema
    .createTable('claim_number_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'claim_number_counters',
    'claim_messages',
    'claim_events',
    'claim_documents',
    'claim_invoices',
    'claims',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
