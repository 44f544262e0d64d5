import { describe, expect, it } from 'vitest';
import { facilitiesQuery } from '../network/facility-search';
import { estimateRows } from './registry-api';

describe('estimateRows', () => {
  it('counts the rows of a file read whole (the header is not a row)', () => {
    const text = 'a;b\n1;2\n3;4\n';
    expect(estimateRows(text, text.length, text.length)).toBe(2);
  });
  it('extrapolates from the beginning of a larger file', () => {
    const sample = 'a;b\n1;2\n3;4\n5;6\n';
    expect(estimateRows(sample, sample.length, sample.length * 10)).toBe(39);
  });
  it('cannot tell from a sample without rows', () => {
    expect(estimateRows('a;b', 3, 1000)).toBeNull();
  });
});

describe('facilitiesQuery', () => {
  it('sends the filters filled in, the province in capitals, the page and its size', () => {
    expect(facilitiesQuery({ service: '', province: 'mi', city: '', cap: '20121' }, 2)).toBe(
      'province=MI&cap=20121&page=2&pageSize=10',
    );
  });
});
