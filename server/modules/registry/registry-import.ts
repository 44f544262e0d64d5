import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, type Info, parse } from 'csv-parse';
import { isEmailAddress } from '#contracts/email.codes.js';
import type { FileProblem, FileProblemKind } from '#contracts/imports.codes.js';
import type {
  RegistryRowProblem,
  RegistryRowProblemCode,
  RegistryWarningCode,
} from '#contracts/registry.codes.js';
import {
  csvFileProblem,
  csvProblem,
  detectCsvDelimiter,
  headerLineEnd,
  newlinesIn,
  parseCsvHeader,
} from '../../lib/csv-header.js';
import { type ImportOutcome, importReportLines } from '../../lib/import-report.js';
import { isCardNumber, normalizeCardNumber } from '../../lib/text.js';
import { type CfProblem, nameCode, surnameCode, validateCodiceFiscale } from '../members/index.js';
import { REGISTRY_ROLES, type RegistryRole } from './registry.table.js';

/**
 * The registry file (anagrafica) a plan sends us: a UTF-8 CSV, `;` or `,` separated, with a header
 * naming exactly these columns in any order, and optionally those of REGISTRY_OPTIONAL_COLUMNS. This file knows the format and the rules of one row;
 * it never touches the database (registry.service.ts does, through the repository).
 */
export const REGISTRY_COLUMNS = [
  'codice_fiscale',
  'cognome',
  'nome',
  'data_nascita',
  'email',
  'piano',
  'ruolo',
  'titolare_cf',
  'inizio_copertura',
  'fine_copertura',
] as const;
/**
 * `numero_tessera`: the member's card number, the proof asked at registration when the registry has
 * no email for the member (decision 027). A file without the column leaves the card numbers on file
 * as they are; with it, an empty value removes the member's card number.
 */
export const REGISTRY_OPTIONAL_COLUMNS = ['numero_tessera'] as const;
export type RegistryColumn = (typeof REGISTRY_COLUMNS)[number] | (typeof REGISTRY_OPTIONAL_COLUMNS)[number];
/** A column's position in the file; -1 for an optional column the file leaves out. */
export type RegistryColumns = Record<RegistryColumn, number>;

/** One valid row, normalised: dates YYYY-MM-DD, codici fiscali uppercase, email lowercase. */
export interface RegistryRow {
  codiceFiscale: string;
  surname: string;
  givenName: string;
  birthDate: string;
  email: string | null;
  planCode: string;
  role: RegistryRole;
  holderCf: string | null;
  coverageStart: string;
  coverageEnd: string | null;
  /** Normalised (normalizeCardNumber); null when empty or when the file has no such column. */
  cardNumber: string | null;
}

export type { RegistryRowProblem, RegistryRowProblemCode, RegistryWarningCode };

/** A rejected row: the English reasons (the command line's) and, beside each, its stable code. */
export type RowResult =
  | { ok: true; row: RegistryRow }
  | { ok: false; reasons: string[]; problems: RegistryRowProblem[] };

/** A data line of the file: its number (1 is the header) and the outcome of the row rules. */
export interface RegistryLine {
  line: number;
  result: RowResult;
}

/**
 * The whole file is refused (header, separator, broken quoting): nothing of it can be trusted. The
 * English message is the command line's; `kind` and `problems` are what the back office stores and
 * shows (codes with their values, worded by the web).
 */
export class RegistryFileError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly kind: FileProblemKind,
    readonly problems: FileProblem[],
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'RegistryFileError';
  }
}

/** What an import did (or, in a dry run, would do). Never carries a codice fiscale or a name. */
export interface ImportReport {
  dryRun: boolean;
  /** Data rows read (the header and blank lines excluded). */
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Members whose end of coverage the file sets or changes (counted by a dry run). */
  coverageEnding: number;
  /** Rows repeating a codice fiscale seen earlier in the file: the later row wins. */
  duplicates: number;
  rejectedTotal: number;
  /** The first MAX_LISTED rejected rows, by line: the English reason and the problems' codes. */
  rejected: { line: number; reason: string; problems?: RegistryRowProblem[] }[];
  /** Plan codes created (or, in a dry run, that would be created). */
  plansCreated: string[];
  warningsTotal: number;
  /** The first MAX_LISTED warnings, by line; general ones have no line. */
  warnings: { line?: number; message: string; code?: RegistryWarningCode; values?: string[] }[];
}

/** Rejected rows and warnings listed in a report; beyond this only the totals grow. */
export const MAX_LISTED = 10_000;
/** A longer line is not a registry row (and a quote left open would otherwise swallow the file). */
const MAX_RECORD_BYTES = 64 * 1024;

const UNREADABLE_TEXT = '\uFFFD';
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M}' ’.-]*$/u;
const PLAN_CODE = /^[A-Z0-9][A-Z0-9._-]{0,39}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ITALIAN_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const CF_PROBLEMS: Record<CfProblem, [string, RegistryRowProblemCode]> = {
  malformed: ['codice fiscale is malformed', 'cf_malformed'],
  check_character: ['codice fiscale check character is wrong', 'cf_check_character'],
  incoherent_surname: ['codice fiscale not coherent with surname', 'cf_incoherent_surname'],
  incoherent_name: ['codice fiscale not coherent with name', 'cf_incoherent_name'],
  incoherent_birth_date: ['codice fiscale not coherent with birth date', 'cf_incoherent_birth_date'],
};

/** The problems of one row: the English reason (the command line's) beside its code. */
class Problems {
  readonly reasons: string[] = [];
  readonly list: RegistryRowProblem[] = [];
  add(reason: string, code: RegistryRowProblemCode, column?: RegistryColumn, values?: string[]): void {
    this.reasons.push(reason);
    this.list.push({ code, ...(column ? { column } : {}), ...(values ? { values } : {}) });
  }
  get length(): number {
    return this.list.length;
  }
}

/** `;` or `,`, whichever separates the header line. */
export function detectDelimiter(headerLine: string): ';' | ',' {
  return detectCsvDelimiter(
    headerLine,
    REGISTRY_COLUMNS,
    (message, line, kind, problems) => new RegistryFileError(message, line, kind, problems),
  );
}

/** Maps each column to its position; refuses unknown, missing or repeated columns. */
export function parseHeader(fields: string[]): RegistryColumns {
  return parseCsvHeader(
    fields,
    REGISTRY_COLUMNS,
    (message, line, kind, problems) => new RegistryFileError(message, line, kind, problems),
    REGISTRY_OPTIONAL_COLUMNS,
  );
}

/** Whether the file has the card number column: without it, an import keeps the card numbers on file. */
export function hasCardColumn(columns: RegistryColumns): boolean {
  return columns.numero_tessera >= 0;
}

/** A real calendar date, YYYY-MM-DD or DD/MM/YYYY (day and month may have one digit), as YYYY-MM-DD. */
export function parseDate(value: string): string | null {
  // The usual case, YYYY-MM-DD, checked without a regular expression or a Date.
  if (value.length === 10 && value.charCodeAt(4) === 0x2d && value.charCodeAt(7) === 0x2d) {
    const year = digits(value, 0, 4);
    const month = digits(value, 5, 7);
    const day = digits(value, 8, 10);
    if (year < 0 || month < 0 || day < 0) return null;
    if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1) return null;
    return day <= daysInMonth(year, month) ? value : null;
  }
  let year: number;
  let month: number;
  let day: number;
  const iso = ISO_DATE.exec(value);
  const italian = iso ? null : ITALIAN_DATE.exec(value);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (italian) [day, month, year] = [Number(italian[1]), Number(italian[2]), Number(italian[3])];
  else return null;
  if (year < 1900 || year > 2199) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The number written in value[from, to) with ASCII digits only, or -1. */
function digits(value: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = value.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * surnameCode / nameCode of the names seen lately: a registry repeats the same given names (and
 * surnames) over and over, and each code costs a Unicode normalisation and several regexes.
 */
const NAME_CODE_CACHE = 20_000;
const surnameCodes = new Map<string, string>();
const nameCodes = new Map<string, string>();
function cachedCode(cache: Map<string, string>, name: string, code: (n: string) => string): string {
  let value = cache.get(name);
  if (value === undefined) {
    if (cache.size >= NAME_CODE_CACHE) cache.clear();
    value = code(name);
    cache.set(name, value);
  }
  return value;
}

/**
 * checkCoherence (members/codice-fiscale.ts) for a code validateCodiceFiscale accepted and a birth
 * date parseDate accepted, without parsing the code a second time: the same checks, in the same
 * order, on the fields validateCodiceFiscale already decoded.
 */
function coherence(
  cf: { cf: string; birthYY: number; birthMonth: number; birthDay: number },
  surname: string,
  givenName: string,
  birthDate: string,
): CfProblem[] {
  const problems: CfProblem[] = [];
  if (cachedCode(surnameCodes, surname, surnameCode) !== cf.cf.slice(0, 3))
    problems.push('incoherent_surname');
  if (cachedCode(nameCodes, givenName, nameCode) !== cf.cf.slice(3, 6)) problems.push('incoherent_name');
  const year = Number(birthDate.slice(0, 4));
  const month = Number(birthDate.slice(5, 7));
  const day = Number(birthDate.slice(8, 10));
  if (year % 100 !== cf.birthYY || month !== cf.birthMonth || day !== cf.birthDay) {
    problems.push('incoherent_birth_date');
  }
  return problems;
}

function personName(value: string, column: 'cognome' | 'nome', problems: Problems): string {
  const name = value.replace(/\s+/g, ' ');
  if (name === '') problems.add(`${column} is empty`, 'empty', column);
  else if (name.length > 100 || !PERSON_NAME.test(name)) {
    problems.add(`${column} is not a valid name`, 'name_invalid', column);
  }
  return name;
}

function date(value: string, column: RegistryColumn, problems: Problems): string | null {
  if (value === '') return null;
  const parsed = parseDate(value);
  if (!parsed) {
    problems.add(`${column} is not a valid date (use YYYY-MM-DD or DD/MM/YYYY)`, 'date_invalid', column);
  }
  return parsed;
}

/** A field of the row, trimmed ('' for an optional column the file leaves out). */
function field(fields: string[], columns: RegistryColumns, column: RegistryColumn): string {
  return (fields[columns[column]] ?? '').trim();
}

/**
 * Applies the rules of one data row. `today` (YYYY-MM-DD) bounds the birth date. Reasons are plain
 * English and name columns, never values: a codice fiscale is personal data.
 */
export function parseRegistryRow(fields: string[], columns: RegistryColumns, today: string): RowResult {
  const expected = columns.numero_tessera >= 0 ? REGISTRY_COLUMNS.length + 1 : REGISTRY_COLUMNS.length;
  if (fields.length !== expected) {
    return {
      ok: false,
      reasons: [`expected ${expected} fields, found ${fields.length} (check separators and quotes)`],
      problems: [{ code: 'field_count', values: [String(expected), String(fields.length)] }],
    };
  }
  for (const f of fields) {
    if (f.includes(UNREADABLE_TEXT)) {
      return {
        ok: false,
        reasons: ['text is not valid UTF-8 (save the file as "CSV UTF-8")'],
        problems: [{ code: 'not_utf8' }],
      };
    }
  }
  const problems = new Problems();

  const surname = personName(field(fields, columns, 'cognome'), 'cognome', problems);
  const givenName = personName(field(fields, columns, 'nome'), 'nome', problems);
  const birthDate = date(field(fields, columns, 'data_nascita'), 'data_nascita', problems);
  if (field(fields, columns, 'data_nascita') === '')
    problems.add('data_nascita is empty', 'empty', 'data_nascita');
  else if (birthDate && birthDate > today) {
    problems.add('data_nascita is in the future', 'birth_date_future', 'data_nascita');
  }

  const cfInput = field(fields, columns, 'codice_fiscale');
  const cf = validateCodiceFiscale(cfInput);
  if (cfInput === '') problems.add('codice_fiscale is empty', 'empty', 'codice_fiscale');
  else if (!cf.ok) problems.add(...CF_PROBLEMS[cf.problem], 'codice_fiscale');
  else if (problems.length === 0 && birthDate) {
    for (const p of coherence(cf, surname, givenName, birthDate)) {
      problems.add(...CF_PROBLEMS[p], 'codice_fiscale');
    }
  }

  const emailInput = field(fields, columns, 'email');
  const email = emailInput === '' ? null : emailInput.toLowerCase();
  if (email !== null && !isEmailAddress(email)) {
    problems.add('email is not a valid address', 'email_invalid', 'email');
  }

  const planCode = field(fields, columns, 'piano').toUpperCase();
  if (planCode === '') problems.add('piano is empty', 'empty', 'piano');
  else if (!PLAN_CODE.test(planCode)) {
    problems.add(
      'piano is not a valid plan code (letters, digits, . _ -, at most 40)',
      'plan_code_invalid',
      'piano',
    );
  }

  const roleInput = field(fields, columns, 'ruolo').toLowerCase();
  const role = REGISTRY_ROLES.find((r) => r === roleInput);
  if (!role) {
    problems.add(`ruolo must be one of ${REGISTRY_ROLES.join(', ')}`, 'role_invalid', 'ruolo', [
      ...REGISTRY_ROLES,
    ]);
  }

  const holderInput = field(fields, columns, 'titolare_cf');
  let holderCf: string | null = null;
  if (role === 'titolare') {
    if (holderInput !== '') {
      problems.add('titolare_cf must be empty for a titolare', 'holder_not_allowed', 'titolare_cf');
    }
  } else if (role) {
    const holder = validateCodiceFiscale(holderInput);
    if (holderInput === '') {
      problems.add(`titolare_cf is required for a ${role}`, 'holder_required', 'titolare_cf', [role]);
    } else if (!holder.ok) {
      problems.add('titolare_cf is not a valid codice fiscale', 'holder_invalid', 'titolare_cf');
    } else if (cf.ok && holder.cf === cf.cf) {
      problems.add("titolare_cf is the member's own codice fiscale", 'holder_self', 'titolare_cf');
    } else holderCf = holder.cf;
  }

  const coverageStart = date(field(fields, columns, 'inizio_copertura'), 'inizio_copertura', problems);
  if (field(fields, columns, 'inizio_copertura') === '') {
    problems.add('inizio_copertura is empty', 'empty', 'inizio_copertura');
  }
  const coverageEnd = date(field(fields, columns, 'fine_copertura'), 'fine_copertura', problems);
  if (coverageStart && coverageEnd && coverageEnd < coverageStart) {
    problems.add('fine_copertura is before inizio_copertura', 'coverage_end_before_start', 'fine_copertura');
  }

  const cardInput = columns.numero_tessera >= 0 ? field(fields, columns, 'numero_tessera') : '';
  const cardNumber = cardInput === '' ? null : normalizeCardNumber(cardInput);
  if (cardNumber !== null && !isCardNumber(cardNumber)) {
    problems.add(
      'numero_tessera is not a valid card number (4 to 40 letters and digits)',
      'card_number_invalid',
      'numero_tessera',
    );
  }

  if (problems.length || !cf.ok || !role || !birthDate || !coverageStart) {
    return { ok: false, reasons: problems.reasons, problems: problems.list };
  }
  return {
    ok: true,
    row: {
      codiceFiscale: cf.cf,
      surname,
      givenName,
      birthDate,
      email,
      planCode,
      role,
      holderCf,
      coverageStart,
      coverageEnd,
      cardNumber,
    },
  };
}

/**
 * A parser error as a refusal of the file, without the parser's message (it may quote the data).
 * An unclosed quote is found at the end of the file: point at the line after the last good row.
 */
function fileErrorFrom(err: CsvError, nextLine: number, linesBefore: number): RegistryFileError {
  const runaway = err.code === 'CSV_QUOTE_NOT_CLOSED' || err.code === 'CSV_MAX_RECORD_SIZE';
  const line = runaway ? nextLine : typeof err.lines === 'number' ? linesBefore + err.lines : undefined;
  return new RegistryFileError(
    `the file is not valid CSV: ${csvProblem(err.code, MAX_RECORD_BYTES)}`,
    line,
    err.code === 'CSV_MAX_RECORD_SIZE' ? 'row_too_long' : 'quoting',
    [csvFileProblem(err.code, line, MAX_RECORD_BYTES)],
  );
}

/**
 * Reads a registry file as a stream: the header line picks the separator, each data row goes through
 * the row rules. Lines without quotes (nearly all of a registry) are split here, which is what
 * csv-parse would do with them at a fraction of the cost; from the first line with a quote, a stray
 * carriage return or an overlong line, csv-parse reads the rest of the file (and the whole file when
 * the header is quoted), with the same options and line numbers as always. Rows are yielded one at a
 * time, so memory does not grow with the file. Throws RegistryFileError when the file as a whole is
 * unusable (empty, wrong header, broken quoting).
 */
export async function* readRegistryCsv(input: Readable, today: string): AsyncGenerator<RegistryLine> {
  for await (const rows of readRegistryCsvBlocks(input, today)) yield* rows;
}

/**
 * readRegistryCsv, the rows of each block of the file at once (hundreds of rows): a million rows
 * cost a million fewer promises and microtasks than one row at a time.
 */
export async function* readRegistryCsvBlocks(
  input: Readable,
  today: string,
  onHeader?: (columns: RegistryColumns) => void,
): AsyncGenerator<RegistryLine[]> {
  try {
    yield* readRecords(input, today, onHeader);
  } finally {
    input.destroy();
  }
}

async function* readRecords(
  input: Readable,
  today: string,
  onHeader: ((columns: RegistryColumns) => void) | undefined,
): AsyncGenerator<RegistryLine[]> {
  const source = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: Buffer[] = [];
  let rawHeader: string | null = null;
  let headerEnd = 0;
  let exhausted = false;
  while (rawHeader === null) {
    const next = await source.next();
    if (next.done) {
      exhausted = true;
      rawHeader = Buffer.concat(head).toString('utf8');
      headerEnd = -1;
      break;
    }
    head.push(typeof next.value === 'string' ? Buffer.from(next.value) : next.value);
    const start = Buffer.concat(head);
    const newline = headerLineEnd(
      start,
      REGISTRY_COLUMNS,
      (message, line, kind, problems) => new RegistryFileError(message, line, kind, problems),
    );
    if (newline >= 0) {
      rawHeader = start.subarray(0, newline).toString('utf8');
      headerEnd = newline + 1;
    }
  }
  const headerLine = rawHeader.replace(/^\uFEFF/, '').replace(/\r$/, '');
  if (headerLine.trim() === '') {
    throw new RegistryFileError(
      `the file is empty or does not start with the header (${REGISTRY_COLUMNS.join(';')})`,
      1,
      'empty',
      [{ code: 'file_empty', params: { columns: REGISTRY_COLUMNS.join(';') } }],
    );
  }
  const delimiter = detectDelimiter(headerLine);
  const read = Buffer.concat(head);

  // A header with quotes (or a lone CR) is left to csv-parse, with the whole file.
  if (headerEnd < 0 || headerLine.includes('"') || headerLine.includes('\r')) {
    yield* readWithCsvParse(rest(read, source, exhausted), {
      delimiter,
      today,
      linesBefore: 0,
      lastRecordLine: 0,
      columns: null,
      onHeader,
    });
    return;
  }
  const crlf = rawHeader.endsWith('\r');
  const columns = parseHeader(headerLine.split(delimiter));
  onHeader?.(columns);
  let buffer: Buffer = read.subarray(headerEnd);
  let eof = exhausted;
  let line = 1;
  /** The line of the last record (what csv-parse would have reported last): the header so far. */
  let lastRecordLine = 1;
  for (;;) {
    const end = eof ? buffer.length : buffer.lastIndexOf(0x0a) + 1;
    if (end > 0) {
      const block = buffer.subarray(0, end);
      const lines = block.toString('utf8').split('\n');
      // A block ending with a newline splits into its lines and an empty string after the last.
      const count = block[end - 1] === 0x0a ? lines.length - 1 : lines.length;
      const quotes = block.indexOf(0x22) >= 0;
      const rows: RegistryLine[] = [];
      for (let i = 0; i < count; i++) {
        const last = eof && i === count - 1 && block[end - 1] !== 0x0a;
        const text = simpleLine(lines[i] as string, crlf, quotes, last);
        if (text === null) {
          if (rows.length) yield rows;
          // From this line on, csv-parse reads the rest of the file (quoted fields, odd line ends).
          const from = nthLineStart(block, i);
          yield* readWithCsvParse(rest(buffer.subarray(from), source, eof), {
            delimiter,
            today,
            linesBefore: line,
            lastRecordLine,
            columns,
            recordDelimiter: crlf ? '\r\n' : '\n',
          });
          return;
        }
        line++;
        if (text === '') continue;
        lastRecordLine = line;
        const record = text.split(delimiter);
        if (isBlank(record)) continue;
        rows.push({ line, result: parseRegistryRow(record, columns, today) });
      }
      if (rows.length) yield rows;
      buffer = buffer.subarray(end);
    }
    if (eof) return;
    if (buffer.length > MAX_RECORD_BYTES) {
      yield* readWithCsvParse(rest(buffer, source, false), {
        delimiter,
        today,
        linesBefore: line,
        lastRecordLine,
        columns,
        recordDelimiter: crlf ? '\r\n' : '\n',
      });
      return;
    }
    const next = await source.next();
    if (next.done) eof = true;
    else {
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    }
  }
}

/** Longest line (in characters) read without csv-parse: at 4 bytes a character, within MAX_RECORD_BYTES. */
const MAX_SIMPLE_LINE = MAX_RECORD_BYTES / 4;

/**
 * A line csv-parse would read as plain fields, without its record delimiter: no quote, no carriage
 * return other than that of a CRLF end, not too long. null: let csv-parse read it.
 */
function simpleLine(text: string, crlf: boolean, quotes: boolean, last: boolean): string | null {
  let body = text;
  if (crlf) {
    if (body.charCodeAt(body.length - 1) === 0x0d) body = body.slice(0, -1);
    else if (!last) return null; // a lone LF does not end a CRLF record
  }
  if (body.length > MAX_SIMPLE_LINE || body.includes('\r') || (quotes && body.includes('"'))) return null;
  return body;
}

/** Byte offset of line `n` (0-based) of a block. */
function nthLineStart(block: Buffer, n: number): number {
  let at = 0;
  for (let i = 0; i < n; i++) at = block.indexOf(0x0a, at) + 1;
  return at;
}

function isBlank(record: string[]): boolean {
  for (const f of record) if (f.trim() !== '') return false;
  return true;
}

async function* rest(
  first: Buffer,
  source: AsyncIterator<Buffer | string>,
  exhausted: boolean,
): AsyncGenerator<Buffer | string> {
  if (first.length) yield first;
  if (exhausted) return;
  for (let next = await source.next(); !next.done; next = await source.next()) yield next.value;
}

interface CsvParseOptions {
  delimiter: ';' | ',';
  today: string;
  /** Lines of the file before `chunks` (line numbers count from the start of the file). */
  linesBefore: number;
  /**
   * The line of the last record read before `chunks`: a quote left open is reported on the line
   * after it, as when csv-parse reads the whole file.
   */
  lastRecordLine: number;
  /** Known when the header was read already; else the first record is the header. */
  columns: RegistryColumns | null;
  /** The record delimiter of the header line; csv-parse detects it when reading from the start. */
  recordDelimiter?: string;
  /** Called with the columns when this reader reads the header. */
  onHeader?: ((columns: RegistryColumns) => void) | undefined;
}

/**
 * The general reader: csv-parse splits the rows (a leading BOM is dropped), quoted fields may hold
 * separators, quotes and newlines.
 */
async function* readWithCsvParse(
  chunks: AsyncIterable<Buffer | string>,
  options: CsvParseOptions,
): AsyncGenerator<RegistryLine[]> {
  const parser = parse({
    delimiter: options.delimiter,
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_BYTES,
    ...(options.recordDelimiter ? { record_delimiter: options.recordDelimiter } : {}),
  });
  // Errors reach the loop below through the parser; the promise only must not go unhandled.
  pipeline(Readable.from(chunks, { objectMode: false }), parser).catch(() => undefined);

  let columns = options.columns;
  const before = options.linesBefore;
  let lastLine = options.lastRecordLine;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      lastLine = before + info.lines;
      const line = lastLine - newlinesIn(record);
      if (!columns) {
        columns = parseHeader(record);
        options.onHeader?.(columns);
        continue;
      }
      // A row of empty fields (spreadsheets leave them at the end) is a blank line.
      if (isBlank(record)) continue;
      yield [{ line, result: parseRegistryRow(record, columns, options.today) }];
    }
  } catch (err) {
    if (err instanceof CsvError) throw fileErrorFrom(err, lastLine + 1, before);
    throw err;
  } finally {
    parser.destroy();
  }
}

/**
 * The report as the command line prints it: counts, plans created, then each rejected row and
 * warning by line number (never the row itself), then what happened to the database.
 */
export function formatImportReport(report: ImportReport, outcome: ImportOutcome): string[] {
  const plans = report.plansCreated.length
    ? [`${outcome === 'written' ? 'plans created' : 'plans to create'}: ${report.plansCreated.join(', ')}`]
    : [];
  const warnings = report.warnings.map(
    (w) => `warning: ${w.line === undefined ? '' : `line ${w.line}: `}${w.message}`,
  );
  if (report.warningsTotal > report.warnings.length) {
    warnings.push(`… and ${report.warningsTotal - report.warnings.length} more warnings not listed`);
  }
  return importReportLines(report, outcome, { afterCounts: plans, afterRejected: warnings });
}
