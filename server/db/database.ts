import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { AppConfig } from '../config/config.js';
import { statementName } from './prepared-query.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  /** PostgreSQL schema when not the default (tests). */
  schema?: string;
  /**
   * SQLite on a file: its absolute path, for work that opens a connection of its own (the registry
   * import writes from a thread of its own). Absent for PostgreSQL and for `:memory:`.
   */
  sqliteFile?: string;
  /** PostgreSQL: the pool under `db`, for work that needs a client of its own (COPY). */
  pgPool?: pg.Pool;
  destroy(): Promise<void>;
}

/** int8 (COUNT, SUM) comes back as a number: our counts and cents stay far below 2^53. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface OpenOptions {
  /** PostgreSQL only: run every query inside this schema (tests use one schema per file). */
  schema?: string;
  poolSize?: number;
  /** PostgreSQL: how long opening a connection may take (default 5 s). */
  connectTimeoutMs?: number;
  /** PostgreSQL: an idle pooled connection failed (it is dropped; the next query opens another). */
  onIdleError?: (err: Error) => void;
}

export function openDatabase(database: AppConfig['database'], options: OpenOptions = {}): DbHandle {
  if (database.kind === 'sqlite') {
    if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
    const sqlite = new SQLite(database.path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return {
      db,
      dialect: 'sqlite',
      ...(database.path === ':memory:' ? {} : { sqliteFile: resolve(database.path) }),
      destroy: () => db.destroy(),
    };
  }
  const pool = new pg.Pool({
    connectionString: database.url,
    max: options.poolSize ?? 10,
    // A server that does not answer fails the request (503) instead of holding it forever.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    types: pgTypes,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // A pooled connection that dies while idle (the server restarted, an administrator ended it)
  // makes the pool emit 'error'; without a listener that error would end the process. The pool has
  // already dropped the client and opens a new one on the next query (decision 057).
  pool.on('error', (err) => options.onIdleError?.(err));
  // A connection in use (a query under way, a transaction) that dies emits 'error' on its client,
  // which has no listener while checked out: that too would end the process. The query under way
  // fails with the same error (the request answers 503) and the pool drops the client on release.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    namePreparedStatements(client);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    pgPool: pool,
    ...(options.schema ? { schema: options.schema } : {}),
    destroy: () => db.destroy(),
  };
}

/**
 * The prepared queries' SQL (server/db/prepared-query.ts) is sent as a named statement: parsed and
 * planned once on each connection. Kysely's driver calls `client.query(text, values)`; this hands
 * the same to pg with the statement's name. Any other SQL goes as before.
 */
function namePreparedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length === 2 ? statementName(text) : undefined;
    return name ? query({ name, text, values }) : query(...args);
  };
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
