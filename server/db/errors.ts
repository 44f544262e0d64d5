/**
 * A unique constraint or primary key refused the row: PostgreSQL's 23505, SQLite's
 * SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY. The one test for "someone else made it first".
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
