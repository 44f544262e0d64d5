import { describe, expect, it } from 'vitest';
import { ImportRowLog } from './import-row-log.js';

/** Runs the log over batches of [cf, line, outcome] written and [cf, line] replaced. */
function summarize(
  batches: {
    written: [string, number, 'inserted' | 'updated' | 'unchanged'][];
    replaced?: [string, number][];
  }[],
) {
  const log = new ImportRowLog();
  try {
    for (const b of batches) {
      log.record(
        b.written.map((w) => w[0]),
        b.written.map((w) => w[1]),
        b.written.map((w) => w[2]),
        (b.replaced ?? []).map(([cf, line]) => ({ cf, line })),
      );
    }
    const repeats: [number, number][] = [];
    const summary = log.summarize((line, first) => repeats.push([line, first]));
    return { summary, repeats: repeats.sort((a, b) => a[0] - b[0]) };
  } finally {
    log.close();
  }
}

describe('the rows of an import, logged on disk', () => {
  it('[operator] counts one outcome per codice fiscale and no repeats in a file without any', () => {
    const { summary, repeats } = summarize([
      {
        written: [
          ['A', 2, 'inserted'],
          ['B', 3, 'updated'],
        ],
      },
      {
        written: [
          ['C', 4, 'unchanged'],
          ['D', 5, 'inserted'],
        ],
      },
    ]);
    expect(summary).toEqual({ inserted: 2, updated: 1, unchanged: 1, duplicates: 0 });
    expect(repeats).toEqual([]);
  });

  it('[operator] a repeated codice fiscale gives the line of its first row, within a batch or across batches', () => {
    const { summary, repeats } = summarize([
      {
        written: [
          ['A', 4, 'inserted'],
          ['B', 3, 'unchanged'],
        ],
        replaced: [['A', 2]],
      },
      {
        written: [
          ['A', 7, 'updated'],
          ['B', 9, 'unchanged'],
        ],
      },
    ]);
    expect(summary).toEqual({ inserted: 1, updated: 0, unchanged: 1, duplicates: 3 });
    expect(repeats).toEqual([
      [4, 2],
      [7, 2],
      [9, 3],
    ]);
  });

  it('[operator] a member first unchanged and updated by a later row counts as updated, once', () => {
    const { summary } = summarize([
      {
        written: [
          ['A', 2, 'unchanged'],
          ['B', 3, 'updated'],
        ],
      },
      {
        written: [
          ['A', 5, 'updated'],
          ['B', 6, 'updated'],
        ],
      },
      { written: [['A', 8, 'unchanged']] },
    ]);
    expect(summary).toEqual({ inserted: 0, updated: 2, unchanged: 0, duplicates: 3 });
  });

  it('[operator] stays exact over many rows (a hundred thousand, every tenth a repeat)', () => {
    const written: [string, number, 'inserted'][] = [];
    for (let line = 2; line < 100_002; line++) {
      const code = line % 10 === 0 ? `C${line - 5}` : `C${line}`;
      written.push([code, line, 'inserted']);
    }
    const { summary, repeats } = summarize(
      Array.from({ length: 20 }, (_, b) => ({ written: written.slice(b * 5_000, (b + 1) * 5_000) })),
    );
    expect(summary.duplicates).toBe(10_000);
    expect(summary.inserted).toBe(90_000);
    expect(repeats).toHaveLength(10_000);
    expect(repeats.every(([line, first]) => line % 10 === 0 && first === line - 5)).toBe(true);
  });
});
