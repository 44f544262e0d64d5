/**
 * One CSV cell, safe to open in a spreadsheet: quoted, quotes doubled, and a value that a
 * spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
 * prefixed with an apostrophe (OWASP "CSV injection").
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvLine(values: unknown[], separator = ';'): string {
  return `${values.map(csvCell).join(separator)}\r\n`;
}
