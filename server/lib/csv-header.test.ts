import { describe, expect, it } from 'vitest';
import {
  headerLineEnd,
  listNames,
  MAX_HEADER_BYTES,
  MAX_LISTED_NAME_CHARS,
  MAX_LISTED_NAMES,
  parseCsvHeader,
} from './csv-header.js';

describe('header refusals stay short', () => {
  const fail = (message: string, line: number) => new Error(`line ${line}: ${message}`);

  it('lists at most 20 names, each cut to 40 characters, then how many more', () => {
    const names = Array.from({ length: 25 }, (_, i) => `${'n'.repeat(50)}${i}`);
    const text = listNames(names);
    expect(text.split(', ')).toHaveLength(MAX_LISTED_NAMES + 1);
    expect(text).toContain(`${'n'.repeat(MAX_LISTED_NAME_CHARS)}…`);
    expect(text).not.toContain('n'.repeat(MAX_LISTED_NAME_CHARS + 1));
    expect(text.endsWith('…and 5 more')).toBe(true);
    expect(listNames(['a', ''])).toBe('a, (empty)');
  });

  it('a header naming thousands of unknown columns gives a message of bounded length', () => {
    const fields = ['codice', ...Array.from({ length: 5_000 }, (_, i) => `sconosciuta_${i}`)];
    expect(() => parseCsvHeader(fields, ['codice', 'nome'], fail)).toThrow(/and 4980 more/);
    try {
      parseCsvHeader(fields, ['codice', 'nome'], fail);
    } catch (err) {
      expect((err as Error).message.length).toBeLessThan(1_000);
    }
  });

  it('the header line ends within MAX_HEADER_BYTES or the file is refused', () => {
    expect(headerLineEnd(Buffer.from('a;b\nx;y\n'), ['a', 'b'], fail)).toBe(3);
    expect(headerLineEnd(Buffer.from('a;b'), ['a', 'b'], fail)).toBe(-1);
    const long = Buffer.from(`${'a;'.repeat(MAX_HEADER_BYTES)}\nx\n`);
    expect(() => headerLineEnd(long, ['a', 'b'], fail)).toThrow(/line 1: the first line is longer than/);
    expect(() => headerLineEnd(Buffer.alloc(MAX_HEADER_BYTES + 1, 0x61), ['a'], fail)).toThrow(/line 1/);
  });
});
