import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.js';
import { cityKey } from './network.table.js';
import { ITALY_BOUNDS, NETWORK_COLUMNS, parseDegrees, parseFacilityRow } from './network-import.js';
import { planSearch } from './network-search.service.js';
import { REGIONS, TOWNS, townForCap } from './towns.js';

function validationField(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') return err.details?.[0]?.field;
    throw err;
  }
  return undefined;
}

describe('search input', () => {
  it('normalises the filters', () => {
    expect(planSearch({ province: 'mi', city: " Reggio nell'Emilia ", service: 'lenti' }).filter).toEqual({
      province: 'MI',
      cityKey: 'reggio nell emilia',
      service: 'lenti',
    });
    expect(planSearch({ cap: '201' }).filter).toEqual({ capPrefix: '201' });
    expect(planSearch({}).page).toBe(1);
    expect(planSearch({}).pageSize).toBe(20);
  });

  it('turns a five-digit CAP into the point to measure from', () => {
    expect(planSearch({ cap: '00184' }).reference?.town?.name).toBe('Roma');
    expect(planSearch({ lat: 45, lon: 9 }).reference?.point).toEqual({ lat: 45, lon: 9 });
  });

  it('names the field that is wrong', () => {
    expect(validationField(() => planSearch({ cap: '99999' }))).toBe('cap');
    expect(validationField(() => planSearch({ cap: '2012a' }))).toBe('cap');
    expect(validationField(() => planSearch({ cap: '20121', lat: 45, lon: 9 }))).toBe('cap');
    expect(validationField(() => planSearch({ lat: 45 }))).toBe('lon');
    expect(validationField(() => planSearch({ lon: 9 }))).toBe('lat');
    expect(validationField(() => planSearch({ service: 'farmaci' }))).toBe('service');
    expect(validationField(() => planSearch({ province: 'MIL' }))).toBe('province');
    expect(validationField(() => planSearch({ pageSize: 51 }))).toBe('pageSize');
    expect(validationField(() => planSearch({ page: 0 }))).toBe('page');
  });
});

describe('gazetteer', () => {
  it('has at least 120 towns, every region, well-formed and inside Italy', () => {
    expect(TOWNS.length).toBeGreaterThanOrEqual(120);
    expect(new Set(TOWNS.map((t) => t.region))).toEqual(new Set(REGIONS));
    for (const t of TOWNS) {
      expect(t.cap, t.name).toMatch(/^\d{5}$/);
      expect(t.province, t.name).toMatch(/^[A-Z]{2}$/);
      expect(t.lat, t.name).toBeGreaterThan(ITALY_BOUNDS.minLat);
      expect(t.lat, t.name).toBeLessThan(ITALY_BOUNDS.maxLat);
      expect(t.lon, t.name).toBeGreaterThan(ITALY_BOUNDS.minLon);
      expect(t.lon, t.name).toBeLessThan(ITALY_BOUNDS.maxLon);
    }
    expect(new Set(TOWNS.map((t) => t.cap)).size).toBe(TOWNS.length);
    expect(new Set(TOWNS.map((t) => `${t.name}|${t.province}`)).size).toBe(TOWNS.length);
  });

  it('each province sigla belongs to one region, and towns sit near their province capital', () => {
    const regionOf = new Map<string, string>();
    for (const t of TOWNS) {
      expect(regionOf.get(t.province) ?? t.region, t.name).toBe(t.region);
      regionOf.set(t.province, t.region);
    }
  });

  it('finds a town by CAP, exactly or by the first three digits', () => {
    expect(townForCap('20121')?.name).toBe('Milano');
    expect(townForCap('20146')?.name).toBe('Milano');
    expect(townForCap('00199')?.name).toBe('Roma');
    expect(townForCap('09124')?.name).toBe('Cagliari');
    expect(townForCap('99999')).toBeUndefined();
    expect(townForCap('2012')).toBeUndefined();
  });
});

describe('network file rows', () => {
  const columns = Object.fromEntries(NETWORK_COLUMNS.map((c, i) => [c, i])) as Record<
    (typeof NETWORK_COLUMNS)[number],
    number
  >;
  const row = (overrides: Partial<Record<(typeof NETWORK_COLUMNS)[number], string>> = {}) =>
    NETWORK_COLUMNS.map(
      (c) =>
        overrides[c] ??
        {
          codice: 'abc-1',
          nome: 'Centro  Prova',
          indirizzo: 'Via Inventata 1',
          citta: 'Forlì',
          provincia: 'fc',
          cap: '47121',
          latitudine: '44,2227',
          longitudine: '12.0407',
          telefono: '0543 0000 0001',
          prestazioni: 'fisioterapia| Visite_Specialistiche |fisioterapia',
        }[c],
    );

  it('normalises a valid row', () => {
    expect(parseFacilityRow(row(), columns)).toEqual({
      ok: true,
      row: {
        code: 'ABC-1',
        name: 'Centro Prova',
        address: 'Via Inventata 1',
        city: 'Forlì',
        cityKey: 'forli',
        province: 'FC',
        cap: '47121',
        latitudeE6: 44_222_700,
        longitudeE6: 12_040_700,
        phone: '0543 0000 0001',
        services: ['fisioterapia', 'visite_specialistiche'],
      },
    });
  });

  it('lists every problem of a row, by column', () => {
    const result = parseFacilityRow(
      row({
        codice: '',
        cap: '4712',
        latitudine: '12.04',
        longitudine: 'est',
        prestazioni: '',
        telefono: 'x',
      }),
      columns,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reasons).toEqual([
      'codice is empty',
      'cap must be five digits',
      'latitudine is outside Italy (35 to 47.5; are latitude and longitude swapped?)',
      'longitudine is not a decimal number of degrees (e.g. 45.4642)',
      'telefono is not a phone number',
      expect.stringContaining('prestazioni is empty'),
    ]);
    // Beside each reason, its stable code and column (the back office words them in it/en).
    expect(result.problems).toEqual([
      { code: 'empty', column: 'codice' },
      { code: 'cap_invalid', column: 'cap' },
      { code: 'outside_italy', column: 'latitudine', values: ['35', '47.5'] },
      { code: 'not_decimal', column: 'longitudine' },
      { code: 'phone_invalid', column: 'telefono' },
      { code: 'services_empty', column: 'prestazioni' },
    ]);
  });

  it('names the unknown service codes and the field count as values', () => {
    const unknown = parseFacilityRow(row({ prestazioni: 'lenti|Massaggi|yoga|massaggi' }), columns);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.problems).toEqual([
        { code: 'services_unknown', column: 'prestazioni', values: ['massaggi', 'yoga'] },
      ]);
    }
    const short = parseFacilityRow(['a', 'b'], columns);
    expect(short.ok ? [] : short.problems).toEqual([{ code: 'field_count', values: ['10', '2'] }]);
  });

  it('reads degrees with a decimal point or comma, as integer micro-degrees', () => {
    expect(parseDegrees('45.4642')).toBe(45_464_200);
    expect(parseDegrees('9,19')).toBe(9_190_000);
    expect(parseDegrees('-3.5')).toBe(-3_500_000);
    expect(parseDegrees('12.4829')).toBe(12_482_900);
    expect(parseDegrees('45.46.1')).toBeNull();
    expect(parseDegrees('1e3')).toBeNull();
  });

  it('folds city names for the search', () => {
    expect(cityKey("L'Aquila")).toBe('l aquila');
    expect(cityKey('  CITTÀ di Castello ')).toBe('citta di castello');
  });
});
