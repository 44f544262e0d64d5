// @ts-check
/**
 * The thread that writes registry rows to SQLite during an import (see member-writers.ts, which
 * starts it, and decision 019). Plain JavaScript because a worker thread is started from a file
 * path, outside whatever compiles TypeScript for the main thread (tsx, Vitest).
 *
 * Messages in:  { type: 'batch', id, rows, keepCard, text }  text: the rows' values in the column
 *               order of the statements, all joined by U+001F (the unit separator, which no valid
 *               value holds), '' for null; keepCard: the file has no card number column, so an
 *               update leaves the member's card number as it is;  { type: 'close' }.
 * Messages out: { id, outcomes }  one byte per row, 0 inserted, 1 updated, 2 unchanged, sent only
 *               once the transaction holding the batch is committed;  { id, error }.
 *
 * Batches already waiting are written in the same transaction, up to `rowsPerTransaction` rows, so
 * that a page of the codice fiscale index changed by several batches is written to the WAL once.
 * The thread never waits with a transaction open.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string, insertSql: string, upsertSql: string, upsertKeepingCardSql: string, columns: number, pragmas: string[], rowsPerTransaction: number, rowsPerCheckpoint: number }} */
const options = workerData;
const port = parentPort;
if (!port) throw new Error('sqlite-member-writer.worker.mjs runs as a worker thread');

const db = new Database(options.file);
for (const pragma of options.pragmas) db.pragma(pragma);
/** New codici fiscali only: `on conflict (codice_fiscale) do nothing`. */
const insert = db.prepare(options.insertSql);
/** The upsert that updates a member only when a data column differs. */
const upsert = db.prepare(options.upsertSql);
/** The same, leaving the card number alone (a file without the numero_tessera column). */
const upsertKeepingCard = db.prepare(options.upsertKeepingCardSql);
const begin = db.prepare('begin immediate');
const commit = db.prepare('commit');
const rollback = db.prepare('rollback');

/** One row's values, reused from row to row. */
const values = new Array(options.columns).fill(null);

/**
 * Splitting one string costs a fraction of JSON.parse on the same rows, and makes no array per row.
 * @param {number} count
 * @param {string} text
 * @param {boolean} keepCard
 * @returns {Uint8Array}
 */
function writeRows(count, text, keepCard) {
  const fields = text.split('\u001f');
  const width = options.columns;
  if (fields.length !== count * width) throw new Error('a batch does not have the expected number of values');
  const outcomes = new Uint8Array(count);
  const update = keepCard ? upsertKeepingCard : upsert;
  for (let i = 0, at = 0; i < count; i++) {
    for (let c = 0; c < width; c++, at++) values[c] = fields[at] || null;
    if (insert.run(values).changes === 1) continue; // 0: inserted
    outcomes[i] = update.run(values).changes === 1 ? 1 : 2;
  }
  return outcomes;
}

/** Rows committed since the last checkpoint. */
let sinceCheckpoint = 0;

/** @param {{ type: string, id?: number, rows?: number, keepCard?: boolean, text?: string }} first */
function onMessage(first) {
  /** @type {{ id: number, outcomes: Uint8Array }[]} */
  const written = [];
  let closing = false;
  let message = first;
  let rows = 0;
  try {
    begin.run();
    for (;;) {
      if (message.type === 'close') {
        closing = true;
        break;
      }
      const count = /** @type {number} */ (message.rows);
      written.push({
        id: /** @type {number} */ (message.id),
        outcomes: writeRows(count, /** @type {string} */ (message.text), message.keepCard === true),
      });
      rows += count;
      if (rows >= options.rowsPerTransaction) break;
      const next = receiveMessageOnPort(/** @type {any} */ (port));
      if (!next) break;
      message = next.message;
    }
    commit.run();
  } catch (err) {
    if (db.inTransaction) rollback.run();
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    for (const w of written) port?.postMessage({ id: w.id, error });
    if (message.type === 'batch' && !written.some((w) => w.id === message.id)) {
      port?.postMessage({ id: message.id, error });
    }
    if (closing) {
      db.close();
      port.close();
    }
    return;
  }
  for (const w of written) port.postMessage({ id: w.id, outcomes: w.outcomes }, [w.outcomes.buffer]);
  // The connection checkpoints here rather than at every commit past 1,000 pages (its default):
  // a commit then writes only to the WAL, and pages changed again and again are copied to the
  // database once per checkpoint. PASSIVE never waits for readers.
  sinceCheckpoint += rows;
  if (sinceCheckpoint >= options.rowsPerCheckpoint && !closing) {
    db.pragma('wal_checkpoint(PASSIVE)');
    sinceCheckpoint = 0;
  }
  if (closing) {
    // Moves what the import wrote from the WAL into the database file, where readers find it
    // without going through the WAL index; PASSIVE never waits for them.
    db.pragma('wal_checkpoint(PASSIVE)');
    db.close();
    port.close();
  }
}

port.on('message', onMessage);
