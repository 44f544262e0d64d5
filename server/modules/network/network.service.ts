import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { MAX_FACILITY_PAGE_SIZE } from '#contracts/network.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors/app-error.js';
import { type Clock, iso } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import {
  FACILITY_DATA_COLUMNS,
  type FacilityFilter,
  type FacilityPosition,
  type MicroBox,
  NetworkRepository,
} from './network.repository.js';
import {
  cityKey,
  type Facility,
  type FacilityServiceTable,
  isServiceCode,
  type NewFacility,
  SERVICE_CODES,
  SERVICE_LABELS,
  type ServiceCode,
} from './network.table.js';
import {
  type FacilityBrief,
  type FacilityRow,
  MAX_LISTED,
  MAX_SAMPLE,
  MAX_UNKNOWN_SERVICES,
  type NetworkImportReport,
  readNetworkCsv,
} from './network-import.js';
import { type Town, townForCap } from './towns.js';

export type { NetworkImportReport } from './network-import.js';
export { NetworkFileError } from './network-import.js';

// ——— Geometry ———

export interface Point {
  /** Decimal degrees. */
  lat: number;
  lon: number;
}

/** Mean Earth radius (IUGG), km. */
const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEGREE_LAT = (Math.PI * EARTH_RADIUS_KM) / 180;

/** Great-circle distance in km (haversine formula). */
export function haversineKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Degrees to the integer micro-degrees stored, and back. */
export const toMicro = (degrees: number): number => Math.round(degrees * 1_000_000);
export const fromMicro = (micro: number): number => micro / 1_000_000;

/**
 * The box of micro-degrees that contains every point within `km` of `center` (a square in
 * degrees around the circle). Near the poles, or when it would span every longitude, the
 * longitude bounds are dropped.
 */
export function boxAround(center: Point, km: number): MicroBox {
  const dLat = km / KM_PER_DEGREE_LAT;
  const maxAbsLat = Math.min(90, Math.abs(center.lat) + dLat);
  const cos = Math.cos((maxAbsLat * Math.PI) / 180);
  const box: MicroBox = {
    minLat: toMicro(Math.max(-90, center.lat - dLat)),
    maxLat: toMicro(Math.min(90, center.lat + dLat)),
  };
  const dLon = cos > 1e-6 ? km / (KM_PER_DEGREE_LAT * cos) : 360;
  if (dLon < 180 && center.lon - dLon >= -180 && center.lon + dLon <= 180) {
    box.minLon = toMicro(center.lon - dLon);
    box.maxLon = toMicro(center.lon + dLon);
  }
  return box;
}

// ——— Search ———

export const MAX_PAGE_SIZE = MAX_FACILITY_PAGE_SIZE;

export interface SearchInput {
  service?: string;
  province?: string;
  city?: string;
  /** 5 digits: the reference point for the distance; 2 to 4 digits: a filter on the CAP's start. */
  cap?: string;
  lat?: number;
  lon?: number;
  page?: number;
  pageSize?: number;
}

export interface FacilityView {
  id: string;
  name: string;
  address: string;
  city: string;
  province: string;
  cap: string;
  phone: string | null;
  latitude: number;
  longitude: number;
  services: ServiceCode[];
  /** Km from the reference point, one decimal; only when a CAP or a point was given. */
  distanceKm?: number;
}

export interface SearchResult {
  items: FacilityView[];
  total: number;
  page: number;
  pageSize: number;
  /** The point distances are measured from: the given point, or the town a 5-digit CAP resolved to. */
  reference?: { latitude: number; longitude: number; town?: string; cap?: string };
}

interface SearchPlan {
  filter: FacilityFilter;
  reference?: { point: Point; town?: Town };
  page: number;
  pageSize: number;
}

/** What a member reads beside the field, in Italian and English. */
const SEARCH_MESSAGES: Record<string, { it: string; en: string }> = {
  service_unknown: { it: 'Prestazione sconosciuta.', en: 'Unknown service.' },
  province_invalid: {
    it: 'La provincia è una sigla di 2 lettere, ad esempio MI.',
    en: 'The province is its two-letter code, e.g. MI.',
  },
  city_invalid: { it: 'Il comune non è valido.', en: 'Not a valid town.' },
  point_incomplete: {
    it: 'Servono sia la latitudine sia la longitudine.',
    en: 'Give both latitude and longitude.',
  },
  cap_invalid: {
    it: 'Il CAP è formato da 5 cifre (o le prime 2-4, per filtrare).',
    en: 'The CAP is five digits (or its first 2 to 4, to filter).',
  },
  cap_and_point: {
    it: 'Indica un CAP oppure una posizione, non entrambi.',
    en: 'Give either a CAP or a position, not both.',
  },
  cap_unknown: {
    it: 'CAP non trovato: controlla di averlo scritto bene o cerca per comune o provincia.',
    en: 'CAP not found: check it, or search by town or province.',
  },
  page_invalid: { it: 'La pagina parte da 1.', en: 'Pages start at 1.' },
  page_size_invalid: { it: 'Numero di risultati per pagina non valido.', en: 'Not a valid page size.' },
};

const invalid = (field: string, code: string, message: string) =>
  new AppError('VALIDATION_FAILED', [
    { field, code, message, text: SEARCH_MESSAGES[code] ?? { it: message, en: message } },
  ]);

/**
 * Checks and normalises the search input (the route's schema has already checked types and
 * ranges; this holds the rules across fields). Throws VALIDATION_FAILED naming the field.
 */
export function planSearch(input: SearchInput): SearchPlan {
  const filter: FacilityFilter = {};
  if (input.service !== undefined) {
    if (!isServiceCode(input.service)) {
      throw invalid('service', 'service_unknown', `unknown service; use one of ${SERVICE_CODES.join(', ')}`);
    }
    filter.service = input.service;
  }
  if (input.province !== undefined && input.province.trim() !== '') {
    const province = input.province.trim().toUpperCase();
    if (!/^[A-Z]{2}$/.test(province)) {
      throw invalid('province', 'province_invalid', 'the province is its two-letter sigla, e.g. MI');
    }
    filter.province = province;
  }
  if (input.city !== undefined && input.city.trim() !== '') {
    const key = cityKey(input.city);
    if (key === '') throw invalid('city', 'city_invalid', 'the city is not a town name');
    filter.cityKey = key;
  }
  let reference: SearchPlan['reference'];
  const hasLat = input.lat !== undefined;
  const hasLon = input.lon !== undefined;
  if (hasLat !== hasLon) {
    throw invalid(hasLat ? 'lon' : 'lat', 'point_incomplete', 'give both lat and lon, or neither');
  }
  if (input.cap !== undefined && input.cap.trim() !== '') {
    const cap = input.cap.trim();
    if (!/^\d{2,5}$/.test(cap)) {
      throw invalid('cap', 'cap_invalid', 'the CAP is five digits (or its first 2 to 4 digits, to filter)');
    }
    if (cap.length < 5) filter.capPrefix = cap;
    else {
      if (hasLat)
        throw invalid('cap', 'cap_and_point', 'give either a CAP or lat/lon to measure from, not both');
      const town = townForCap(cap);
      if (!town)
        throw invalid('cap', 'cap_unknown', 'unknown CAP: no town of ours has it, or one of its area');
      reference = { point: { lat: town.lat, lon: town.lon }, town };
    }
  }
  if (hasLat && hasLon) reference = { point: { lat: input.lat as number, lon: input.lon as number } };
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? 20;
  if (!Number.isInteger(page) || page < 1) throw invalid('page', 'page_invalid', 'page starts at 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw invalid('pageSize', 'page_size_invalid', `pageSize is from 1 to ${MAX_PAGE_SIZE}`);
  }
  return { filter, ...(reference ? { reference } : {}), page, pageSize };
}

/** The first bounding box's half-side, km; it triples until it holds the page (then no box at all). */
const FIRST_BOX_KM = 20;
const NO_BOX_BEYOND_KM = 1_500;

export class NetworkService {
  constructor(
    private readonly db: Db,
    private readonly repository: NetworkRepository = new NetworkRepository(),
  ) {}

  services(): { code: ServiceCode; labels: { it: string; en: string } }[] {
    return SERVICE_CODES.map((code) => ({ code, labels: SERVICE_LABELS[code] }));
  }

  /**
   * Facilities matching every filter given, by distance from the reference point (a 5-digit CAP or
   * lat/lon) when there is one, else by name; one page of them, with the total that match.
   */
  async search(input: SearchInput): Promise<SearchResult> {
    const plan = planSearch(input);
    const { filter, page, pageSize, reference } = plan;
    const offset = (page - 1) * pageSize;
    const total = await this.repository.count(this.db, filter);
    const result: SearchResult = { items: [], total, page, pageSize };
    if (reference) {
      result.reference = {
        latitude: reference.point.lat,
        longitude: reference.point.lon,
        ...(reference.town ? { town: reference.town.name, cap: reference.town.cap } : {}),
      };
    }
    if (offset >= total) return result;

    if (!reference) {
      const rows = await this.repository.pageByName(this.db, filter, pageSize, offset);
      result.items = await this.views(rows);
      return result;
    }
    const nearest = await this.nearest(filter, reference.point, total, offset + pageSize);
    const pageOf = nearest.slice(offset, offset + pageSize);
    const rows = new Map(
      (
        await this.repository.findByIds(
          this.db,
          pageOf.map((p) => p.id),
        )
      ).map((r) => [r.id, r]),
    );
    const views = await this.views(pageOf.map((p) => rows.get(p.id)).filter((r): r is Facility => !!r));
    result.items = views.map((v, i) => ({ ...v, distanceKm: Math.round((pageOf[i]?.km ?? 0) * 10) / 10 }));
    return result;
  }

  /**
   * At least the `needed` nearest matching facilities, sorted by distance (then name, then id).
   * A province or city filter keeps the set small: it is read whole. Otherwise a bounding box in
   * SQL narrows it; the box grows until the facilities within its inscribed circle fill the page
   * (any facility outside the box is farther than those), or it holds every match.
   */
  private async nearest(
    filter: FacilityFilter,
    point: Point,
    total: number,
    needed: number,
  ): Promise<(FacilityPosition & { km: number })[]> {
    const measure = (rows: FacilityPosition[]) =>
      rows
        .map((r) => ({
          ...r,
          km: haversineKm(point, { lat: fromMicro(r.latitude_e6), lon: fromMicro(r.longitude_e6) }),
        }))
        .sort((a, b) => a.km - b.km || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    if (filter.province !== undefined || filter.cityKey !== undefined || filter.capPrefix !== undefined) {
      return measure(await this.repository.positions(this.db, filter));
    }
    for (let km = FIRST_BOX_KM; km < NO_BOX_BEYOND_KM; km *= 3) {
      const rows = measure(
        await this.repository.positions(this.db, { ...filter, box: boxAround(point, km) }),
      );
      if (rows.length >= total) return rows;
      if (rows.filter((r) => r.km <= km).length >= needed) return rows.filter((r) => r.km <= km);
    }
    return measure(await this.repository.positions(this.db, filter));
  }

  private async views(rows: Facility[]): Promise<FacilityView[]> {
    const services = await this.repository.servicesOf(
      this.db,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      address: r.address,
      city: r.city,
      province: r.province,
      cap: r.cap,
      phone: r.phone,
      latitude: fromMicro(r.latitude_e6),
      longitude: fromMicro(r.longitude_e6),
      services: services.get(r.id) ?? [],
    }));
  }
}

// ——— Import ———

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
      const changed = FACILITY_DATA_COLUMNS.filter((c) => data[c] !== current[c]);
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
