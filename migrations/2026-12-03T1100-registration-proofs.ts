import type { Kysely } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // The member's card number (numero di tessera) from the registry file, normalised (upper case,
  // no spaces or dashes): the second proof asked of a person whose email the registry lacks.
  await db.schema.alterTable('registry_members').addColumn('card_number', 'text').execute();

  // How the address of an activation ticket was proven: registry_email, card_number or
  // back_office. Older rows have none, and the back office never resends a ticket to them.
  await db.schema.alterTable('verifications').addColumn('address_proof', 'text').execute();

  // Registrations of members with neither an email nor a card number in the registry: they wait
  // for the back office. What the person typed is kept as typed (after normalising), with the
  // registry member it matched. status: pending, confirmed, rejected, superseded (a newer request
  // for the same member); a pending request past expires_at is expired.
  await db.schema
    .createTable('registration_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('registry_member_id', 'text', (c) => c.notNull().references('registry_members.id'))
    .addColumn('surname', 'text', (c) => c.notNull())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('codice_fiscale', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('staff_users.id'))
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createIndex('registration_requests_status')
    .on('registration_requests')
    .columns(['status', 'created_at'])
    .execute();
  await db.schema
    .createIndex('registration_requests_member')
    .on('registration_requests')
    .column('registry_member_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('registration_requests').execute();
  await db.schema.alterTable('verifications').dropColumn('address_proof').execute();
  await db.schema.alterTable('registry_members').dropColumn('card_number').execute();
}
