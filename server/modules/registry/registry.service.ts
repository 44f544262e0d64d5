import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Db, DbHandle, Dialect } from '../../db/database.js';
import { type Clock, iso } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { insertDefaultPlanVersion } from '../plans/index.js';
import { ImportRowLog, type ReplacedRow } from './import-row-log.js';
import {
  CopyMemberWriter,
  type MemberWriter,
  type Outcome,
  StatementMemberWriter,
  ThreadMemberWriter,
} from './member-writers.js';
import {
  type CardColumn,
  REGISTRY_DATA_COLUMNS,
  REGISTRY_DATA_COLUMNS_KEEPING_CARD,
  RegistryRepository,
} from './registry.repository.js';
import type { NewRegistryMember, RegistryMember } from './registry.table.js';
import {
  hasCardColumn,
  type ImportReport,
  MAX_LISTED,
  type RegistryRow,
  type RegistryWarningCode,
  readRegistryCsvBlocks,
} from './registry-import.js';

export type { ImportReport } from './registry-import.js';
export { RegistryFileError } from './registry-import.js';

export interface ImportOptions {
  /** Read, check and compare, write nothing: the counts are what an import would do. */
  dryRun?: boolean;
  clock: Clock;
  /** Called with the number of rows read so far, every `progressEvery` rows. */
  onProgress?: (rowsRead: number) => void;
  progressEvery?: number;
  /** Rows per batch (default 5,000). */
  batchSize?: number;
  /**
   * The handle `db` comes from. With it, an import that writes does so through a connection of its
   * own (member-writers.ts): on a SQLite file from a thread of its own, on PostgreSQL with COPY,
   * while this thread reads and checks the file. Without it, the rows go through `db`.
   */
  handle?: Pick<DbHandle, 'sqliteFile' | 'pgPool'>;
}

interface Pending {
  line: number;
  row: RegistryRow;
}

/**
 * Imports a registry file (see registry-import.ts for the format): inserts new codici fiscali,
 * updates changed members, leaves equal ones alone. Rows are read as a stream and written
 * `batchSize` at a time, so memory stays flat whatever the size of the file: repeats within the file
 * and the counts are worked out at the end from a log of the rows kept on disk (ImportRowLog,
 * decision 056). Rejected rows are skipped and the first MAX_LISTED listed.
 * A fresh plan code creates the plan. Throws RegistryFileError when the file as a whole is
 * unusable; batches written before that point stay (importing again is harmless: it is idempotent).
 */
export async function importRegistry(
  db: Db,
  dialect: Dialect,
  stream: Readable,
  options: ImportOptions,
): Promise<ImportReport> {
  return new RegistryImport(db, new RegistryRepository(dialect), options).run(stream);
}

class RegistryImport {
  private readonly report: ImportReport;
  private readonly now: Date;
  private readonly batchSize: number;
  private readonly progressEvery: number;
  private readonly planIds = new Map<string, string>();
  /** Every valid row's codice fiscale, line and outcome, on disk: repeats and counts at the end. */
  private readonly log = new ImportRowLog();
  private readonly at: string;
  private batch = new Map<string, Pending>();
  /** Rows of the batch replaced by a later row of the same batch (only the later one is written). */
  private replaced: ReplacedRow[] = [];
  private readonly ids: IdSequence;
  /** Batches handed to the writer and not yet counted, in file order. */
  private readonly inFlight: Promise<void>[] = [];
  private readonly writer: MemberWriter | undefined;
  /** 'keep' when the file has no numero_tessera column: the card numbers on file stay as they are. */
  private card: CardColumn = 'keep';

  constructor(
    private readonly db: Db,
    private readonly repository: RegistryRepository,
    private readonly options: ImportOptions,
  ) {
    this.now = options.clock.now();
    this.at = iso(this.now);
    this.ids = new IdSequence(this.now.getTime());
    if (!options.dryRun) {
      const { sqliteFile, pgPool } = options.handle ?? {};
      this.writer =
        repository.dialect === 'sqlite' && sqliteFile
          ? new ThreadMemberWriter(sqliteFile, repository)
          : repository.dialect === 'postgres' && pgPool
            ? new CopyMemberWriter(pgPool, repository)
            : new StatementMemberWriter(db, repository);
    }
    this.batchSize = options.batchSize ?? this.writer?.batchSize ?? 5_000;
    this.progressEvery = options.progressEvery ?? 50_000;
    this.report = {
      dryRun: options.dryRun === true,
      rowsRead: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      coverageEnding: 0,
      duplicates: 0,
      rejectedTotal: 0,
      rejected: [],
      plansCreated: [],
      warningsTotal: 0,
      warnings: [],
    };
  }

  async run(stream: Readable): Promise<ImportReport> {
    const report = this.report;
    try {
      const today = iso(this.now).slice(0, 10);
      const onHeader = (columns: Parameters<typeof hasCardColumn>[0]) => {
        this.card = hasCardColumn(columns) ? 'write' : 'keep';
      };
      for await (const rows of readRegistryCsvBlocks(stream, today, onHeader)) {
        for (const { line, result } of rows) {
          report.rowsRead++;
          if (result.ok) this.add(line, result.row);
          else {
            report.rejectedTotal++;
            if (report.rejected.length < MAX_LISTED)
              report.rejected.push({ line, reason: result.reasons.join('; '), problems: result.problems });
          }
          if (this.batch.size >= this.batchSize) await this.flush();
          if (report.rowsRead % this.progressEvery === 0) this.options.onProgress?.(report.rowsRead);
        }
      }
      await this.flush();
      while (this.inFlight.length) await this.inFlight.shift();
      const summary = this.log.summarize((line, first) =>
        this.warn(line, `same codice fiscale as line ${first}; this later row replaces it`, 'duplicate_cf', [
          String(first),
        ]),
      );
      report.inserted = summary.inserted;
      report.updated = summary.updated;
      report.unchanged = summary.unchanged;
      report.duplicates = summary.duplicates;
    } catch (err) {
      // A refused file (or a failed batch): let the batches being written finish before reporting.
      for (const p of this.inFlight.splice(0)) await p.catch(() => undefined);
      throw err;
    } finally {
      this.log.close();
      await this.writer?.close();
    }
    if (!report.dryRun) {
      const orphans = await this.repository.countDependantsWithoutHolder(this.db);
      if (orphans > 0) {
        this.warn(
          undefined,
          `${orphans} dependant(s) in the registry have a titolare_cf that matches no member`,
          'orphan_dependants',
          [String(orphans)],
        );
      }
    }
    // csv-parse reports a few lines late, repeats come in no order: the lists read best in file order.
    report.rejected.sort((a, b) => a.line - b.line);
    keepFirstWarnings(report.warnings, MAX_LISTED);
    return report;
  }

  /**
   * Counts a warning and keeps it if it is among the MAX_LISTED first by line (general ones, without
   * a line, after those with one): whatever order they come in, the list never holds more than
   * twice MAX_LISTED.
   */
  private warn(line: number | undefined, message: string, code: RegistryWarningCode, values: string[]): void {
    this.report.warningsTotal++;
    const warnings = this.report.warnings;
    warnings.push(line === undefined ? { message, code, values } : { line, message, code, values });
    if (warnings.length >= 2 * MAX_LISTED) keepFirstWarnings(warnings, MAX_LISTED);
  }

  private add(line: number, row: RegistryRow): void {
    const cf = row.codiceFiscale;
    const earlier = this.batch.get(cf);
    if (earlier) this.replaced.push({ line: earlier.line, cf });
    this.batch.set(cf, { line, row });
  }

  /**
   * Hands the batch to the writer and returns while it is written: reading and checking the next
   * rows overlaps with the database's work (PostgreSQL works in a process of its own, SQLite on a
   * file in a thread of its own). At most `maxInFlight` batches wait; they are written and counted
   * in file order.
   */
  private async flush(): Promise<void> {
    const limit = this.writer?.maxInFlight ?? 1;
    while (this.inFlight.length >= limit) await this.inFlight.shift();
    const pending = [...this.batch.values()];
    const replaced = this.replaced;
    this.batch = new Map();
    this.replaced = [];
    if (pending.length === 0) return;
    // Plans first (a write of ours), then the rows, so that batches reach the writer in order.
    await this.resolvePlans(pending);
    const ids = this.ids.next(pending.length);
    const rows = pending.map((p, i) => this.toRow(p.row, ids[i] as string));
    const outcomes = this.writer ? this.writer.write(rows, this.card) : this.compare(rows);
    // Only what the log needs stays alive while the batch is written: the rows themselves become
    // garbage now, young, and cheap to collect.
    const cfs = rows.map((r) => r.codice_fiscale);
    const lines = Uint32Array.from(pending, (p) => p.line);
    const counted = outcomes.then((o) => this.log.record(cfs, lines, o, replaced));
    // Its failure is thrown when it is awaited in turn, not reported as unhandled meanwhile.
    counted.catch(() => undefined);
    this.inFlight.push(counted);
  }

  /**
   * Finds the id of each plan code of the batch, creating missing plans. The plan's rules
   * (coverage, ceilings, waiting periods) arrive with a later feature: for now a plan is its code,
   * named after it until someone renames it. A dry run only notes what it would create.
   */
  private async resolvePlans(pending: Pending[]): Promise<void> {
    const missing = [...new Set(pending.map((p) => p.row.planCode))].filter((c) => !this.planIds.has(c));
    if (missing.length === 0) return;
    for (const plan of await this.repository.findPlansByCodes(this.db, missing))
      this.planIds.set(plan.code, plan.id);
    for (const code of missing.filter((c) => !this.planIds.has(c))) {
      if (this.report.dryRun) this.planIds.set(code, `(new plan ${code})`);
      else {
        const created = await this.repository.insertPlanIfMissing(this.db, {
          id: newId(this.now.getTime()),
          code,
          name: code,
          created_at: iso(this.now),
        });
        const [plan] = await this.repository.findPlansByCodes(this.db, [code]);
        if (!plan) throw new Error('plan not found after creating it');
        this.planIds.set(code, plan.id);
        if (!created) continue;
        // A plan the registry names for the first time starts with the demo rules (PRODUCT.md §3).
        await insertDefaultPlanVersion(this.db, plan.id, this.now);
      }
      this.report.plansCreated.push(code);
    }
  }

  private toRow(row: RegistryRow, id: string): NewRegistryMember {
    const at = this.at;
    return {
      id,
      codice_fiscale: row.codiceFiscale,
      surname: row.surname,
      given_name: row.givenName,
      birth_date: row.birthDate,
      email: row.email,
      plan_id: this.planIds.get(row.planCode) as string,
      role: row.role,
      holder_cf: row.holderCf,
      coverage_start: row.coverageStart,
      coverage_end: row.coverageEnd,
      card_number: row.cardNumber,
      created_at: at,
      updated_at: at,
    };
  }

  /** Dry run: the same decision as the upsert's, taken here against the rows as they are. */
  private async compare(rows: NewRegistryMember[]): Promise<Outcome[]> {
    const existing = new Map<string, RegistryMember>(
      (
        await this.repository.findMembersByCf(
          this.db,
          rows.map((r) => r.codice_fiscale),
        )
      ).map((m) => [m.codice_fiscale, m]),
    );
    return rows.map((r) => {
      const current = existing.get(r.codice_fiscale);
      if (r.coverage_end && r.coverage_end !== (current?.coverage_end ?? null)) this.report.coverageEnding++;
      if (!current) return 'inserted';
      const data = this.card === 'write' ? REGISTRY_DATA_COLUMNS : REGISTRY_DATA_COLUMNS_KEEPING_CARD;
      return data.some((c) => (r[c] ?? null) !== current[c]) ? 'updated' : 'unchanged';
    });
  }
}

/**
 * Ids for the rows of one import: UUIDv7 (RFC 9562) like lib/ids.ts newId, all with the import's
 * timestamp, but with the 42 bits after the version and variant used as a counter (RFC 9562 §6.2,
 * method 1) that starts at a random value, followed by 32 random bits. The ids of an import are
 * therefore increasing: each insert appends to the primary-key index instead of landing on a random
 * page of it, which on a large registry is the difference between a page cache that holds the
 * index's right edge and one that misses on nearly every row.
 */
class IdSequence {
  private counter = randomBytes(5).readUIntBE(0, 5) * 2; // < 2^41: room for 2^41 more rows

  constructor(private readonly now: number) {}

  next(count: number): string[] {
    const bytes = randomBytes(16 * count);
    for (let o = 0; o < bytes.length; o += 16) {
      const n = this.counter++;
      const high = Math.floor(n / 2 ** 24); // bits 41-24
      bytes.writeUIntBE(this.now, o, 6);
      bytes[o + 6] = 0x70 | (high >>> 14);
      bytes[o + 7] = (high >>> 6) & 0xff;
      bytes[o + 8] = 0x80 | (high & 0x3f);
      bytes.writeUIntBE(n % 2 ** 24, o + 9, 3);
    }
    const hex = bytes.toString('hex');
    const ids = new Array<string>(count);
    for (let i = 0, o = 0; i < count; i++, o += 32) {
      ids[i] =
        `${hex.slice(o, o + 8)}-${hex.slice(o + 8, o + 12)}-${hex.slice(o + 12, o + 16)}-` +
        `${hex.slice(o + 16, o + 20)}-${hex.slice(o + 20, o + 32)}`;
    }
    return ids;
  }
}

/**
 * Sorts warnings by line (general ones last) and keeps the first `max`. The sort is stable: the
 * general warnings keep the order they were given in.
 */
function keepFirstWarnings(warnings: ImportReport['warnings'], max: number): void {
  warnings.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  if (warnings.length > max) warnings.length = max;
}

export interface FileImportOptions extends Omit<ImportOptions, 'onProgress'> {
  /** Import the valid rows even when some are rejected. */
  allowErrors?: boolean;
  onProgress?: (phase: 'checking' | 'importing', rowsRead: number) => void;
}

export interface FileImportResult {
  report: ImportReport;
  /** written: the import ran; dry-run: only checked; refused: rows were rejected, nothing written. */
  outcome: 'written' | 'dry-run' | 'refused';
}

/**
 * The command line's import of a file: a dry run first, so that a broken file, or one with rejected
 * rows (unless `allowErrors`), leaves the database as it was; then the import itself. The file is
 * read twice, never held in memory.
 */
export async function importRegistryFile(
  db: Db,
  dialect: Dialect,
  path: string,
  options: FileImportOptions,
): Promise<FileImportResult> {
  const { allowErrors, onProgress, ...common } = options;
  const pass = (dryRun: boolean, phase: 'checking' | 'importing') =>
    importRegistry(db, dialect, createReadStream(path), {
      ...common,
      dryRun,
      onProgress: (n) => onProgress?.(phase, n),
    });
  const check = await pass(true, 'checking');
  if (options.dryRun) return { report: check, outcome: 'dry-run' };
  if (check.rejectedTotal > 0 && !allowErrors) return { report: check, outcome: 'refused' };
  return { report: await pass(false, 'importing'), outcome: 'written' };
}
