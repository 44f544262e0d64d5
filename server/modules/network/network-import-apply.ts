import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { type Clock, iso } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import { FACILITY_DATA_COLUMNS, NetworkRepository } from './network.repository.js';
import type { FacilityServiceTable, NewFacility } from './network.table.js';
import {
  type FacilityBrief,
  type FacilityRow,
  MAX_LISTED,
  MAX_SAMPLE,
  MAX_UNKNOWN_SERVICES,
  type NetworkImportReport,
  readNetworkCsv,
} from './network-import.js';

export interface NetworkImportOptions {
  clock: Clock;
  /** Read, check and compare, write nothing: the counts are what an import would do. */
  dryRun?: boolean;
  /** Rows per write transaction. */
  batchSize?: number;
}

type Outcome = 'inserted' | 'updated' | 'unchanged';

interface BatchOutcome {
  outcome: Outcome;
  /** For an update: the file's columns that change. */
  changes?: string[];
}

/** The file's column of each stored data column (what a report names as changed). */
const FILE_COLUMN: Record<(typeof FACILITY_DATA_COLUMNS)[number], string> = {
  name: 'nome',
  address: 'indirizzo',
  city: 'citta',
  city_key: 'citta',
  province: 'provincia',
  cap: 'cap',
  latitude_e6: 'latitudine',
  longitude_e6: 'longitudine',
  phone: 'telefono',
  iban: 'iban',
};

interface Pending {
  line: number;
  row: FacilityRow;
  /** The codice was already handled by an earlier batch. */
  repeat: boolean;
}

function facilityData(row: FacilityRow) {
  return {
    name: row.name,
    address: row.address,
    city: row.city,
    city_key: row.cityKey,
    province: row.province,
    cap: row.cap,
    latitude_e6: row.latitudeE6,
    longitude_e6: row.longitudeE6,
    phone: row.phone,
    // Without the file's `iban` column the stored IBAN stays (compared with itself, never changed).
    ...(row.iban !== undefined ? { iban: row.iban } : {}),
  };
}

/**
 * Imports a network file (format in network-import.ts): new codici are inserted, changed facilities
 * updated (their services replaced by the file's list), equal ones left alone. Read as a stream and
 * written a batch at a time, each batch in one transaction. Rejected rows are skipped and listed.
 * Facilities absent from the file are kept (the file may be a partial update).
 */
export async function importNetwork(
  db: Db,
  stream: Readable,
  options: NetworkImportOptions,
  repository: NetworkRepository = new NetworkRepository(),
): Promise<NetworkImportReport> {
  const now = options.clock.now();
  const batchSize = options.batchSize ?? 500;
  const report: NetworkImportReport = {
    dryRun: options.dryRun === true,
    rowsRead: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    duplicates: 0,
    rejectedTotal: 0,
    rejected: [],
    unknownServices: [],
    samples: { inserted: [], updated: [] },
  };
  const unknownServices = new Map<string, { code: string; rows: number; firstLine: number }>();
  const samples = report.samples as { inserted: FacilityBrief[]; updated: FacilityBrief[] };
  const brief = (p: Pending, changes?: string[]): FacilityBrief => ({
    line: p.line,
    code: p.row.code,
    name: p.row.name,
    city: p.row.city,
    province: p.row.province,
    ...(changes ? { changes } : {}),
  });
  const firstLine = new Map<string, number>();
  const unchanged = new Set<string>();
  let batch = new Map<string, Pending>();

  const flush = async () => {
    const pending = [...batch.values()];
    batch = new Map();
    if (pending.length === 0) return;
    const outcomes = await writeBatch(db, repository, pending, now, report.dryRun);
    pending.forEach((p, i) => {
      const { outcome, changes } = outcomes[i] as BatchOutcome;
      if (!p.repeat) {
        report[outcome]++;
        if (outcome === 'unchanged') unchanged.add(p.row.code);
        if (outcome === 'inserted' && samples.inserted.length < MAX_SAMPLE) samples.inserted.push(brief(p));
        if (outcome === 'updated' && samples.updated.length < MAX_SAMPLE)
          samples.updated.push(brief(p, changes));
      } else if (outcome === 'updated' && unchanged.delete(p.row.code)) {
        report.unchanged--;
        report.updated++;
        if (samples.updated.length < MAX_SAMPLE) samples.updated.push(brief(p, changes));
      }
    });
  };

  for await (const { line, result } of readNetworkCsv(stream)) {
    report.rowsRead++;
    if (!result.ok) {
      report.rejectedTotal++;
      if (report.rejected.length < MAX_LISTED)
        report.rejected.push({ line, reason: result.reasons.join('; '), problems: result.problems });
      for (const problem of result.problems) {
        if (problem.code !== 'services_unknown') continue;
        for (const code of problem.values ?? []) {
          const seen = unknownServices.get(code);
          if (seen) seen.rows++;
          else if (unknownServices.size < MAX_UNKNOWN_SERVICES)
            unknownServices.set(code, { code, rows: 1, firstLine: line });
        }
      }
      continue;
    }
    const code = result.row.code;
    const first = firstLine.get(code);
    if (first === undefined) firstLine.set(code, line);
    else report.duplicates++;
    const earlier = batch.get(code);
    batch.set(code, { line, row: result.row, repeat: earlier ? earlier.repeat : first !== undefined });
    if (batch.size >= batchSize) await flush();
  }
  await flush();
  report.rejected.sort((a, b) => a.line - b.line);
  report.unknownServices = [...unknownServices.values()];
  return report;
}

async function writeBatch(
  db: Db,
  repository: NetworkRepository,
  pending: Pending[],
  now: Date,
  dryRun: boolean,
): Promise<BatchOutcome[]> {
  const run = async (trx: Db): Promise<BatchOutcome[]> => {
    const existing = new Map(
      (
        await repository.findByCodes(
          trx,
          pending.map((p) => p.row.code),
        )
      ).map((f) => [f.code, f]),
    );
    const services = await repository.servicesOf(
      trx,
      [...existing.values()].map((f) => f.id),
    );
    const at = iso(now);
    const inserts: NewFacility[] = [];
    const replaced = new Set<string>();
    const pairs: FacilityServiceTable[] = [];
    const outcomes = pending.map(({ row }): BatchOutcome => {
      const data = facilityData(row);
      const current = existing.get(row.code);
      if (!current) {
        const id = newId(now.getTime());
        inserts.push({ id, code: row.code, ...data, created_at: at, updated_at: at });
        for (const s of row.services) pairs.push({ facility_id: id, service_code: s });
        return { outcome: 'inserted' };
      }
      const changed = FACILITY_DATA_COLUMNS.filter((c) =>
        c === 'iban' ? 'iban' in data && data.iban !== current.iban : data[c] !== current[c],
      );
      const sameServices = (services.get(current.id) ?? []).join('|') === row.services.join('|');
      if (changed.length === 0 && sameServices) return { outcome: 'unchanged' };
      replaced.add(current.id);
      for (const s of row.services) pairs.push({ facility_id: current.id, service_code: s });
      const changes = [...new Set(changed.map((c) => FILE_COLUMN[c]))];
      if (!sameServices) changes.push('prestazioni');
      return { outcome: 'updated', changes };
    });
    if (dryRun) return outcomes;
    await repository.insertFacilities(trx, inserts);
    for (const { row } of pending) {
      const current = existing.get(row.code);
      if (current && replaced.has(current.id)) {
        await repository.updateFacility(trx, current.id, { ...facilityData(row), updated_at: at });
      }
    }
    await repository.replaceServices(trx, [...replaced, ...inserts.map((i) => i.id)], pairs);
    return outcomes;
  };
  return dryRun ? run(db) : db.transaction().execute(run);
}

export interface NetworkFileImportOptions extends NetworkImportOptions {
  /** Import the valid rows even when some are rejected. */
  allowErrors?: boolean;
}

/**
 * The command line's import of a file: a dry run first, so that a broken file, or one with rejected
 * rows (unless `allowErrors`), leaves the database as it was; then the import itself.
 */
export async function importNetworkFile(
  db: Db,
  path: string,
  options: NetworkFileImportOptions,
): Promise<{ report: NetworkImportReport; outcome: 'written' | 'dry-run' | 'refused' }> {
  const { allowErrors, ...common } = options;
  const check = await importNetwork(db, createReadStream(path), { ...common, dryRun: true });
  if (options.dryRun) return { report: check, outcome: 'dry-run' };
  if (check.rejectedTotal > 0 && !allowErrors) return { report: check, outcome: 'refused' };
  return {
    report: await importNetwork(db, createReadStream(path), { ...common, dryRun: false }),
    outcome: 'written',
  };
}
