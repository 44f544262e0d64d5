import { composeIBAN } from 'ibantools';
import type { Db } from '../db/database.js';
import { type Clock, iso } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import {
  cityKey,
  type FacilityServiceTable,
  NetworkRepository,
  type NewFacility,
  REGIONS,
  type ServiceCode,
  TOWNS,
  type Town,
} from '../modules/network/index.js';

/**
 * The demo provider network: fictitious facilities in real towns (server/modules/network/towns.ts).
 * Everything but the town is made up and says so: the names ("Demo", "Esempio", "Fittizio"), the
 * streets ("Via Immaginaria", …), and the phone numbers, all of the fictitious form 0X 0000 XXXX.
 * The positions are the town centre moved by up to about 2 km. The same network every time: a
 * seeded generator, never Math.random.
 */

interface Kind {
  name: string;
  /** Services always offered, then some of the optional ones. */
  services: ServiceCode[];
  optional: ServiceCode[];
}

const KINDS = {
  centro: {
    name: 'Centro Medico Demo',
    services: ['visite_specialistiche', 'accertamenti_diagnostici'],
    optional: ['fisioterapia', 'ticket_ssn'],
  },
  poliambulatorio: {
    name: 'Poliambulatorio Esempio',
    services: ['visite_specialistiche', 'accertamenti_diagnostici', 'ticket_ssn'],
    optional: ['alta_diagnostica', 'fisioterapia'],
  },
  diagnostica: {
    name: 'Diagnostica per Immagini Fittizia',
    services: ['accertamenti_diagnostici', 'alta_diagnostica'],
    optional: ['ticket_ssn'],
  },
  dentista: { name: 'Studio Dentistico Fittizio', services: ['odontoiatria'], optional: [] },
  ottica: { name: 'Ottica Demo', services: ['lenti'], optional: [] },
  fisioterapia: {
    name: 'Centro Fisioterapico Esempio',
    services: ['fisioterapia'],
    optional: ['visite_specialistiche'],
  },
  casaDiCura: {
    name: 'Casa di Cura Fittizia',
    services: ['ricovero', 'visite_specialistiche', 'accertamenti_diagnostici', 'alta_diagnostica'],
    optional: ['fisioterapia'],
  },
} satisfies Record<string, Kind>;
type KindKey = keyof typeof KINDS;

/** Every town has a centro medico; bigger ones (listed first in their region) have more. */
function kindsFor(rank: number): KindKey[] {
  if (rank === 0) {
    return ['centro', 'poliambulatorio', 'diagnostica', 'dentista', 'ottica', 'fisioterapia', 'casaDiCura'];
  }
  if (rank < 3) return ['centro', 'poliambulatorio', 'dentista'];
  if (rank < 8) return ['centro', 'dentista'];
  return ['centro'];
}

const STREETS = [
  'Via Immaginaria',
  'Via della Prova',
  "Piazza dell'Esempio",
  'Viale Fittizio',
  'Via del Campione',
  'Corso della Demo',
  'Via Inventata',
  'Largo del Modello',
];

/** mulberry32: a small, fast, seeded generator; deterministic across runs and platforms. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface DemoFacility {
  code: string;
  name: string;
  address: string;
  town: Town;
  latitude: number;
  longitude: number;
  phone: string;
  services: ServiceCode[];
}

const KM_PER_DEGREE = 111.195;

/** The demo network, always the same (about 300 facilities over every town of the gazetteer). */
export function demoNetwork(): DemoFacility[] {
  const random = seeded(20261127);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const facilities: DemoFacility[] = [];
  for (const region of REGIONS) {
    const towns = TOWNS.filter((t) => t.region === region);
    towns.forEach((town, rank) => {
      const seen = new Map<KindKey, number>();
      for (const key of kindsFor(rank)) {
        const kind: Kind = KINDS[key];
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        // Up to ~2 km from the centre, uniformly over the disc.
        const km = 2 * Math.sqrt(random());
        const angle = 2 * Math.PI * random();
        const latitude = town.lat + (km * Math.cos(angle)) / KM_PER_DEGREE;
        const longitude =
          town.lon + (km * Math.sin(angle)) / (KM_PER_DEGREE * Math.cos((town.lat * Math.PI) / 180));
        const services = [...kind.services, ...kind.optional.filter(() => random() < 0.6)].sort();
        const prefix = 1 + Math.floor(random() * 9);
        const line = String(Math.floor(random() * 10_000)).padStart(4, '0');
        facilities.push({
          code: `DEMO-${town.province}-${String(facilities.length + 1).padStart(4, '0')}`,
          name: `${kind.name} ${town.name}${n > 1 ? ` ${n}` : ''}`,
          address: `${pick(STREETS)} ${1 + Math.floor(random() * 150)}`,
          town,
          latitude: Math.round(latitude * 1e6) / 1e6,
          longitude: Math.round(longitude * 1e6) / 1e6,
          phone: `0${prefix} 0000 ${line}`,
          services: [...new Set(services)],
        });
      }
    });
  }
  return facilities;
}

/**
 * A fictitious IBAN for demo facility `n` (valid check digits, the demo fund's bank code, account
 * 99…): the demo's direct claims are paid to it in the demo's SEPA files.
 */
export function demoFacilityIban(n: number): string {
  return (
    composeIBAN({ countryCode: 'IT', bban: `X0542811101${`99${String(n + 1).padStart(10, '0')}`}` }) ?? ''
  );
}

/**
 * Loads the demo network: inserts the facilities whose code is not there yet, with their
 * services. Returns how many it inserted (0 when the network was already loaded).
 */
export async function seedDemoNetwork(db: Db, clock: Clock): Promise<number> {
  const repository = new NetworkRepository();
  const now = clock.now();
  const at = iso(now);
  const all = demoNetwork();
  let inserted = 0;
  for (let i = 0; i < all.length; i += 200) {
    const chunk = all.slice(i, i + 200);
    const rows: NewFacility[] = chunk.map((f) => ({
      id: newId(now.getTime()),
      code: f.code,
      name: f.name,
      address: f.address,
      city: f.town.name,
      city_key: cityKey(f.town.name),
      province: f.town.province,
      cap: f.town.cap,
      latitude_e6: Math.round(f.latitude * 1_000_000),
      longitude_e6: Math.round(f.longitude * 1_000_000),
      phone: f.phone,
      iban: demoFacilityIban(i + chunk.indexOf(f)),
      created_at: at,
      updated_at: at,
    }));
    const ids = new Set(await repository.insertFacilities(db, rows));
    const pairs: FacilityServiceTable[] = [];
    rows.forEach((r, j) => {
      if (!ids.has(r.id)) return;
      for (const s of chunk[j]?.services ?? []) pairs.push({ facility_id: r.id, service_code: s });
    });
    await repository.replaceServices(db, [...ids], pairs);
    inserted += ids.size;
  }
  return inserted;
}
