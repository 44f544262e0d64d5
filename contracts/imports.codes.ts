/**
 * Why an uploaded CSV file (registry, network) is refused as a whole: no dependency, so the web app
 * imports them as they are. One refusal is one or more of these codes, in order (the header's code,
 * then the columns missing, not recognised, repeated); the web words each and joins them.
 *
 * Params: `file_empty` { columns }; `file_separator`, `file_header` { line, columns };
 * `file_header_too_long` { bytes }; `file_columns_*` { names } (the first names, each cut), and the
 * `_more` forms { names, more } when more were left out; `file_quoting` { line };
 * `file_row_too_long` { line, kb }.
 */
export const FILE_REFUSAL_CODES = [
  'upload_empty',
  'upload_interrupted',
  'file_empty',
  'file_separator',
  'file_header',
  'file_header_too_long',
  'file_columns_missing',
  'file_columns_missing_more',
  'file_columns_unknown',
  'file_columns_unknown_more',
  'file_columns_repeated',
  'file_columns_repeated_more',
  'file_quoting',
  'file_row_too_long',
] as const;
export type FileRefusalCode = (typeof FILE_REFUSAL_CODES)[number];

/** What a whole-file refusal is about: the first code of the refusal, without `file_`. */
export const FILE_PROBLEM_KINDS = ['empty', 'separator', 'header', 'quoting', 'row_too_long'] as const;
export type FileProblemKind = (typeof FILE_PROBLEM_KINDS)[number];

/** One coded reason, with the values its wording needs. */
export interface FileProblem {
  code: FileRefusalCode;
  params?: Record<string, string | number>;
}
