import { describe, expect, it } from 'vitest';
import { DETAIL_CODE_LISTS } from '#contracts/details.codes.js';
import en from './en.json';
import itCatalogue from './it.json';

const fieldErrors: Record<string, Record<string, unknown>> = {
  it: itCatalogue.fieldErrors,
  en: en.fieldErrors,
};

function placeholders(value: unknown): string {
  if (typeof value !== 'string') return '(missing)';
  return [...value.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)]
    .map((m) => m[1] ?? '')
    .sort()
    .join(',');
}

describe('the wording of every detail code', () => {
  const rows = Object.entries(DETAIL_CODE_LISTS).flatMap(([list, codes]) =>
    codes.map((code) => [list, code] as const),
  );

  it('lists codes', () => {
    expect(rows.length).toBeGreaterThan(50);
  });

  it.each(Object.keys(fieldErrors))('every code of every list has fieldErrors.<code> in %s.json', (lng) => {
    const missing = rows
      .filter(([, code]) => typeof fieldErrors[lng]?.[code] !== 'string')
      .map(([list, code]) => `${list}: ${code}`);
    expect(missing).toEqual([]);
  });

  it('Italian and English name the same placeholders', () => {
    const mismatches = rows
      .filter(([, code]) => placeholders(fieldErrors.it?.[code]) !== placeholders(fieldErrors.en?.[code]))
      .map(([, code]) => code);
    expect(mismatches).toEqual([]);
  });
});
