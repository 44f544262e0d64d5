import type { Kysely } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // Who holds a claim in the back office ("PRENDI IN CARICO") and since when.
  await db.schema.alterTable('claims').addColumn('holder_staff_id', 'text').execute();
  await db.schema.alterTable('claims').addColumn('held_at', 'text').execute();
  // The decision: when, by whom (`staff` or `system`), the staff users who proposed and (four
  // eyes) approved it, and for an automatic decision the rule that allowed it.
  await db.schema.alterTable('claims').addColumn('decided_at', 'text').execute();
  await db.schema.alterTable('claims').addColumn('decided_by', 'text').execute();
  await db.schema.alterTable('claims').addColumn('decided_by_staff_id', 'text').execute();
  await db.schema.alterTable('claims').addColumn('second_approver_id', 'text').execute();
  await db.schema.alterTable('claims').addColumn('auto_rule', 'text').execute();
  // Four eyes: a decision proposed by one operator, waiting for another's approval (JSON).
  await db.schema.alterTable('claims').addColumn('pending_decision', 'text').execute();
  // The payment's value date (YYYY-MM-DD) once paid.
  await db.schema.alterTable('claims').addColumn('paid_on', 'text').execute();
  await db.schema
    .createIndex('claims_state_submitted')
    .on('claims')
    .columns(['state', 'submitted_at'])
    .execute();
  // What an event carries besides its reason (JSON), e.g. the documents asked for.
  await db.schema.alterTable('claim_events').addColumn('params', 'text').execute();
  // An operator's change of a line's accepted amount: a code of a closed list (worded it/en).
  await db.schema.alterTable('claim_invoices').addColumn('adjust_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('claim_events').dropColumn('params').execute();
  await db.schema.alterTable('claim_invoices').dropColumn('adjust_reason').execute();
  await db.schema.dropIndex('claims_state_submitted').execute();
  for (const column of [
    'paid_on',
    'pending_decision',
    'auto_rule',
    'second_approver_id',
    'decided_by_staff_id',
    'decided_by',
    'decided_at',
    'held_at',
    'holder_staff_id',
  ])
    await db.schema.alterTable('claims').dropColumn(column).execute();
}
