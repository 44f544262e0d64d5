/** What every import reports, whatever it imports (registry, network). */
export interface ImportCounts {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejectedTotal: number;
  duplicates: number;
  /** The first rejected rows, by line. */
  rejected: { line: number; reason: string }[];
}

export type ImportOutcome = 'written' | 'dry-run' | 'refused';

/**
 * The lines the command line prints for an import: the counts, `afterCounts` (what only this kind
 * of import has), each rejected row by line number (never the row itself), `afterRejected`, then
 * what happened to the database.
 */
export function importReportLines(
  report: ImportCounts,
  outcome: ImportOutcome,
  extra: { afterCounts?: string[]; afterRejected?: string[] } = {},
): string[] {
  const lines = [
    `rows read: ${report.rowsRead}`,
    `inserted: ${report.inserted}`,
    `updated: ${report.updated}`,
    `unchanged: ${report.unchanged}`,
    `rejected: ${report.rejectedTotal}`,
    `duplicates: ${report.duplicates}`,
    ...(extra.afterCounts ?? []),
  ];
  for (const r of report.rejected) lines.push(`line ${r.line}: ${r.reason}`);
  if (report.rejectedTotal > report.rejected.length) {
    lines.push(`… and ${report.rejectedTotal - report.rejected.length} more rejected rows not listed`);
  }
  lines.push(...(extra.afterRejected ?? []));
  if (outcome === 'dry-run') lines.push('dry run: nothing was written');
  if (outcome === 'refused') {
    lines.push(
      `nothing was written: ${report.rejectedTotal} row(s) rejected; fix them and import the file again, ` +
        'or use --allow-errors to import the valid rows',
    );
  }
  return lines;
}
