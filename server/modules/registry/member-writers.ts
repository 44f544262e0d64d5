import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../../db/database.js';
import { type CardColumn, REGISTRY_MEMBER_COLUMNS, type RegistryRepository } from './registry.repository.js';
import type { NewRegistryMember } from './registry.table.js';

export type Outcome = 'inserted' | 'updated' | 'unchanged';

/**
 * Where an import's rows go: insert the new codici fiscali, update the members whose data differ,
 * leave the equal ones alone, and say which of the three happened to each row. Batches are written
 * in the order `write` is called; the promises settle in that order.
 */
export interface MemberWriter {
  /** `card`: 'keep' when the file has no card number column (the card numbers on file stay). */
  write(rows: NewRegistryMember[], card: CardColumn): Promise<Outcome[]>;
  /** How many batches may be written while the next ones are read and checked. */
  readonly maxInFlight: number;
  /** Rows per batch when the import does not say. */
  readonly batchSize: number;
  close(): Promise<void>;
}

/**
 * What an upsert `returning id, codice_fiscale` did to each row: inserted (the id we gave), updated
 * (the member's own id) or left alone (not returned).
 */
function outcomesOf(
  rows: NewRegistryMember[],
  returned: { id: string; codice_fiscale: string }[],
): Outcome[] {
  const written = new Map(returned.map((r) => [r.codice_fiscale, r.id]));
  return rows.map((r) => {
    const id = written.get(r.codice_fiscale);
    return id === undefined ? 'unchanged' : id === r.id ? 'inserted' : 'updated';
  });
}

/** One upsert statement per batch through the app's own connection (PostgreSQL, SQLite in memory). */
export class StatementMemberWriter implements MemberWriter {
  readonly maxInFlight = 1;
  readonly batchSize = 5_000;

  constructor(
    private readonly db: Db,
    private readonly repository: RegistryRepository,
  ) {}

  /** The database says which rows it inserted (our id), updated (its id) or left alone (absent). */
  async write(rows: NewRegistryMember[], card: CardColumn): Promise<Outcome[]> {
    return outcomesOf(rows, await this.repository.upsertMembers(this.db, rows, card));
  }

  async close(): Promise<void> {}
}

const OUTCOMES: readonly Outcome[] = ['inserted', 'updated', 'unchanged'];

/** Rows per transaction of the writing thread (several batches when they are waiting). */
const ROWS_PER_TRANSACTION = 50_000;
/**
 * Page cache of the writing connection, in KiB. The codice fiscale index is written at random
 * places; with SQLite's default 2 MB most of its pages leave the cache between two rows that touch
 * them. The cache is this connection's alone and closes with the import, so the app's connection
 * and its memory are unchanged.
 */
const CACHE_KIB = 8 * 1024;
/**
 * The writing connection checkpoints the WAL itself, every this many rows, instead of at every
 * commit once the WAL passes 1,000 pages (SQLite's default): pages of the codice fiscale index
 * changed by many commits are then copied to the database once per checkpoint. The WAL stays
 * bounded (about what 200,000 rows change).
 */
const ROWS_PER_CHECKPOINT = 200_000;

interface Waiting {
  resolve(outcomes: Outcome[]): void;
  reject(err: Error): void;
}

/**
 * SQLite on a file: a worker thread with a connection of its own writes the rows (prepared
 * statements, one row at a time, several batches per transaction) while this thread reads and
 * checks the next ones, so the two halves of an import use two cores. Same outcomes as the
 * statement writer; see sqlite-member-writer.worker.mjs for the thread's side.
 */
export class ThreadMemberWriter implements MemberWriter {
  /** Two: the thread always has the next batch at hand; more only adds to the memory in use. */
  readonly maxInFlight = 2;
  readonly batchSize = 5_000;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(file: string, repository: RegistryRepository) {
    const statements = repository.sqliteRowStatements();
    if (statements.columns.join() !== ROW_TEXT_COLUMNS.join()) {
      throw new Error('the registry statements and rowText disagree on the order of the columns');
    }
    this.worker = new Worker(new URL('./sqlite-member-writer.worker.mjs', import.meta.url), {
      // Plain JavaScript: none of the main thread's loaders (tsx) and their memory.
      execArgv: [],
      // A batch is parsed and dropped: a small heap is enough, and keeps the import's memory low.
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 },
      workerData: {
        file,
        insertSql: statements.insert,
        upsertSql: statements.upsert,
        upsertKeepingCardSql: statements.upsertKeepingCard,
        columns: statements.columns.length,
        pragmas: [
          'foreign_keys = ON',
          'busy_timeout = 5000',
          'synchronous = NORMAL',
          `cache_size = -${CACHE_KIB}`,
          'wal_autocheckpoint = 0',
        ],
        rowsPerTransaction: ROWS_PER_TRANSACTION,
        rowsPerCheckpoint: ROWS_PER_CHECKPOINT,
      },
    });
    this.worker.on('message', (message: { id: number; outcomes?: Uint8Array; error?: string }) => {
      const waiting = this.waiting.get(message.id);
      if (!waiting) return;
      this.waiting.delete(message.id);
      if (message.outcomes) {
        waiting.resolve(Array.from(message.outcomes, (o) => OUTCOMES[o] as Outcome));
      } else waiting.reject(new Error(`registry write failed: ${message.error ?? 'unknown error'}`));
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => this.fail(new Error('the registry writing thread stopped')));
  }

  write(rows: NewRegistryMember[], card: CardColumn): Promise<Outcome[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const promise = new Promise<Outcome[]>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    this.worker.postMessage({
      type: 'batch',
      id,
      rows: rows.length,
      keepCard: card === 'keep',
      text: rows.map(rowText).join('\u001f'),
    });
    return promise;
  }

  async close(): Promise<void> {
    if (this.failure) return;
    const exited = once(this.worker, 'exit');
    this.worker.postMessage({ type: 'close' });
    await exited;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

/** The columns of `rowText`, in its order; the thread's statements must take them in this order. */
const ROW_TEXT_COLUMNS = REGISTRY_MEMBER_COLUMNS;

/**
 * One row's values joined by U+001F, null as ''. No valid registry value holds a control character
 * (registry-import.ts refuses them) and no valid value is '', so the thread reads them back exactly.
 * Spelled out field by field: a loop over column names costs several times more per row.
 */
function rowText(r: NewRegistryMember): string {
  return `${r.id}\u001f${r.codice_fiscale}\u001f${r.surname}\u001f${r.given_name}\u001f${r.birth_date}\u001f${r.email ?? ''}\u001f${r.plan_id}\u001f${r.role}\u001f${r.holder_cf ?? ''}\u001f${r.coverage_start}\u001f${r.coverage_end ?? ''}\u001f${r.card_number ?? ''}\u001f${r.created_at}\u001f${r.updated_at}`;
}

/**
 * PostgreSQL: each batch is copied (COPY, text format) into a temporary table of the import's own
 * connection and moved into the registry by one upsert, in one transaction. COPY spares the server
 * the parsing of a JSON parameter and the per-value casts; the upsert is the same as the statement
 * writer's, so the outcomes are the same.
 */
export class CopyMemberWriter implements MemberWriter {
  readonly maxInFlight = 2;
  readonly batchSize = 5_000;
  private client: Promise<pg.PoolClient> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly statements: ReturnType<RegistryRepository['postgresCopyStatements']>;

  constructor(
    private readonly pool: pg.Pool,
    repository: RegistryRepository,
  ) {
    this.statements = repository.postgresCopyStatements();
  }

  write(rows: NewRegistryMember[], card: CardColumn): Promise<Outcome[]> {
    const written = this.queue.then(() => this.writeNow(rows, card));
    this.queue = written.catch(() => undefined);
    return written;
  }

  async close(): Promise<void> {
    await this.queue;
    if (!this.client) return;
    const client = await this.client.catch(() => undefined);
    if (!client) return;
    try {
      await client.query(this.statements.drop);
      client.release();
    } catch (err) {
      client.release(err instanceof Error ? err : true);
    }
  }

  private connection(): Promise<pg.PoolClient> {
    this.client ??= this.pool.connect().then(async (client) => {
      await client.query(this.statements.create);
      return client;
    });
    return this.client;
  }

  private async writeNow(rows: NewRegistryMember[], card: CardColumn): Promise<Outcome[]> {
    const client = await this.connection();
    await client.query('begin');
    try {
      await pipeline(
        Readable.from([copyText(rows, this.statements.columns)]),
        client.query(copyFrom(this.statements.copy)),
      );
      const result = await client.query<{ id: string; codice_fiscale: string }>(
        card === 'write' ? this.statements.upsert : this.statements.upsertKeepingCard,
      );
      await client.query('commit');
      return outcomesOf(rows, result.rows);
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  }
}

/** COPY's text format: tab between values, newline after each row, \N for null, \\ \t \n \r escaped. */
function copyText(rows: NewRegistryMember[], columns: readonly (keyof NewRegistryMember)[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      const value = row[columns[i] as keyof NewRegistryMember];
      if (i > 0) out += '\t';
      out += value === null || value === undefined ? '\\N' : escapeCopy(String(value));
    }
    out += '\n';
  }
  return out;
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIALS = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escapeCopy(value: string): string {
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c] as string) : value;
}
