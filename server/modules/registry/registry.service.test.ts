import { describe, expect, it } from 'vitest';
import { generateCodiceFiscale } from '../members/index.js';
import { CfIndex } from './registry.service.js';

const cf = (i: number) =>
  generateCodiceFiscale({
    surname: `Ro${'BCDFGLMNPRSTVZ'[i % 14]}si`,
    name: `Ma${'BCDFGLMNPRSTVZ'[Math.floor(i / 14) % 14]}co`,
    birthDate: `19${50 + (Math.floor(i / 196) % 50)}-${String(1 + (Math.floor(i / 9800) % 12)).padStart(2, '0')}-01`,
    sex: 'M',
    placeCode: `H${String(Math.floor(i / 117600) % 1000).padStart(3, '0')}`,
    omocodia: i % 3,
  });

describe('codici fiscali seen in a file', () => {
  it('[operator] a repeated codice fiscale gives the line of its first row, a new one nothing', () => {
    const index = new CfIndex();
    expect(index.addOrGet(cf(1), 2)).toBeUndefined();
    expect(index.addOrGet(cf(2), 3)).toBeUndefined();
    expect(index.addOrGet(cf(1), 7)).toBe(2);
    expect(index.addOrGet(cf(2), 9)).toBe(3);
  });

  it('[operator] stays exact as it grows (tens of thousands of codes, omocodia included)', () => {
    const index = new CfIndex();
    const codes = Array.from({ length: 30_000 }, (_, i) => cf(i));
    expect(new Set(codes).size).toBe(codes.length);
    codes.forEach((c, i) => {
      expect(index.addOrGet(c, i + 2)).toBeUndefined();
    });
    codes.forEach((c, i) => {
      expect(index.addOrGet(c, 0)).toBe(i + 2);
    });
  });

  it('[operator] keeps the "counted as unchanged" mark of each code', () => {
    const index = new CfIndex();
    index.addOrGet(cf(5), 2);
    index.addOrGet(cf(6), 3);
    expect(index.setUnchanged(cf(5), true)).toBe(false);
    expect(index.setUnchanged(cf(6), false)).toBe(false);
    expect(index.setUnchanged(cf(5), false)).toBe(true);
    expect(index.setUnchanged(cf(5), false)).toBe(false);
    expect(index.setUnchanged(cf(7), false)).toBe(false);
  });
});
