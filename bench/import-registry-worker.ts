/**
 * One measured import, in a process of its own (see import-registry.ts). Prints one JSON line:
 * { rows, seconds, maxRssMb, lookupP99Us? }.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrator.js';
import { systemClock } from '../server/lib/clock.js';
import { newId } from '../server/lib/ids.js';
import { importRegistry } from '../server/modules/registry/index.js';

const [mode, target, file] = process.argv.slice(2) as [string, string, string];
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function migrated(dialect: 'sqlite' | 'postgres', schema?: string) {
  const handle =
    dialect === 'sqlite'
      ? openDatabase({ kind: 'sqlite', path: target })
      : openDatabase({ kind: 'postgres', url: target }, schema ? { schema } : {});
  await migrateToLatest(handle);
  return handle;
}

async function pgSchema(): Promise<string> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: target });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
  return schema;
}

async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: target });
  await c.connect();
  await c.query(`drop schema ${schema} cascade`);
  await c.end();
}

/** The rows as the bare baselines store them (the importer's own parsing and checks skipped). */
async function* rawRows(): AsyncGenerator<string[]> {
  let header = true;
  for await (const line of createInterface({ input: createReadStream(file) })) {
    if (header) {
      header = false;
      continue;
    }
    if (line) yield line.split(';');
  }
}

async function lookupP99(find: (cf: string) => Promise<unknown>, rows: number): Promise<number> {
  // 2,000 codici fiscali spread over the file, read as a stream.
  const every = Math.max(1, Math.floor(rows / 2000));
  const cfs: string[] = [];
  let i = 0;
  for await (const r of rawRows()) if (i++ % every === 0 && r[0]) cfs.push(r[0]);
  const times: number[] = [];
  for (const cf of cfs) {
    const t = process.hrtime.bigint();
    await find(cf);
    times.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length * 0.99)] ?? 0);
}

async function main(): Promise<void> {
  if (mode === 'sqlite-importer' || mode === 'postgres-importer') {
    const dialect = mode.startsWith('sqlite') ? 'sqlite' : 'postgres';
    const schema = dialect === 'postgres' ? await pgSchema() : undefined;
    const handle = await migrated(dialect, schema);
    const t = process.hrtime.bigint();
    const report = await importRegistry(handle.db, handle.dialect, createReadStream(file), {
      handle,
      clock: systemClock,
    });
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    const maxRssMb = rssMb();
    const p99 = await lookupP99(
      (cf) =>
        handle.db
          .selectFrom('registry_members')
          .selectAll()
          .where('codice_fiscale', '=', cf)
          .executeTakeFirst(),
      report.rowsRead,
    );
    await handle.destroy();
    if (schema) await dropSchema(schema);
    console.log(JSON.stringify({ rows: report.inserted, seconds, maxRssMb, lookupP99Us: p99 }));
    return;
  }
  if (mode === 'sqlite-bare') {
    (await migrated('sqlite')).destroy();
    const db = new SQLite(target);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const planId = newId();
    const now = new Date().toISOString();
    db.prepare('insert into plans (id, code, name, created_at) values (?, ?, ?, ?)').run(
      planId,
      'BENCH-PLAN',
      'BENCH-PLAN',
      now,
    );
    const insert = db.prepare(
      'insert into registry_members (id, codice_fiscale, surname, given_name, birth_date, email, plan_id, role, holder_cf, coverage_start, coverage_end, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?)',
    );
    const t = process.hrtime.bigint();
    let n = 0;
    let batch: string[][] = [];
    const flush = db.transaction((rows: string[][]) => {
      for (const r of rows)
        insert.run(
          newId(),
          r[0],
          r[1],
          r[2],
          r[3],
          r[4] || null,
          planId,
          r[6],
          r[7] || null,
          r[8],
          r[9] || null,
          now,
          now,
        );
    });
    for await (const r of rawRows()) {
      batch.push(r);
      n++;
      if (batch.length === 10_000) {
        flush(batch);
        batch = [];
      }
    }
    flush(batch);
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    db.close();
    console.log(JSON.stringify({ rows: n, seconds, maxRssMb: rssMb() }));
    return;
  }
  if (mode === 'postgres-bare') {
    const schema = await pgSchema();
    (await migrated('postgres', schema)).destroy();
    const client = new pg.Client({ connectionString: target, options: `-c search_path=${schema}` });
    await client.connect();
    const planId = newId();
    const now = new Date().toISOString();
    await client.query('insert into plans (id, code, name, created_at) values ($1, $2, $2, $3)', [
      planId,
      'BENCH-PLAN',
      now,
    ]);
    const t = process.hrtime.bigint();
    let n = 0;
    const copy = client.query(
      copyFrom(
        'copy registry_members (id, codice_fiscale, surname, given_name, birth_date, email, plan_id, role, holder_cf, coverage_start, coverage_end, created_at, updated_at) from stdin',
      ),
    );
    async function* tsv() {
      for await (const r of rawRows()) {
        n++;
        const v = (x: string | undefined) => (x ? x : '\\N');
        yield `${newId()}\t${r[0]}\t${r[1]}\t${r[2]}\t${r[3]}\t${v(r[4])}\t${planId}\t${r[6]}\t${v(r[7])}\t${r[8]}\t${v(r[9])}\t${now}\t${now}\n`;
      }
    }
    await pipeline(tsv, copy);
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    await client.end();
    await dropSchema(schema);
    console.log(JSON.stringify({ rows: n, seconds, maxRssMb: rssMb() }));
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

await main();
