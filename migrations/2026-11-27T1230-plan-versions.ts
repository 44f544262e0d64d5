import type { Kysely } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // Every edit of a plan's rules is a new version; claims keep the version they were judged under.
  await db.schema
    .createTable('plan_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('plan_versions_plan_version', ['plan_id', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('plan_versions').execute();
}
