import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, NETWORK_ERROR } from '../lib/api';
import en from './en.json';
import itCatalogue from './it.json';

type Catalogue = { [key: string]: string | Catalogue };

const catalogues: Record<string, Catalogue> = { it: itCatalogue, en };

function isCatalogue(value: unknown): value is Catalogue {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every leaf as `a.b.c` → value (kept as unknown so wrong types are reported, not hidden). */
function flatten(node: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!isCatalogue(node)) return out;
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isCatalogue(value)) for (const [k, v] of flatten(value, path)) out.set(k, v);
    else out.set(path, value);
  }
  return out;
}

/** Group keys (objects) too, so a key that is a string in one file and an object in the other is caught. */
function groups(node: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  if (!isCatalogue(node)) return out;
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isCatalogue(value)) {
      out.add(path);
      for (const g of groups(value, path)) out.add(g);
    }
  }
  return out;
}

function placeholders(value: string): string[] {
  return [...value.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

const flat = Object.fromEntries(Object.entries(catalogues).map(([lng, c]) => [lng, flatten(c)]));
const languages = Object.keys(catalogues);

describe('translation catalogues', () => {
  it.each(languages.flatMap((a) => languages.filter((b) => b !== a).map((b) => [a, b])))(
    'every key in %s exists in %s',
    (from, to) => {
      const missing = [...(flat[from]?.keys() ?? [])].filter((key) => !flat[to]?.has(key));
      const missingGroups = [...groups(catalogues[from])].filter((g) => !groups(catalogues[to]).has(g));
      expect(missing, `keys of ${from}.json missing in ${to}.json`).toEqual([]);
      expect(missingGroups, `groups of ${from}.json missing in ${to}.json`).toEqual([]);
    },
  );

  it.each(languages)('every value in %s.json is a non-empty string', (lng) => {
    const bad = [...(flat[lng] ?? new Map<string, unknown>())]
      .filter(([, value]) => typeof value !== 'string' || value.trim() === '')
      .map(([key]) => key);
    expect(bad).toEqual([]);
  });

  it('interpolation placeholders match between languages', () => {
    const [first, ...others] = languages;
    const reference = flat[first ?? ''] ?? new Map<string, unknown>();
    const mismatches: string[] = [];
    for (const [key, value] of reference) {
      if (typeof value !== 'string') continue;
      for (const lng of others) {
        const other = flat[lng]?.get(key);
        if (typeof other !== 'string') continue;
        const a = placeholders(value).join(',');
        const b = placeholders(other).join(',');
        if (a !== b) mismatches.push(`${key}: ${first} {${a}} vs ${lng} {${b}}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it.each(languages)('%s.json has a text for every API error code and the network error', (lng) => {
    const missing = [...API_ERROR_CODES, NETWORK_ERROR].filter((code) => !flat[lng]?.has(`errors.${code}`));
    expect(missing).toEqual([]);
  });
});
