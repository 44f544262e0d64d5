import type { Kysely } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // Shown to administrators on the staff users page.
  await db.schema.alterTable('staff_users').addColumn('last_login_at', 'text').execute();
  // The language of the emails a staff user receives (enrolment links), chosen when created.
  await db.schema
    .alterTable('staff_users')
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('it'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('staff_users').dropColumn('locale').execute();
  await db.schema.alterTable('staff_users').dropColumn('last_login_at').execute();
}
