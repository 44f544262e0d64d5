/**
 * The header rules shared by our CSV importers (registry, network): the separator is `;` or `,`,
 * whichever the header line uses, and the header names exactly the expected columns, in any order.
 * Each importer passes its columns and how it reports a file-level error (line 1).
 */
import type { FileProblem, FileProblemKind } from '#contracts/imports.codes.js';

/**
 * Builds an importer's file-level error: the English message (the command line's), the line, what
 * the refusal is about and its coded reasons (the API's and the back office's, worded by the web).
 */
export type FileErrorFactory = (
  message: string,
  line: number,
  kind: FileProblemKind,
  problems: FileProblem[],
) => Error;

/**
 * Longest header line read, in bytes. Our headers take about 150; a first line longer than this is
 * not a header, and is refused without being read further or quoted.
 */
export const MAX_HEADER_BYTES = 4096;
/** Column names a refusal lists at most, and the characters kept of each. */
export const MAX_LISTED_NAMES = 20;
export const MAX_LISTED_NAME_CHARS = 40;

/**
 * Where the header line ends (the index of its `\n`) in the first bytes of a file, -1 when more
 * bytes are needed; refuses a first line longer than MAX_HEADER_BYTES.
 */
export function headerLineEnd(start: Buffer, columns: readonly string[], fail: FileErrorFactory): number {
  const newline = start.subarray(0, MAX_HEADER_BYTES + 1).indexOf(0x0a);
  if (newline >= 0 || start.length <= MAX_HEADER_BYTES) return newline;
  throw fail(
    `the first line is longer than ${MAX_HEADER_BYTES} bytes, so it is not the header (${columns.join(';')})`,
    1,
    'header',
    [
      { code: 'file_header', params: { line: 1, columns: columns.join(';') } },
      { code: 'file_header_too_long', params: { bytes: MAX_HEADER_BYTES } },
    ],
  );
}

/** One column name as a refusal quotes it: at most MAX_LISTED_NAME_CHARS characters. */
export function shownName(name: string): string {
  if (name === '') return '(empty)';
  const chars = [...name];
  return chars.length > MAX_LISTED_NAME_CHARS ? `${chars.slice(0, MAX_LISTED_NAME_CHARS).join('')}…` : name;
}

/**
 * One list of column names as a coded reason: the first MAX_LISTED_NAMES (each cut), and how many
 * more when some were left out (`file_columns_<which>_more`).
 */
export function namesProblem(
  which: 'missing' | 'unknown' | 'repeated',
  names: readonly string[],
): FileProblem {
  const shown = names.slice(0, MAX_LISTED_NAMES).map(shownName).join(', ');
  const more = names.length - Math.min(names.length, MAX_LISTED_NAMES);
  return more > 0
    ? { code: `file_columns_${which}_more`, params: { names: shown, more } }
    : { code: `file_columns_${which}`, params: { names: shown } };
}

/**
 * Column names for a refusal: the first MAX_LISTED_NAMES, each cut, then `andMore(n)` for the rest
 * ("…and 41 more"), so a crowded header never makes a long message.
 */
export function listNames(
  names: readonly string[],
  andMore: (count: number) => string = (count) => `…and ${count} more`,
): string {
  const shown = names.slice(0, MAX_LISTED_NAMES).map(shownName);
  const rest = names.length - shown.length;
  return [...shown, ...(rest > 0 ? [andMore(rest)] : [])].join(', ');
}

export function detectCsvDelimiter(
  headerLine: string,
  columns: readonly string[],
  fail: FileErrorFactory,
): ';' | ',' {
  const semicolons = headerLine.split(';').length - 1;
  const commas = headerLine.split(',').length - 1;
  if (semicolons === 0 && commas === 0) {
    throw fail(
      `the first line must be the header, with the columns separated by ; or , (${columns.join(';')})`,
      1,
      'separator',
      [{ code: 'file_separator', params: { line: 1, columns: columns.join(';') } }],
    );
  }
  return semicolons >= commas ? ';' : ',';
}

/**
 * Maps each column to its position; refuses unknown, missing or repeated columns. `optional`
 * columns may be left out: their position is then -1.
 */
export function parseCsvHeader<C extends string, O extends string = never>(
  fields: string[],
  columns: readonly C[],
  fail: FileErrorFactory,
  optional: readonly O[] = [],
): Record<C | O, number> {
  const names = fields.map((f) => f.trim().toLowerCase());
  const known = new Set<string>([...columns, ...optional]);
  const unknown = names.filter((n) => !known.has(n));
  const missing = columns.filter((c) => !names.includes(c));
  const repeated = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  const problems = [
    unknown.length ? `unknown column(s): ${listNames(unknown)}` : '',
    missing.length ? `missing column(s): ${listNames(missing)}` : '',
    repeated.length ? `repeated column(s): ${listNames(repeated)}` : '',
  ].filter(Boolean);
  if (problems.length) {
    const also = optional.length ? ` (and optionally ${optional.join(';')})` : '';
    throw fail(
      `the header must name exactly these columns, in any order: ${columns.join(';')}${also} — ${problems.join('; ')}`,
      1,
      'header',
      [
        { code: 'file_header', params: { line: 1, columns: columns.join(';') } },
        ...(missing.length ? [namesProblem('missing', missing)] : []),
        ...(unknown.length ? [namesProblem('unknown', unknown)] : []),
        ...(repeated.length ? [namesProblem('repeated', repeated)] : []),
      ],
    );
  }
  return Object.fromEntries([...columns, ...optional].map((c) => [c, names.indexOf(c)])) as Record<
    C | O,
    number
  >;
}

/** What a csv-parse error code means, for a file-level refusal (never csv-parse's message: it may quote the data). */
export function csvProblem(code: string, maxRecordBytes: number): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field starting on this line (or a later one) is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `a row starting on this line (or a later one) is longer than ${maxRecordBytes} bytes (is a quote left open?)`;
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'a closing quote is followed by other characters';
    default:
      return code;
  }
}

/**
 * A csv-parse error as a coded reason: a row too long, else broken quoting; `line` is where it
 * starts (1 when csv-parse does not say).
 */
export function csvFileProblem(code: string, line: number | undefined, maxRecordBytes: number): FileProblem {
  return code === 'CSV_MAX_RECORD_SIZE'
    ? { code: 'file_row_too_long', params: { line: line ?? 1, kb: Math.round(maxRecordBytes / 1024) } }
    : { code: 'file_quoting', params: { line: line ?? 1 } };
}

/** Line breaks inside the quoted fields of a record: its first line is the parser's line minus these. */
export function newlinesIn(fields: string[]): number {
  let n = 0;
  for (const f of fields) n += f.match(/\r\n|\r|\n/g)?.length ?? 0;
  return n;
}
