import type { Kysely } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // Network files uploaded in the back office: checked (a dry run) on upload, then applied or
  // discarded by an administrator; refused files are kept in the history too. Reports are JSON text.
  await db.schema
    .createTable('network_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff_users.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_bytes', 'integer', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('check_report', 'text')
    .addColumn('apply_report', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('applied_by', 'text', (c) => c.references('staff_users.id'))
    .addColumn('applied_at', 'text')
    .addColumn('discarded_by', 'text', (c) => c.references('staff_users.id'))
    .addColumn('discarded_at', 'text')
    .execute();
  await db.schema.createIndex('network_imports_created').on('network_imports').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('network_imports').execute();
}
