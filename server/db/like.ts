import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';

/**
 * LIKE patterns built from text that comes from outside. `%` and `_` are wildcards and `\` is the
 * escape character we declare: each is escaped, so the text matches only itself. PostgreSQL escapes
 * with `\` by default but SQLite has no escape character unless told, hence the explicit `ESCAPE`.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `value LIKE '<prefix>%' ESCAPE '\'`: the values that start with `prefix`, as written. */
export function startsWith(value: Expression<string | null>, prefix: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${value} like ${`${escapeLike(prefix)}%`} escape '\\'`;
}
