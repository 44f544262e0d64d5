import type { App } from '../../server/app.js';
import { newId } from '../../server/lib/ids.js';
import { generateCodiceFiscale } from '../../server/modules/members/codice-fiscale.js';
import type { RegistryRole } from '../../server/modules/registry/registry.table.js';

let planCounter = 0;
let personCounter = 0;

export async function createPlan(app: App, code = `TEST-PLAN-${++planCounter}`): Promise<string> {
  const id = newId();
  await app.db
    .insertInto('plans')
    .values({ id, code, name: `Piano di prova ${code}`, created_at: new Date().toISOString() })
    .execute();
  return id;
}

export interface TestPerson {
  id: string;
  surname: string;
  name: string;
  birthDate: string;
  codiceFiscale: string;
  email: string | null;
  /** The card number in the registry (normalised), when it holds one. */
  cardNumber?: string | null;
}

const SURNAMES = [
  'Rossi',
  'Bianchi',
  'Verdi',
  'Esposito',
  'Ricci',
  'Marino',
  'Greco',
  'Bruno',
  'Gallo',
  'Conti',
];
const NAMES = ['Mario', 'Giulia', 'Luca', 'Francesca', 'Marco', 'Chiara', 'Andrea', 'Sara', 'Paolo', 'Elena'];

/** A fictitious insured person in the registry, with a valid and coherent codice fiscale. */
export async function createRegistryMember(
  app: App,
  planId: string,
  overrides: Partial<{
    surname: string;
    name: string;
    birthDate: string;
    sex: 'M' | 'F';
    email: string | null;
    role: RegistryRole;
    coverageEnd: string | null;
    cardNumber: string | null;
  }> = {},
): Promise<TestPerson> {
  const n = ++personCounter;
  const surname = overrides.surname ?? SURNAMES[n % SURNAMES.length] ?? 'Rossi';
  const name = overrides.name ?? NAMES[n % NAMES.length] ?? 'Mario';
  const birthDate = overrides.birthDate ?? `19${60 + (n % 39)}-0${1 + (n % 9)}-1${n % 10}`;
  const sex = overrides.sex ?? (n % 2 === 0 ? 'M' : 'F');
  const codiceFiscale = generateCodiceFiscale({ surname, name, birthDate, sex, placeCode: 'H501' });
  const email =
    overrides.email === undefined ? `${name}.${surname}.${n}@example.test`.toLowerCase() : overrides.email;
  const id = newId();
  const now = new Date().toISOString();
  await app.db
    .insertInto('registry_members')
    .values({
      id,
      codice_fiscale: codiceFiscale,
      surname,
      given_name: name,
      birth_date: birthDate,
      email,
      plan_id: planId,
      role: overrides.role ?? 'titolare',
      holder_cf: null,
      coverage_start: '2020-01-01',
      coverage_end: overrides.coverageEnd ?? null,
      card_number: overrides.cardNumber ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { id, surname, name, birthDate, codiceFiscale, email, cardNumber: overrides.cardNumber ?? null };
}
