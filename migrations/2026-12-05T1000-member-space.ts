import type { Kysely } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // The member's own space (decisions 048–051): contacts, the IBAN for reimbursements, the
  // optional authenticator. All nullable: accounts made before keep working unchanged.
  for (const [name, type] of [
    ['phone', 'text'],
    ['iban', 'text'],
    ['iban_holder', 'text'],
    ['iban_changed_at', 'text'],
    // Set when the member reports an IBAN change as not theirs: the IBAN is frozen until support
    // clears it, and claims are not paid to it (decision 048).
    ['iban_frozen_at', 'text'],
    // The authenticator key, AES-GCM sealed (SecretBox 'member-totp'); null when two-factor is off.
    ['totp_secret_sealed', 'text'],
    // The key shown during enrolment, kept sealed until the first code proves it was scanned.
    ['totp_pending_sealed', 'text'],
    // The last TOTP time step accepted: a code is never accepted twice.
    ['totp_last_step', 'integer'],
    ['totp_enabled_at', 'text'],
  ] as const) {
    await db.schema.alterTable('member_accounts').addColumn(name, type).execute();
  }

  await db.schema
    .createTable('member_recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('member_accounts.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('member_recovery_codes_account')
    .on('member_recovery_codes')
    .column('account_id')
    .execute();

  // One-time tokens of the member's space: the email-change link (to the new address), the
  // "it was not me" link of an IBAN change, the pending login between password and code. Only a
  // keyed hash of the token is kept.
  await db.schema
    .createTable('member_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // email_change | iban_report | login_pending
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull().references('member_accounts.id'))
    // What the token carries: the new address, the IBAN change it reports.
    .addColumn('payload', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('failed_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('member_tokens_account')
    .on('member_tokens')
    .columns(['account_id', 'purpose'])
    .execute();

  // Every IBAN the account had, with when it changed and whether the member reported the change.
  await db.schema
    .createTable('member_iban_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('member_accounts.id'))
    .addColumn('old_iban', 'text')
    .addColumn('new_iban', 'text', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'text')
    .execute();
  await db.schema
    .createIndex('member_iban_changes_account')
    .on('member_iban_changes')
    .column('account_id')
    .execute();

  // "SCARICA I MIEI DATI": a ZIP prepared in the background (leased, so one instance works on it),
  // kept in the document store for 24 hours, downloadable once through a link whose token is
  // stored as a keyed hash.
  await db.schema
    .createTable('data_exports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('member_accounts.id'))
    // queued | running | ready | failed | expired
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('object_key', 'text')
    .addColumn('bytes', 'integer')
    .addColumn('token_hash', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('data_exports_account').on('data_exports').column('account_id').execute();
  await db.schema.createIndex('data_exports_state').on('data_exports').column('state').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('data_exports').execute();
  await db.schema.dropTable('member_iban_changes').execute();
  await db.schema.dropTable('member_tokens').execute();
  await db.schema.dropTable('member_recovery_codes').execute();
  for (const name of [
    'totp_enabled_at',
    'totp_last_step',
    'totp_pending_sealed',
    'totp_secret_sealed',
    'iban_frozen_at',
    'iban_changed_at',
    'iban_holder',
    'iban',
    'phone',
  ]) {
    await db.schema.alterTable('member_accounts').dropColumn(name).execute();
  }
}
