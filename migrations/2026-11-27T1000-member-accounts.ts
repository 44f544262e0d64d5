import type { Kysely } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.
// Booleans are integers 0/1 (SQLite has no boolean type); dates are YYYY-MM-DD text.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // The plan's member registry (anagrafica): one row per insured person.
  await db.schema
    .createTable('registry_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('codice_fiscale', 'text', (c) => c.notNull().unique())
    .addColumn('surname', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('plan_id', 'text', (c) => c.notNull().references('plans.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('holder_cf', 'text')
    .addColumn('coverage_start', 'text', (c) => c.notNull())
    .addColumn('coverage_end', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('registry_members_holder').on('registry_members').column('holder_cf').execute();

  // A member's account, created at activation.
  await db.schema
    .createTable('member_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registry_member_id', 'text', (c) => c.notNull().unique().references('registry_members.id'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('must_change_password', 'integer', (c) => c.notNull())
    .addColumn('temp_password_expires_at', 'text')
    .addColumn('password_changed_at', 'text')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_locked_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // One mechanism for every emailed code or link: activation tickets, password reset links.
  await db.schema
    .createTable('verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('lookup', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('registry_member_id', 'text', (c) => c.references('registry_members.id'))
    .addColumn('account_id', 'text', (c) => c.references('member_accounts.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('verifications_lookup')
    .on('verifications')
    .columns(['purpose', 'lookup'])
    .execute();
  await db.schema
    .createIndex('verifications_member')
    .on('verifications')
    .columns(['purpose', 'registry_member_id'])
    .execute();

  // Failed-login counters per username and per client address, shared by every instance.
  await db.schema
    .createTable('login_throttles')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .execute();

  // Captcha solutions already used (each works once), kept until they would expire anyway.
  await db.schema
    .createTable('captcha_solutions')
    .addColumn('signature', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  // Security audit trail (OWASP logging vocabulary). Never a secret in details.
  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('audit_events_time').on('audit_events').column('occurred_at').execute();
  await db.schema
    .createIndex('audit_events_actor')
    .on('audit_events')
    .columns(['actor_id', 'occurred_at'])
    .execute();
  await db.schema
    .createIndex('audit_events_subject')
    .on('audit_events')
    .columns(['subject_id', 'occurred_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_events',
    'captcha_solutions',
    'login_throttles',
    'verifications',
    'member_accounts',
    'registry_members',
    'plans',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
