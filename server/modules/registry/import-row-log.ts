import SQLite from 'better-sqlite3';
import type { Outcome } from './member-writers.js';

const OUTCOME_CODES: Record<Outcome, number> = { inserted: 0, updated: 1, unchanged: 2 };
const OUTCOMES: readonly Outcome[] = ['inserted', 'updated', 'unchanged'];

/**
 * Page cache of the log, in KiB: SQLite's sorter, which orders the log by codice fiscale at the end,
 * works in as much memory and spills the rest to temporary files.
 */
const CACHE_KIB = 4 * 1024;

/** What the log says about a whole import once every batch is recorded. */
export interface RowLogSummary {
  /** One per codice fiscale: the outcome of its first written row, "unchanged" turned "updated" by a later one. */
  inserted: number;
  updated: number;
  unchanged: number;
  /** Valid rows repeating a codice fiscale of an earlier valid row. */
  duplicates: number;
}

/**
 * The valid rows of one import, a line each: its codice fiscale and what writing it did (nothing
 * for a row replaced by a later one of the same batch). Repeats within the file and the counts are
 * worked out from it at the end, with SQL, instead of from a table of codici fiscali in memory that
 * grows with the file (decision 056).
 *
 * The log is a private temporary SQLite database (an empty file name): SQLite keeps at most its
 * page cache in memory and the rest in a file it removes itself, on both engines, for a dry run as
 * for an import, without touching the registry's database. No journal and no sync: it lives and
 * dies with the import.
 */
export class ImportRowLog {
  private readonly db = new SQLite('');
  private readonly insert: SQLite.Statement<[number, string, number | null]>;
  private readonly recordAll: (
    cfs: readonly string[],
    lines: ArrayLike<number>,
    outcomes: readonly Outcome[],
    replaced: readonly ReplacedRow[],
  ) => void;

  constructor() {
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('temp_store = FILE');
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    // The line is unique and nearly always larger than the last one: rows go to the table's end.
    this.db.exec('create table rows (line integer primary key, cf text not null, outcome integer)');
    this.insert = this.db.prepare('insert into rows (line, cf, outcome) values (?, ?, ?)');
    this.recordAll = this.db.transaction((cfs, lines, outcomes, replaced) => {
      for (let i = 0; i < cfs.length; i++) {
        this.insert.run(lines[i] as number, cfs[i] as string, OUTCOME_CODES[outcomes[i] as Outcome]);
      }
      for (const r of replaced) this.insert.run(r.line, r.cf, null);
    });
  }

  /**
   * The rows of one batch: those written (`cfs[i]` on line `lines[i]`, with `outcomes[i]`) and those
   * a later row of the same batch replaced before writing.
   */
  record(
    cfs: readonly string[],
    lines: ArrayLike<number>,
    outcomes: readonly Outcome[],
    replaced: readonly ReplacedRow[],
  ): void {
    this.recordAll(cfs, lines, outcomes, replaced);
  }

  /**
   * The counts, and each repeated row (its line and the line of the first row with its codice
   * fiscale), in no particular order. One index on (cf, line), built by sorting once, serves both
   * queries.
   */
  summarize(onRepeat: (line: number, firstLine: number) => void): RowLogSummary {
    this.db.exec('create index rows_by_cf on rows (cf, line, outcome)');
    const summary: RowLogSummary = { inserted: 0, updated: 0, unchanged: 0, duplicates: 0 };
    // Per codice fiscale: rows, the outcome of its first written row (line * 4 + outcome: the
    // smallest is that of the smallest line) and whether any written row updated it. A first
    // outcome "unchanged" becomes "updated" when a later batch updated the member.
    const counts = this.db
      .prepare(
        `select final, count(*) as codes, sum(rows - 1) as repeats from (
           select count(*) as rows,
                  case when min(line * 4 + outcome) % 4 = 2 and max(outcome = 1) = 1 then 1
                       else min(line * 4 + outcome) % 4 end as final
           from rows group by cf
         ) group by final`,
      )
      .all() as { final: number; codes: number; repeats: number }[];
    for (const c of counts) {
      summary[OUTCOMES[c.final] as Outcome] += c.codes;
      summary.duplicates += c.repeats;
    }
    if (summary.duplicates > 0) {
      const repeats = this.db
        .prepare(
          `select r.line, f.first from rows r join (
             select cf, min(line) as first from rows group by cf having count(*) > 1
           ) f on f.cf = r.cf where r.line > f.first`,
        )
        .raw()
        .iterate() as IterableIterator<[number, number]>;
      for (const [line, first] of repeats) onRepeat(line, first);
    }
    return summary;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** A valid row that a later row of the same batch replaced before the batch was written. */
export interface ReplacedRow {
  line: number;
  cf: string;
}
