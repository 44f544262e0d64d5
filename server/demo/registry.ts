import type { Db, Dialect } from '../db/database.js';
import { type Clock, iso } from '../lib/clock.js';
import { newId } from '../lib/ids.js';
import { normalizeCardNumber } from '../lib/text.js';
import { generateCodiceFiscale } from '../modules/members/index.js';
import { DEMO_PLAN_RULES, insertDefaultPlanVersion } from '../modules/plans/index.js';
import { type NewRegistryMember, RegistryRepository, type RegistryRole } from '../modules/registry/index.js';

/** The demo plan. Everything here is fictitious: names, codici fiscali, addresses. */
export const DEMO_PLAN = { code: 'ONECARE-DEMO', name: 'Piano Sanitario Demo (fittizio)' } as const;

export interface DemoMember {
  /** A stable handle for tests and docs, e.g. demoMember('mario'). */
  key: string;
  codiceFiscale: string;
  surname: string;
  givenName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F';
  email: string | null;
  /** The card number (numero di tessera), as printed on the card. */
  cardNumber?: string;
  role: RegistryRole;
  /** The titolare's key, for dependants. */
  holderKey: string | null;
  coverageStart: string;
  /** Coverage ended on 31 December of the year before the demo data were loaded. */
  coverageEndedLastYear: boolean;
  note: string;
}

type Seed = Omit<DemoMember, 'codiceFiscale' | 'coverageEndedLastYear'> & {
  placeCode: string;
  omocodia?: number;
  coverageEndedLastYear?: boolean;
};

const SEEDS: Seed[] = [
  // Family Demo: titolare, coniuge, two children (the younger one has no email of her own).
  {
    key: 'mario',
    surname: 'Demo',
    givenName: 'Mario',
    birthDate: '1975-03-14',
    sex: 'M',
    placeCode: 'H501',
    email: 'mario.demo@example.test',
    role: 'titolare',
    holderKey: null,
    coverageStart: '2024-01-01',
    note: 'titolare of the Demo family',
  },
  {
    key: 'giulia',
    surname: 'Prova',
    givenName: 'Giulia',
    birthDate: '1978-07-22',
    sex: 'F',
    placeCode: 'H501',
    email: 'giulia.prova@example.test',
    role: 'coniuge',
    holderKey: 'mario',
    coverageStart: '2024-01-01',
    note: "Mario Demo's spouse",
  },
  {
    key: 'luca',
    surname: 'Demo',
    givenName: 'Luca',
    birthDate: '2006-11-05',
    sex: 'M',
    placeCode: 'H501',
    email: 'luca.demo@example.test',
    role: 'figlio',
    holderKey: 'mario',
    coverageStart: '2024-01-01',
    note: "Mario Demo's son, adult",
  },
  {
    key: 'sofia',
    surname: 'Demo',
    givenName: 'Sofia',
    birthDate: '2012-02-29',
    sex: 'F',
    placeCode: 'H501',
    email: null,
    role: 'figlio',
    holderKey: 'mario',
    coverageStart: '2024-01-01',
    note: "Mario Demo's daughter, minor, no email on file",
  },
  // Family Esempio: titolare, coniuge, one child.
  {
    key: 'anna',
    surname: 'Esempio',
    givenName: 'Anna',
    birthDate: '1969-12-01',
    sex: 'F',
    placeCode: 'F205',
    email: 'anna.esempio@example.test',
    role: 'titolare',
    holderKey: null,
    coverageStart: '2025-01-01',
    note: 'titolare of the Esempio family',
  },
  {
    key: 'paolo',
    surname: 'Campione',
    givenName: 'Paolo',
    birthDate: '1967-05-30',
    sex: 'M',
    placeCode: 'F205',
    email: 'paolo.campione@example.test',
    role: 'coniuge',
    holderKey: 'anna',
    coverageStart: '2025-01-01',
    note: "Anna Esempio's spouse",
  },
  {
    key: 'marco',
    surname: 'Esempio',
    givenName: 'Marco',
    birthDate: '2001-09-17',
    sex: 'M',
    placeCode: 'F205',
    email: 'marco.esempio@example.test',
    role: 'figlio',
    holderKey: 'anna',
    coverageStart: '2025-01-01',
    note: "Anna Esempio's son",
  },
  // Single members.
  {
    key: 'chiara',
    surname: 'Fittizia',
    givenName: 'Chiara',
    birthDate: '1990-04-10',
    sex: 'F',
    placeCode: 'A944',
    email: null,
    cardNumber: 'OC-2406-1990',
    role: 'titolare',
    holderKey: null,
    coverageStart: '2024-06-01',
    note: 'no email on file: registers with her card number',
  },
  {
    key: 'nadia',
    surname: 'Prova',
    givenName: 'Nadia',
    birthDate: '1972-06-15',
    sex: 'F',
    placeCode: 'F205',
    email: null,
    role: 'titolare',
    holderKey: null,
    coverageStart: '2025-01-01',
    note: 'neither email nor card number on file: the back office confirms her registration',
  },
  {
    key: 'giorgio',
    surname: 'Prova',
    givenName: 'Giorgio',
    birthDate: '1958-01-25',
    sex: 'M',
    placeCode: 'L219',
    email: 'giorgio.prova@example.test',
    role: 'titolare',
    holderKey: null,
    coverageStart: '2020-01-01',
    coverageEndedLastYear: true,
    note: 'coverage ended on 31 December last year',
  },
  {
    key: 'elena',
    surname: 'Demo',
    givenName: 'Elena',
    birthDate: '1985-08-08',
    sex: 'F',
    placeCode: 'G273',
    email: 'elena.demo@example.test',
    role: 'titolare',
    holderKey: null,
    coverageStart: '2024-01-01',
    note: 'titolare, no dependants',
  },
  {
    key: 'roberto',
    surname: 'Campione',
    givenName: 'Roberto',
    birthDate: '1980-10-02',
    sex: 'M',
    placeCode: 'F839',
    omocodia: 1,
    email: 'roberto.campione@example.test',
    role: 'titolare',
    holderKey: null,
    coverageStart: '2024-01-01',
    note: 'omocodic codice fiscale (a letter in place of the last digit of the place code)',
  },
  {
    key: 'laura',
    surname: "D'Esempio",
    givenName: 'Laura Maria',
    birthDate: '1999-10-12',
    sex: 'F',
    placeCode: 'D612',
    email: 'laura.desempio@example.test',
    role: 'titolare',
    holderKey: null,
    coverageStart: '2025-03-01',
    note: 'apostrophe in the surname, two given names',
  },
];

/** The demo registry: 13 fictitious people in two families and six single members. */
export const DEMO_MEMBERS: readonly DemoMember[] = SEEDS.map(({ placeCode, omocodia, ...m }) => ({
  ...m,
  coverageEndedLastYear: m.coverageEndedLastYear === true,
  codiceFiscale: generateCodiceFiscale({
    surname: m.surname,
    name: m.givenName,
    birthDate: m.birthDate,
    sex: m.sex,
    placeCode,
    ...(omocodia ? { omocodia } : {}),
  }),
}));

export function demoMember(key: string): DemoMember {
  const member = DEMO_MEMBERS.find((m) => m.key === key);
  if (!member) throw new Error(`no demo member "${key}"`);
  return member;
}

/** Coverage end of a demo member, relative to the day the demo data are loaded. */
export function demoCoverageEnd(member: DemoMember, today: Date): string | null {
  return member.coverageEndedLastYear ? `${today.getUTCFullYear() - 1}-12-31` : null;
}

/** Loads the demo plan and registry (inside the demo seed's transaction). */
export async function seedDemoRegistry(db: Db, dialect: Dialect, clock: Clock): Promise<void> {
  const repository = new RegistryRepository(dialect);
  const now = clock.now();
  const at = iso(now);
  const created = await repository.insertPlanIfMissing(db, {
    id: newId(now.getTime()),
    code: DEMO_PLAN.code,
    name: DEMO_PLAN.name,
    created_at: at,
  });
  const [plan] = await repository.findPlansByCodes(db, [DEMO_PLAN.code]);
  if (!plan) throw new Error('demo plan missing');
  // The demo plan decides simple claims straight through (off by default for other plans).
  if (created)
    await insertDefaultPlanVersion(db, plan.id, now, {
      ...DEMO_PLAN_RULES,
      autoDecision: { enabled: true, maxTotalCents: 30_000 },
    });
  const rows: NewRegistryMember[] = DEMO_MEMBERS.map((m) => ({
    id: newId(now.getTime()),
    codice_fiscale: m.codiceFiscale,
    surname: m.surname,
    given_name: m.givenName,
    birth_date: m.birthDate,
    email: m.email,
    plan_id: plan.id,
    role: m.role,
    holder_cf: m.holderKey ? demoMember(m.holderKey).codiceFiscale : null,
    coverage_start: m.coverageStart,
    coverage_end: demoCoverageEnd(m, now),
    card_number: m.cardNumber ? normalizeCardNumber(m.cardNumber) : null,
    created_at: at,
    updated_at: at,
  }));
  await repository.upsertMembers(db, rows);
}
