import { type Kysely, sql } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // A booking of a medical service in the network (forma diretta), decision 044. Instants are UTC
  // ISO text; the member's windows are wall-clock Europe/Rome (JSON), as the member chose them.
  await db.schema
    .createTable('bookings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // `PRE-2026-000123`, given when the request is sent.
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull().references('member_accounts.id'))
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('beneficiary_id', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'text', (c) => c.notNull())
    .addColumn('plan_version', 'integer', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('facility_id', 'text', (c) => c.notNull().references('facilities.id'))
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('windows', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    // The slot the desk proposed and until when the member may answer.
    .addColumn('proposed_start', 'text')
    .addColumn('proposed_facility_id', 'text')
    .addColumn('proposal_deadline', 'text')
    // The confirmed appointment.
    .addColumn('start_at', 'text')
    .addColumn('confirmed_facility_id', 'text')
    // The authorisation code: a keyed hash to look it up, the code itself sealed for the voucher.
    .addColumn('code_hash', 'text', (c) => c.unique())
    .addColumn('code_sealed', 'text')
    // Incremented at every calendar change: the .ics SEQUENCE.
    .addColumn('calendar_sequence', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reminder_sent_at', 'text')
    .addColumn('reject_reason', 'text')
    .addColumn('invoice_cents', 'integer')
    .addColumn('expected_share_cents', 'integer')
    .addColumn('claim_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('bookings_account_idempotency', ['account_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('bookings_state_created')
    .on('bookings')
    .columns(['state', 'created_at'])
    .execute();
  await db.schema.createIndex('bookings_family').on('bookings').column('family_id').execute();
  await db.schema.createIndex('bookings_state_start').on('bookings').columns(['state', 'start_at']).execute();

  await db.schema
    .createTable('booking_documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('booking_id', 'text', (c) => c.references('bookings.id').onDelete('cascade'))
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('booking_documents_booking')
    .on('booking_documents')
    .column('booking_id')
    .execute();

  await db.schema
    .createTable('booking_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('booking_id', 'text', (c) => c.notNull().references('bookings.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('reason_code', 'text')
    .addColumn('params', 'text')
    .addUniqueConstraint('booking_events_booking_seq', ['booking_id', 'seq'])
    .execute();

  await db.schema
    .createTable('booking_number_counters')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('last', 'integer', (c) => c.notNull())
    .execute();

  // A claim is a reimbursement (the member paid) or direct (the fund pays the facility, decision 047).
  await db.schema
    .alterTable('claims')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('reimbursement'))
    .execute();
  await db.schema.alterTable('claims').addColumn('booking_id', 'text').execute();
  await sql`create unique index claims_one_per_booking on claims (booking_id) where booking_id is not null`.execute(
    db,
  );

  // The facility's IBAN, where the fund pays direct claims (network file column `iban`, optional).
  await db.schema.alterTable('facilities').addColumn('iban', 'text').execute();

  // Attachments travel through the outbox (JSON [{ filename, contentType, content (base64) }]); the
  // built-in mailbox of the local setup keeps the text only.
  await db.schema.alterTable('outbox_emails').addColumn('attachments', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox_emails').dropColumn('attachments').execute();
  await db.schema.alterTable('facilities').dropColumn('iban').execute();
  await sql`drop index claims_one_per_booking`.execute(db);
  await db.schema.alterTable('claims').dropColumn('booking_id').execute();
  await db.schema.alterTable('claims').dropColumn('kind').execute();
  for (const table of ['booking_number_counters', 'booking_events', 'booking_documents', 'bookings']) {
    await db.schema.dropTable(table).execute();
  }
}
