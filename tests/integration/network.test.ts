import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { seedDemoNetwork } from '../../server/demo/network.js';
import { ManualClock } from '../../server/lib/clock.js';
import { newId } from '../../server/lib/ids.js';
import { haversineKm } from '../../server/modules/network/geo.js';
import { NetworkFileError } from '../../server/modules/network/network-import.js';
import { importNetwork } from '../../server/modules/network/network-import-apply.js';
import { REGIONS, TOWNS } from '../../server/modules/network/towns.js';
import { type TestApp, testConfig } from '../helpers/build-app.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';
import { createTestDatabase } from '../helpers/test-db.js';

const FIXTURE = join(process.cwd(), 'tests', 'fixtures', 'network', 'facilities.csv');
const HEADER = 'codice;nome;indirizzo;citta;provincia;cap;latitudine;longitudine;telefono;prestazioni';

interface Item {
  id: string;
  name: string;
  city: string;
  province: string;
  cap: string;
  phone: string | null;
  latitude: number;
  longitude: number;
  services: string[];
  distanceKm?: number;
}
interface Page {
  items: Item[];
  total: number;
  page: number;
  pageSize: number;
  reference?: { latitude: number; longitude: number; town?: string; cap?: string };
}

/**
 * The test app, with the network module registered here when server/app.ts does not register it
 * (yet): the module is then tested exactly as the app would mount it.
 */
async function networkTestApp(clock: ManualClock): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = testConfig();
  const app = await buildApp({ config, database: db.handle, startWorker: false, clock });
  await app.ready();
  return {
    app,
    db,
    config,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

describe('provider network', () => {
  let t: TestApp;
  let cookie: string;
  const clock = new ManualClock('2026-11-27T10:00:00.000Z');
  const tables = () => t.app.db;
  const search = async (query: string, headers: Record<string, string> = { cookie }) =>
    t.app.inject({ method: 'GET', url: `/api/v1/network/facilities?${query}`, headers });
  const page = async (query: string): Promise<Page> => {
    const res = await search(query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };
  const csv = (...rows: string[]) => Readable.from([`${[HEADER, ...rows].join('\n')}\n`]);

  beforeAll(async () => {
    t = await networkTestApp(clock);
    // A member with a live session (the login flow itself is tested in login.test.ts).
    const person = await createRegistryMember(t.app, await createPlan(t.app));
    const accountId = newId();
    await t.app.db
      .insertInto('member_accounts')
      .values({
        id: accountId,
        registry_member_id: person.id,
        username: `rete.${accountId.slice(-6)}`,
        email: person.email ?? 'rete@example.test',
        locale: 'it',
        password_hash: 'not-used-here',
        must_change_password: 0,
        temp_password_expires_at: null,
        password_changed_at: clock.now().toISOString(),
        failed_logins: 0,
        password_locked_at: null,
        created_at: clock.now().toISOString(),
      })
      .execute();
    const { token } = await t.app.sessions.create('member', accountId);
    cookie = `onecare_session=${token}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('import', () => {
    it('[operator] imports the fixture: valid rows upserted, bad rows reported by line with reasons', async () => {
      const report = await importNetwork(t.app.db, createReadStream(FIXTURE), { clock });
      expect(report).toMatchObject({ rowsRead: 14, inserted: 8, updated: 0, unchanged: 0, duplicates: 1 });
      expect(report.rejectedTotal).toBe(5);
      const reasons = Object.fromEntries(report.rejected.map((r) => [r.line, r.reason]));
      expect(Object.keys(reasons).map(Number)).toEqual([6, 9, 11, 13, 14]);
      expect(reasons[6]).toContain('codice is empty');
      expect(reasons[9]).toContain('provincia must be the two-letter sigla');
      expect(reasons[9]).toContain('cap must be five digits');
      expect(reasons[11]).toContain('latitudine is outside Italy');
      expect(reasons[13]).toContain('prestazioni has unknown service code(s): massaggi');
      expect(reasons[14]).toContain('expected 10 fields, found 8');

      const rome = await tables()
        .selectFrom('facilities')
        .selectAll()
        .where('code', '=', 'T-RM-01')
        .executeTakeFirstOrThrow();
      // Decimal commas, a quoted address with a comma, a lower-case sigla: all normalised.
      expect(rome).toMatchObject({
        address: 'Via Immaginaria, 7',
        province: 'RM',
        latitude_e6: 41_893_300,
        longitude_e6: 12_482_900,
      });
      // The later row of a repeated codice wins, services included.
      const pavia = await page('city=Pavia');
      expect(pavia.items[0]?.services).toEqual(['lenti', 'odontoiatria']);
    });

    it('[operator] importing the same file again changes nothing; a changed row replaces the services', async () => {
      const again = await importNetwork(t.app.db, createReadStream(FIXTURE), { clock, dryRun: true });
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 8 });
      const change = await importNetwork(
        t.app.db,
        csv(
          'T-BG-01;Centro Prova Bergamo;Via Inventata 4;Bergamo;BG;24121;45.6983;9.6773;035 0000 0004;visite_specialistiche|ticket_ssn',
        ),
        { clock },
      );
      expect(change).toMatchObject({ rowsRead: 1, inserted: 0, updated: 1, rejectedTotal: 0 });
      const bergamo = await page('city=bergamo');
      expect(bergamo.items[0]).toMatchObject({
        phone: '035 0000 0004',
        services: ['ticket_ssn', 'visite_specialistiche'],
      });
      expect(await tables().selectFrom('facilities').select('id').execute()).toHaveLength(8);
    });

    it('[operator] a file with a wrong header is refused as a whole', async () => {
      await expect(
        importNetwork(t.app.db, Readable.from(['codice;nome;citta\nX;Y;Z\n']), { clock }),
      ).rejects.toThrow(NetworkFileError);
    });
  });

  describe('search', () => {
    it('[member] searches by service and province, sorted by name', async () => {
      const res = await page('service=visite_specialistiche&province=mi');
      expect(res.total).toBe(2);
      expect(res.items.map((i) => i.name)).toEqual([
        'Centro Prova Duomo',
        'Poliambulatorio Prova Città Studi',
      ]);
      expect(res.items[0]).toMatchObject({
        city: 'Milano',
        cap: '20121',
        latitude: 45.4642,
        longitude: 9.19,
        services: ['accertamenti_diagnostici', 'visite_specialistiche'],
      });
      expect(res.items[0]?.distanceKm).toBeUndefined();
      expect((await page('service=odontoiatria&province=MI')).total).toBe(0);
    });

    it('[member] searches by city (accents and case ignored) and by the first digits of the CAP', async () => {
      expect((await page('city=FORLI')).items.map((i) => i.name)).toEqual(['Centro Prova Forlì']);
      expect((await page('cap=201')).items.map((i) => i.cap)).toEqual(['20121', '20133']);
      expect((await page('cap=20&service=odontoiatria')).items.map((i) => i.name)).toEqual([
        'Centro Prova Monza',
      ]);
    });

    it('[member] sorts by distance from a CAP: nearest first, in increasing order', async () => {
      const res = await page('cap=20121&pageSize=50');
      expect(res.total).toBe(8);
      expect(res.reference).toMatchObject({ town: 'Milano', cap: '20121' });
      expect(res.items[0]).toMatchObject({ name: 'Centro Prova Duomo', distanceKm: 0 });
      expect(res.items[1]?.name).toBe('Poliambulatorio Prova Città Studi');
      const km = res.items.map((i) => i.distanceKm as number);
      expect(km).toEqual([...km].sort((a, b) => a - b));
      expect(res.items.at(-1)?.name).toBe('Centro Prova Napoli');
      // Milano Duomo to Roma, about 477 km as the crow flies.
      expect(res.items.find((i) => i.city === 'Roma')?.distanceKm).toBeCloseTo(477, -1);
    });

    it('[member] a CAP of a town not in the gazetteer falls back to a town of its area', async () => {
      const res = await page('cap=20145&service=visite_specialistiche');
      expect(res.reference?.town).toBe('Milano');
      expect(res.items[0]?.name).toBe('Centro Prova Duomo');
    });

    it('[member] sorts by distance from a point; filters combine with it', async () => {
      const all = await page('lat=40.9&lon=14.3&pageSize=50');
      const brute = all.items
        .map((i) => ({
          name: i.name,
          km: haversineKm({ lat: 40.9, lon: 14.3 }, { lat: i.latitude, lon: i.longitude }),
        }))
        .sort((a, b) => a.km - b.km)
        .map((i) => i.name);
      expect(all.items.map((i) => i.name)).toEqual(brute);
      expect(all.items[0]?.name).toBe('Centro Prova Napoli');
      const dentists = await page('lat=45.6&lon=9.3&service=odontoiatria');
      expect(dentists.items.map((i) => i.name)).toEqual(['Centro Prova Monza', 'Studio Prova Pavia']);
    });

    it('[member] pages through the results, with the total', async () => {
      const whole = (await page('cap=80133&pageSize=50')).items.map((i) => i.id);
      const first = await page('cap=80133&pageSize=3&page=1');
      const second = await page('cap=80133&pageSize=3&page=2');
      const third = await page('cap=80133&pageSize=3&page=3');
      expect([first, second, third].map((p) => p.total)).toEqual([8, 8, 8]);
      expect([...first.items, ...second.items, ...third.items].map((i) => i.id)).toEqual(whole);
      expect(third.items).toHaveLength(2);
      expect((await page('cap=80133&pageSize=3&page=4')).items).toEqual([]);
      const byName = await page('pageSize=5&page=2');
      expect(byName.items.map((i) => i.name)).toEqual([
        'Centro Prova Roma',
        'Poliambulatorio Prova Città Studi',
        'Studio Prova Pavia',
      ]);
      expect((await search('pageSize=51')).statusCode).toBe(400);
    });

    it('[member] an unknown CAP, a half point or a bad service answers 400 naming the field', async () => {
      const unknown = await search('cap=99999');
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json()).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: [{ field: 'cap', code: 'cap_unknown' }] },
      });
      const half = await search('lat=45.1');
      expect(half.statusCode).toBe(400);
      expect(half.json().error.details[0].field).toBe('lon');
      const service = await search('service=massaggi');
      expect(service.statusCode).toBe(400);
      expect(service.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('[visitor] the search needs a member session (401); the service list is public', async () => {
      const anonymous = await search('province=MI', {});
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
      const staffRoute = await t.app.inject({
        method: 'GET',
        url: '/api/v1/staff/network/facilities',
        headers: { cookie },
      });
      expect(staffRoute.statusCode).toBe(401);
      const services = await t.app.inject({ method: 'GET', url: '/api/v1/network/services' });
      expect(services.statusCode).toBe(200);
      const list = services.json().services as { code: string; labels: { it: string; en: string } }[];
      expect(list.map((s) => s.code)).toEqual([
        'visite_specialistiche',
        'accertamenti_diagnostici',
        'alta_diagnostica',
        'fisioterapia',
        'odontoiatria',
        'lenti',
        'ticket_ssn',
        'ricovero',
      ]);
      expect(list[0]?.labels).toEqual({ it: 'Visite specialistiche', en: 'Specialist visits' });
    });

    it('[booking desk] staff search the network with the same query', async () => {
      const { secret } = await enrolledStaff(t.app, clock, 'rete.sportello', 'booking_desk');
      clock.advance(60_000);
      const login = await staffLogin(t.app, 'rete.sportello', totpCode(secret, clock.now()));
      expect(login.statusCode, login.body).toBe(200);
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/staff/network/facilities?cap=20121&pageSize=2',
        headers: { cookie: staffCookie(login) },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json() as Page).items.map((i) => i.name)).toEqual([
        'Centro Prova Duomo',
        'Poliambulatorio Prova Città Studi',
      ]);
    });
  });

  describe('demo network', () => {
    it('[demo] loads at least 200 fictitious facilities over every region, once', async () => {
      const inserted = await seedDemoNetwork(t.app.db, clock);
      expect(inserted).toBeGreaterThanOrEqual(200);
      expect(await seedDemoNetwork(t.app.db, clock)).toBe(0);
      const rows = await tables()
        .selectFrom('facilities')
        .select(['province', 'name', 'phone', 'latitude_e6', 'longitude_e6', 'city'])
        .where('code', 'like', 'DEMO-%')
        .execute();
      expect(rows).toHaveLength(inserted);
      const provinces = new Set(rows.map((r) => r.province));
      expect(provinces.size).toBeGreaterThanOrEqual(20);
      const regionOf = new Map(TOWNS.map((town) => [town.province, town.region]));
      expect(new Set(rows.map((r) => regionOf.get(r.province)))).toEqual(new Set(REGIONS));
      for (const r of rows) {
        expect(r.name).toMatch(/Demo|Esempio|Fittizi[oa]/);
        expect(r.phone).toMatch(/^0[1-9] 0000 \d{4}$/);
        const town = TOWNS.find((x) => x.name === r.city);
        const km = haversineKm(
          { lat: town?.lat ?? 0, lon: town?.lon ?? 0 },
          { lat: r.latitude_e6 / 1e6, lon: r.longitude_e6 / 1e6 },
        );
        expect(km).toBeLessThanOrEqual(2.01);
      }
      const services = await tables().selectFrom('facility_services').select('service_code').execute();
      expect(new Set(services.map((s) => s.service_code)).size).toBe(8);
      // The demo network is searchable: the nearest to Bologna's centre is in Bologna.
      const near = await page('cap=40121&service=ricovero&pageSize=1');
      expect(near.items[0]).toMatchObject({ city: 'Bologna', province: 'BO' });
    });
  });
});
