import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, type Info, parse } from 'csv-parse';
import { electronicFormatIBAN, isValidIBAN } from 'ibantools';
import type { FileProblem, FileProblemKind } from '#contracts/imports.codes.js';
import {
  csvFileProblem,
  csvProblem,
  detectCsvDelimiter,
  headerLineEnd,
  newlinesIn,
  parseCsvHeader,
} from '../../lib/csv-header.js';
import { type ImportOutcome, importReportLines } from '../../lib/import-report.js';
import { cityKey, isServiceCode, SERVICE_CODES, type ServiceCode } from './network.table.js';

/**
 * The network file a plan's provider office sends us: a UTF-8 CSV, `;` or `,` separated, with a
 * header naming exactly these columns in any order. `prestazioni` is a `|`-separated list of
 * service codes; coordinates are decimal degrees, with a decimal point or a decimal comma (quote
 * the field in a `,`-separated file). This file knows the format and the rules of one row; it never
 * touches the database (network.service.ts does, through the repository).
 *
 * The registry importer's CSV reader (registry-import.ts) is tied to its own columns and row rules
 * (its header check, separator detection and errors name the registry's columns), so the reading
 * loop is repeated here in the same shape rather than imported.
 */
export const NETWORK_COLUMNS = [
  'codice',
  'nome',
  'indirizzo',
  'citta',
  'provincia',
  'cap',
  'latitudine',
  'longitudine',
  'telefono',
  'prestazioni',
] as const;
export type NetworkColumn = (typeof NETWORK_COLUMNS)[number] | 'iban';

/**
 * Columns a file may leave out: `iban`, where the fund pays the facility's direct claims
 * (decision 047). Without the column the stored IBANs are left as they are; an empty field clears it.
 */
export const NETWORK_OPTIONAL_COLUMNS = ['iban'] as const;

/** One valid row, normalised: code and province upper case, coordinates in micro-degrees. */
export interface FacilityRow {
  code: string;
  name: string;
  address: string;
  city: string;
  cityKey: string;
  province: string;
  cap: string;
  latitudeE6: number;
  longitudeE6: number;
  phone: string | null;
  /** Electronic format; null for an empty field; undefined when the file has no `iban` column. */
  iban?: string | null;
  services: ServiceCode[];
}

/**
 * Why a row was rejected, as a stable code (the back office shows it in Italian or English) with
 * the column it concerns and, for unknown services, the codes found.
 */
export type RowProblemCode =
  | 'field_count'
  | 'not_utf8'
  | 'empty'
  | 'too_long'
  | 'code_invalid'
  | 'city_invalid'
  | 'province_invalid'
  | 'cap_invalid'
  | 'not_decimal'
  | 'outside_italy'
  | 'phone_invalid'
  | 'iban_invalid'
  | 'services_empty'
  | 'services_unknown';

export interface RowProblem {
  code: RowProblemCode;
  column?: NetworkColumn;
  /** services_unknown: the codes not in the catalogue; field_count: [expected, found]; too_long: [max]. */
  values?: string[];
}

export type FacilityRowResult =
  | { ok: true; row: FacilityRow }
  | { ok: false; reasons: string[]; problems: RowProblem[] };

export interface NetworkLine {
  /** Line number in the file (1 is the header). */
  line: number;
  result: FacilityRowResult;
}

/** Why a whole file is refused. */
export type NetworkFileProblem = FileProblemKind;

/** The columns a refused header got wrong. */
export interface HeaderProblems {
  unknown: string[];
  missing: string[];
  repeated: string[];
}

/**
 * The whole file is refused (header, separator, broken quoting): the English message (the command
 * line's) and the coded reasons the API answers with (`problems`, worded by the web).
 */
export class NetworkFileError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly kind: NetworkFileProblem,
    readonly problems: FileProblem[],
    readonly columns?: HeaderProblems,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'NetworkFileError';
  }
}

/** What an import did (or, in a dry run, would do). */
export interface NetworkImportReport {
  dryRun: boolean;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows repeating a codice seen earlier in the file: the later row wins. */
  duplicates: number;
  rejectedTotal: number;
  /** The first MAX_LISTED rejected rows, by line. */
  rejected: { line: number; reason: string; problems?: RowProblem[] }[];
  /** Service codes not in the catalogue, with how many rows name them and the first line (first MAX_UNKNOWN_SERVICES). */
  unknownServices?: { code: string; rows: number; firstLine: number }[];
  /** The first MAX_SAMPLE facilities the import adds, and those it changes (with the columns changed). */
  samples?: { inserted: FacilityBrief[]; updated: FacilityBrief[] };
}

/** A facility in a report: enough to recognise it. */
export interface FacilityBrief {
  line: number;
  code: string;
  name: string;
  city: string;
  province: string;
  /** For an update: the columns that change (`prestazioni` for the services). */
  changes?: string[];
}

export const MAX_UNKNOWN_SERVICES = 100;
export const MAX_SAMPLE = 100;

export const MAX_LISTED = 10_000;
const MAX_RECORD_BYTES = 16 * 1024;
const UNREADABLE_TEXT = '\uFFFD';

/** Italy with a margin (Lampedusa 35.5°N, Vetta d'Italia 47.1°N, Bardonecchia 6.6°E, Otranto 18.5°E). */
export const ITALY_BOUNDS = { minLat: 35, maxLat: 47.5, minLon: 6, maxLon: 19 } as const;

const CODE = /^[A-Z0-9][A-Z0-9._/-]{0,39}$/;
const PROVINCE = /^[A-Z]{2}$/;
const CAP = /^\d{5}$/;
const DECIMAL = /^[+-]?\d{1,3}(?:[.,]\d{1,8})?$/;
const PHONE = /^\+?[0-9][0-9 ./()-]{4,24}$/;

/** Decimal degrees as written in the file (point or comma) to integer micro-degrees. */
export function parseDegrees(value: string): number | null {
  if (!DECIMAL.test(value)) return null;
  return Math.round(Number(value.replace(',', '.')) * 1_000_000);
}

/** The problems of one row: the English reason (the command line's) beside its code. */
class Problems {
  readonly reasons: string[] = [];
  readonly list: RowProblem[] = [];
  add(reason: string, code: RowProblemCode, column?: NetworkColumn, values?: string[]): void {
    this.reasons.push(reason);
    this.list.push({ code, ...(column ? { column } : {}), ...(values ? { values } : {}) });
  }
  get length(): number {
    return this.list.length;
  }
}

function text(value: string, column: NetworkColumn, max: number, problems: Problems): string {
  const v = value.replace(/\s+/g, ' ');
  if (v === '') problems.add(`${column} is empty`, 'empty', column);
  else if (v.length > max)
    problems.add(`${column} is longer than ${max} characters`, 'too_long', column, [String(max)]);
  return v;
}

function coordinate(
  value: string,
  column: 'latitudine' | 'longitudine',
  min: number,
  max: number,
  problems: Problems,
): number | null {
  if (value === '') {
    problems.add(`${column} is empty`, 'empty', column);
    return null;
  }
  const micro = parseDegrees(value);
  if (micro === null)
    problems.add(`${column} is not a decimal number of degrees (e.g. 45.4642)`, 'not_decimal', column);
  else if (micro < min * 1_000_000 || micro > max * 1_000_000) {
    problems.add(
      `${column} is outside Italy (${min} to ${max}; are latitude and longitude swapped?)`,
      'outside_italy',
      column,
      [String(min), String(max)],
    );
  }
  return micro;
}

/**
 * Applies the rules of one data row; reasons are plain English and name the columns, each with its
 * problem code beside it.
 */
export function parseFacilityRow(
  fields: string[],
  columns: Record<(typeof NETWORK_COLUMNS)[number], number> & { iban?: number },
): FacilityRowResult {
  const expected = Object.values(columns).filter((i) => i >= 0).length;
  if (fields.length !== expected) {
    return {
      ok: false,
      reasons: [`expected ${expected} fields, found ${fields.length} (check separators and quotes)`],
      problems: [{ code: 'field_count', values: [String(expected), String(fields.length)] }],
    };
  }
  if (fields.some((f) => f.includes(UNREADABLE_TEXT))) {
    return {
      ok: false,
      reasons: ['text is not valid UTF-8 (save the file as "CSV UTF-8")'],
      problems: [{ code: 'not_utf8' }],
    };
  }
  const get = (c: NetworkColumn) => (fields[columns[c] ?? -1] ?? '').trim();
  const problems = new Problems();

  const code = get('codice').toUpperCase();
  if (code === '') problems.add('codice is empty', 'empty', 'codice');
  else if (!CODE.test(code))
    problems.add(
      'codice is not a valid code (letters, digits, . _ / -, at most 40)',
      'code_invalid',
      'codice',
    );
  const name = text(get('nome'), 'nome', 200, problems);
  const address = text(get('indirizzo'), 'indirizzo', 200, problems);
  const city = text(get('citta'), 'citta', 100, problems);
  const key = cityKey(city);
  if (city !== '' && !/[a-z]/.test(key)) problems.add('citta is not a town name', 'city_invalid', 'citta');

  const province = get('provincia').toUpperCase();
  if (province === '') problems.add('provincia is empty', 'empty', 'provincia');
  else if (!PROVINCE.test(province))
    problems.add('provincia must be the two-letter sigla (e.g. MI)', 'province_invalid', 'provincia');

  const cap = get('cap');
  if (cap === '') problems.add('cap is empty', 'empty', 'cap');
  else if (!CAP.test(cap)) problems.add('cap must be five digits', 'cap_invalid', 'cap');

  const b = ITALY_BOUNDS;
  const latitudeE6 = coordinate(get('latitudine'), 'latitudine', b.minLat, b.maxLat, problems);
  const longitudeE6 = coordinate(get('longitudine'), 'longitudine', b.minLon, b.maxLon, problems);

  const phoneInput = get('telefono').replace(/\s+/g, ' ');
  const phone = phoneInput === '' ? null : phoneInput;
  if (phone !== null && (!PHONE.test(phone) || phone.replace(/\D/g, '').length < 6)) {
    problems.add('telefono is not a phone number', 'phone_invalid', 'telefono');
  }
  let iban: string | null | undefined;
  if ((columns.iban ?? -1) >= 0) {
    const ibanInput = get('iban');
    iban = ibanInput === '' ? null : electronicFormatIBAN(ibanInput);
    if (iban !== null && (!iban || !isValidIBAN(iban))) {
      problems.add('iban is not a valid IBAN', 'iban_invalid', 'iban');
      iban = null;
    }
  }

  const listed = get('prestazioni')
    .split('|')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = [...new Set(listed.filter((s) => !isServiceCode(s)))].map((u) => u.slice(0, 40));
  if (listed.length === 0) {
    problems.add(
      `prestazioni is empty (list service codes separated by |: ${SERVICE_CODES.join(', ')})`,
      'services_empty',
      'prestazioni',
    );
  } else if (unknown.length) {
    problems.add(
      `prestazioni has unknown service code(s): ${unknown.join(', ')} (known: ${SERVICE_CODES.join(', ')})`,
      'services_unknown',
      'prestazioni',
      unknown,
    );
  }
  const services = [...new Set(listed.filter(isServiceCode))].sort();

  if (problems.length || latitudeE6 === null || longitudeE6 === null) {
    return { ok: false, reasons: problems.reasons, problems: problems.list };
  }
  return {
    ok: true,
    row: {
      code,
      name,
      address,
      city,
      cityKey: key,
      province,
      cap,
      latitudeE6,
      longitudeE6,
      phone,
      ...(iban !== undefined ? { iban } : {}),
      services,
    },
  };
}

/** `;` or `,`, whichever separates the header line. */
export function detectDelimiter(headerLine: string): ';' | ',' {
  return detectCsvDelimiter(
    headerLine,
    NETWORK_COLUMNS,
    (message, line, kind, problems) => new NetworkFileError(message, line, kind, problems),
  );
}

/** What is wrong with a header's columns (all empty when it is right). */
export function headerProblems(fields: string[]): HeaderProblems {
  const names = fields.map((f) => f.trim().toLowerCase());
  const known = new Set<string>([...NETWORK_COLUMNS, ...NETWORK_OPTIONAL_COLUMNS]);
  return {
    unknown: names.filter((n) => !known.has(n)).map((n) => (n === '' ? '(empty)' : n.slice(0, 60))),
    missing: NETWORK_COLUMNS.filter((c) => !names.includes(c)),
    repeated: [...new Set(names.filter((n, i) => names.indexOf(n) !== i))],
  };
}

/** Maps each column to its position; refuses unknown, missing or repeated columns. */
export function parseHeader(fields: string[]): Record<NetworkColumn, number> {
  return parseCsvHeader(
    fields,
    NETWORK_COLUMNS,
    (message, line, kind, problems) =>
      new NetworkFileError(message, line, kind, problems, headerProblems(fields)),
    NETWORK_OPTIONAL_COLUMNS,
  );
}

/**
 * Reads a network file as a stream: the header line picks the separator, csv-parse splits the
 * rows (a leading BOM is dropped), each data row goes through the row rules and is yielded with
 * its line number. Throws NetworkFileError when the file as a whole is unusable.
 */
export async function* readNetworkCsv(input: Readable): AsyncGenerator<NetworkLine> {
  try {
    yield* readRecords(input);
  } finally {
    input.destroy();
  }
}

async function* readRecords(input: Readable): AsyncGenerator<NetworkLine> {
  const source = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: Buffer[] = [];
  let headerLine: string | null = null;
  let exhausted = false;
  while (headerLine === null) {
    const next = await source.next();
    if (next.done) {
      exhausted = true;
      headerLine = Buffer.concat(head).toString('utf8');
      break;
    }
    head.push(typeof next.value === 'string' ? Buffer.from(next.value) : next.value);
    const start = Buffer.concat(head);
    const newline = headerLineEnd(
      start,
      NETWORK_COLUMNS,
      (message, line, kind, problems) => new NetworkFileError(message, line, kind, problems),
    );
    if (newline >= 0) headerLine = start.subarray(0, newline).toString('utf8');
  }
  headerLine = headerLine.replace(/^\uFEFF/, '').replace(/\r$/, '');
  if (headerLine.trim() === '') {
    throw new NetworkFileError(
      `the file is empty or does not start with the header (${NETWORK_COLUMNS.join(';')})`,
      1,
      'empty',
      [{ code: 'file_empty', params: { columns: NETWORK_COLUMNS.join(';') } }],
    );
  }
  const delimiter = detectDelimiter(headerLine);

  async function* chunks(): AsyncGenerator<Buffer | string> {
    yield* head;
    if (exhausted) return;
    for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
  }
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  // Errors reach the loop below through the parser; the promise only must not go unhandled.
  pipeline(Readable.from(chunks(), { objectMode: false }), parser).catch(() => undefined);

  let columns: Record<NetworkColumn, number> | null = null;
  let lastLine = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      lastLine = info.lines;
      const line = info.lines - newlinesIn(record);
      if (!columns) {
        columns = parseHeader(record);
        continue;
      }
      if (record.every((f) => f.trim() === '')) continue;
      yield { line, result: parseFacilityRow(record, columns) };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const runaway = err.code === 'CSV_QUOTE_NOT_CLOSED' || err.code === 'CSV_MAX_RECORD_SIZE';
      const line = runaway ? lastLine + 1 : typeof err.lines === 'number' ? err.lines : undefined;
      throw new NetworkFileError(
        `the file is not valid CSV: ${csvProblem(err.code, MAX_RECORD_BYTES)}`,
        line,
        err.code === 'CSV_MAX_RECORD_SIZE' ? 'row_too_long' : 'quoting',
        [csvFileProblem(err.code, line, MAX_RECORD_BYTES)],
      );
    }
    throw err;
  } finally {
    parser.destroy();
  }
}

/** The report as the command line prints it: counts, unknown services, each rejected row by line number. */
export function formatNetworkImportReport(report: NetworkImportReport, outcome: ImportOutcome): string[] {
  const unknown = report.unknownServices?.length
    ? [
        `unknown service codes: ${report.unknownServices.map((u) => `${u.code} (${u.rows} row(s), first on line ${u.firstLine})`).join(', ')}`,
      ]
    : [];
  return importReportLines(report, outcome, { afterCounts: unknown });
}
