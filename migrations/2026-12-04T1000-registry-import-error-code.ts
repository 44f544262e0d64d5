import type { Kysely } from 'kysely';

// Frozen in time: imports no application code. Runs on SQLite and PostgreSQL.

export async function up(db: Kysely<any>): Promise<void> {
  // Why a registry file was refused or its import stopped, as a code and the values its wording
  // needs (JSON: the line and the coded reasons), worded by the back office. Rows written before
  // keep their English text in `error` and no code.
  await db.schema.alterTable('registry_imports').addColumn('error_code', 'text').execute();
  await db.schema.alterTable('registry_imports').addColumn('error_params', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registry_imports').dropColumn('error_params').execute();
  await db.schema.alterTable('registry_imports').dropColumn('error_code').execute();
}
