import { type Kysely, sql } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // "Le mie pratiche" reads a family's claims newest first: this index gives them in that order.
  // Without it, a state filter let SQLite (no statistics) walk claims_state_submitted through every
  // claim in that state of the whole fund to spare a sort (decision 055).
  await sql`create index claims_family_submitted on claims (family_id, submitted_at desc, id desc)`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index claims_family_submitted`.execute(db);
}
