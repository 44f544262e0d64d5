// @ts-check
/**
 * The thread that writes registry rows to SQLite during an import (see member-writers.ts, which
 * starts it, and decision 019). Plain JavaScript because a worker thread is started from a file
 * path, outside whatever compiles TypeScript for the main thread (tsx, Vitest).
 *
 * Messages in:  { type: 'batch', id, json }  json: the rows as a JSON array of arrays, in the
 *               column order of the statements;  { type: 'close' }.
 * Messages out: { id, outcomes }  one byte per row, 0 inserted, 1 updated, 2 unchanged, sent only
 *               once the transaction holding the batch is committed;  { id, error }.
 *
 * Batches already waiting are written in the same transaction, up to `rowsPerTransaction` rows, so
 * that a page of the codice fiscale index changed by several batches is written to the WAL once.
 * The thread never waits with a transaction open.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {{ file: string, insertSql: string, upsertSql: string, pragmas: string[], rowsPerTransaction: number }} */
const options = workerData;
const port = parentPort;
if (!port) throw new Error('sqlite-member-writer.worker.mjs runs as a worker thread');

const db = new Database(options.file);
for (const pragma of options.pragmas) db.pragma(pragma);
/** New codici fiscali only: `on conflict (codice_fiscale) do nothing`. */
const insert = db.prepare(options.insertSql);
/** The upsert that updates a member only when a data column differs. */
const upsert = db.prepare(options.upsertSql);
const begin = db.prepare('begin immediate');
const commit = db.prepare('commit');
const rollback = db.prepare('rollback');

/**
 * @param {unknown[][]} rows
 * @returns {Uint8Array}
 */
function writeRows(rows) {
  const outcomes = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = /** @type {unknown[]} */ (rows[i]);
    if (insert.run(row).changes === 1) continue; // 0: inserted
    outcomes[i] = upsert.run(row).changes === 1 ? 1 : 2;
  }
  return outcomes;
}

/** @param {{ type: string, id?: number, json?: string }} first */
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
      const batch = JSON.parse(/** @type {string} */ (message.json));
      written.push({ id: /** @type {number} */ (message.id), outcomes: writeRows(batch) });
      rows += batch.length;
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
    return;
  }
  for (const w of written) port.postMessage({ id: w.id, outcomes: w.outcomes }, [w.outcomes.buffer]);
  if (closing || first.type === 'close') {
    // Moves what the import wrote from the WAL into the database file, where readers find it
    // without going through the WAL index; PASSIVE never waits for them.
    db.pragma('wal_checkpoint(PASSIVE)');
    db.close();
    port.close();
  }
}

port.on('message', onMessage);
