import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Enough for every query the app writes; `in (…)` lists of many lengths make the rest. */
const DEFAULT_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query anew, and with better-sqlite3 preparing a short query
 * costs as much as running it (a third of the time of "Le mie pratiche" under load went to it,
 * `npm run bench:api`). This gives Kysely the same database with its statements kept by SQL text,
 * the least recently used dropped past `size`. A statement still being iterated (a streamed
 * query) is not handed out again: that caller gets a fresh one. SQLite re-prepares a kept
 * statement by itself when the schema changed (a migration).
 */
export function withStatementCache(sqlite: SQLite.Database, size = DEFAULT_SIZE): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>();
  return {
    close() {
      kept.clear();
      sqlite.close();
    },
    prepare(text: string) {
      const hit = kept.get(text);
      if (hit && !hit.busy) {
        // Most recently used last: the Map's order is the eviction order.
        kept.delete(text);
        kept.set(text, hit);
        return hit;
      }
      const statement = sqlite.prepare(text);
      if (!hit) {
        kept.set(text, statement);
        if (kept.size > size) {
          const oldest = kept.keys().next();
          if (!oldest.done) kept.delete(oldest.value);
        }
      }
      return statement;
    },
  };
}
