import { once } from 'node:events';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MEMBERS, DEMO_PLAN, demoMember } from '../../server/demo/registry.js';
import { seedDemoData } from '../../server/demo/seed.js';
import { ManualClock } from '../../server/lib/clock.js';
import { generateCodiceFiscale } from '../../server/modules/members/codice-fiscale.js';
import { CopyMemberWriter, ThreadMemberWriter } from '../../server/modules/registry/member-writers.js';
import { RegistryRepository } from '../../server/modules/registry/registry.repository.js';
import {
  type ImportOptions,
  type ImportReport,
  importRegistry,
  RegistryFileError,
} from '../../server/modules/registry/registry.service.js';
import { REGISTRY_COLUMNS } from '../../server/modules/registry/registry-import.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { runCli as cli } from '../helpers/cli.js';

const FIXTURES = join(process.cwd(), 'tests', 'fixtures', 'registry');
const HEADER = REGISTRY_COLUMNS.join(';');

interface Person {
  cf: string;
  surname: string;
  name: string;
  birthDate: string;
}

const SURNAMES = [
  'Demo',
  'Prova',
  'Esempio',
  'Fittizio',
  'Campione',
  'Saggio',
  'Modello',
  'Bozza',
  'Finto',
  'Copia',
];
const NAMES = {
  M: ['Mario', 'Luca', 'Paolo', 'Marco', 'Carlo', 'Giorgio', 'Andrea', 'Franco', 'Davide', 'Nicola'],
  F: ['Anna', 'Giulia', 'Sofia', 'Chiara', 'Elena', 'Laura', 'Irene', 'Marta', 'Paola', 'Sara'],
};

/** The i-th of 40,000 distinct fictitious people with valid codici fiscali. */
function person(i: number): Person {
  const sex = Math.floor(i / 100) % 2 === 0 ? 'M' : 'F';
  const surname = SURNAMES[i % 10] as string;
  const name = NAMES[sex][Math.floor(i / 10) % 10] as string;
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(i / 200) * 97 * 86_400_000);
  const birthDate = birth.toISOString().slice(0, 10);
  return {
    cf: generateCodiceFiscale({ surname, name, birthDate, sex, placeCode: 'H501' }),
    surname,
    name,
    birthDate,
  };
}

function titolareRow(p: Person, extra: { email?: string; plan?: string; end?: string } = {}): string {
  const email = extra.email ?? `${p.name}.${p.surname}@example.test`.toLowerCase();
  return [
    p.cf,
    p.surname,
    p.name,
    p.birthDate,
    email,
    extra.plan ?? 'ONECARE-DEMO',
    'titolare',
    '',
    '2025-01-01',
    extra.end ?? '',
  ].join(';');
}

const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\n')}\n`;
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('registry import', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-11-27T10:00:00.000Z');

  const run = (
    text: string | Buffer | Readable,
    options: Partial<ImportOptions> = {},
  ): Promise<ImportReport> =>
    importRegistry(t.app.db, t.app.dialect, text instanceof Readable ? text : Readable.from([text]), {
      clock,
      // The production path: rows written through the import's own connection (thread or COPY).
      handle: t.app.database,
      ...options,
    });
  const members = () =>
    t.app.db.selectFrom('registry_members').selectAll().orderBy('codice_fiscale').execute();
  const member = (cf: string) =>
    t.app.db
      .selectFrom('registry_members')
      .selectAll()
      .where('codice_fiscale', '=', cf)
      .executeTakeFirstOrThrow();
  const plans = () => t.app.db.selectFrom('plans').selectAll().orderBy('code').execute();
  const counts = (r: ImportReport) => ({
    rowsRead: r.rowsRead,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    rejected: r.rejectedTotal,
    duplicates: r.duplicates,
  });

  beforeAll(async () => {
    t = await buildTestApp({ clock });
  });
  beforeEach(async () => {
    clock.set('2026-11-27T10:00:00.000Z');
    await t.app.db.deleteFrom('registry_members').execute();
    await t.app.db.deleteFrom('plan_versions').execute();
    await t.app.db.deleteFrom('plans').execute();
  });
  afterAll(() => t.close());

  it('[operator] a good file imports every member, creating the plans it names', async () => {
    const report = await run(fixture('demo-members.csv'));
    expect(counts(report)).toEqual({
      rowsRead: 8,
      inserted: 8,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      duplicates: 0,
    });
    expect(report.plansCreated).toEqual(['ONECARE-DEMO', 'ONECARE-PLUS']);
    expect(report.rejected).toEqual([]);

    const rows = await members();
    expect(rows).toHaveLength(8);
    const [demoPlan, plusPlan] = await plans();
    // The plan's rules arrive with a later feature: for now the code is its name.
    expect(demoPlan).toMatchObject({
      code: 'ONECARE-DEMO',
      name: 'ONECARE-DEMO',
      created_at: '2026-11-27T10:00:00.000Z',
    });
    expect(plusPlan?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const teresa = rows.find((r) => r.given_name === 'Teresa');
    expect(teresa).toMatchObject({
      surname: 'Fittizia',
      birth_date: '1974-09-03',
      email: 'teresa.fittizia@example.test',
      plan_id: demoPlan?.id,
      role: 'coniuge',
      holder_cf: 'SMPFNC72D18H501Q',
      coverage_start: '2025-01-01',
      coverage_end: null,
      created_at: '2026-11-27T10:00:00.000Z',
      updated_at: '2026-11-27T10:00:00.000Z',
    });
    expect(rows.find((r) => r.given_name === 'Irene')?.email).toBeNull();
    expect(rows.find((r) => r.given_name === 'Carlo')).toMatchObject({
      plan_id: plusPlan?.id,
      coverage_end: '2025-12-31',
    });
    expect(rows.find((r) => r.surname === 'Prova')?.given_name).toBe('Nicolò');
  });

  it('[operator] a comma-separated file with DD/MM/YYYY dates imports the same', async () => {
    const text = fixture('demo-members.csv')
      .replaceAll(';', ',')
      .replace(/(\d{4})-(\d{2})-(\d{2})/g, '$3/$2/$1');
    expect(text).toContain(',18/04/1972,');
    const report = await run(text);
    expect(counts(report)).toMatchObject({ inserted: 8, rejected: 0 });
    expect((await member('SMPFNC72D18H501Q')).birth_date).toBe('1972-04-18');
    expect((await member('FTTCRL63B27A662A')).coverage_end).toBe('2025-12-31');
  });

  it('[operator] a UTF-8 BOM (as Excel writes) is not part of the first column', async () => {
    const report = await run(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(join(FIXTURES, 'demo-members.csv'))]),
    );
    expect(counts(report)).toMatchObject({ inserted: 8, rejected: 0 });
  });

  it('[operator] importing the same file again changes nothing and says so', async () => {
    await run(fixture('demo-members.csv'));
    const before = await members();
    clock.advance(60_000);
    const again = await run(fixture('demo-members.csv'));
    expect(counts(again)).toEqual({
      rowsRead: 8,
      inserted: 0,
      updated: 0,
      unchanged: 8,
      rejected: 0,
      duplicates: 0,
    });
    expect(again.plansCreated).toEqual([]);
    expect(await members()).toEqual(before);
    expect(await plans()).toHaveLength(2);
  });

  it('[operator] a changed email or coverage end updates the member, keeping its id and creation time', async () => {
    await run(fixture('demo-members.csv'));
    const franco = await member('SMPFNC72D18H501Q');
    clock.advance(60_000);
    const changed = fixture('demo-members.csv')
      .replace('franco.esempio@example.test', 'franco.nuovo@example.test')
      .replace(';2024-01-01;2025-12-31', ';2024-01-01;2026-06-30');
    const report = await run(changed);
    expect(counts(report)).toEqual({
      rowsRead: 8,
      inserted: 0,
      updated: 2,
      unchanged: 6,
      rejected: 0,
      duplicates: 0,
    });
    expect(await member('SMPFNC72D18H501Q')).toEqual({
      ...franco,
      email: 'franco.nuovo@example.test',
      updated_at: '2026-11-27T10:01:00.000Z',
    });
    expect((await member('FTTCRL63B27A662A')).coverage_end).toBe('2026-06-30');
    expect((await member('FTTTRS74P43H501Q')).updated_at).toBe(franco.created_at);
  });

  it('[operator] each rejected row is reported by line with its reason; the valid rows are applied', async () => {
    const report = await run(fixture('with-errors.csv'));
    expect(counts(report)).toEqual({
      rowsRead: 22,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: 19,
      duplicates: 1,
    });
    expect(report.rejected.map(({ line, reason }) => ({ line, reason }))).toEqual([
      { line: 3, reason: 'codice fiscale is malformed' },
      { line: 4, reason: 'codice fiscale check character is wrong' },
      { line: 5, reason: 'codice fiscale not coherent with surname' },
      { line: 6, reason: 'codice fiscale not coherent with name' },
      { line: 7, reason: 'codice fiscale not coherent with birth date' },
      { line: 8, reason: 'data_nascita is not a valid date (use YYYY-MM-DD or DD/MM/YYYY)' },
      { line: 9, reason: 'email is not a valid address' },
      { line: 10, reason: 'ruolo must be one of titolare, coniuge, figlio, altro' },
      { line: 11, reason: 'titolare_cf is required for a coniuge' },
      { line: 12, reason: 'titolare_cf is not a valid codice fiscale' },
      { line: 13, reason: 'titolare_cf must be empty for a titolare' },
      { line: 14, reason: 'fine_copertura is before inizio_copertura' },
      { line: 15, reason: 'expected 10 fields, found 9 (check separators and quotes)' },
      { line: 16, reason: 'cognome is empty' },
      { line: 17, reason: 'inizio_copertura is not a valid date (use YYYY-MM-DD or DD/MM/YYYY)' },
      { line: 18, reason: 'piano is not a valid plan code (letters, digits, . _ -, at most 40)' },
      { line: 19, reason: 'codice_fiscale is empty' },
      { line: 20, reason: 'data_nascita is in the future' },
      { line: 21, reason: "titolare_cf is the member's own codice fiscale" },
    ]);
    // Beside each reason, its stable code and column (the back office words them).
    expect(report.rejected.map((r) => [r.line, ...(r.problems ?? []).map((p) => p.code)])).toEqual([
      [3, 'cf_malformed'],
      [4, 'cf_check_character'],
      [5, 'cf_incoherent_surname'],
      [6, 'cf_incoherent_name'],
      [7, 'cf_incoherent_birth_date'],
      [8, 'date_invalid'],
      [9, 'email_invalid'],
      [10, 'role_invalid'],
      [11, 'holder_required'],
      [12, 'holder_invalid'],
      [13, 'holder_not_allowed'],
      [14, 'coverage_end_before_start'],
      [15, 'field_count'],
      [16, 'empty'],
      [17, 'date_invalid'],
      [18, 'plan_code_invalid'],
      [19, 'empty'],
      [20, 'birth_date_future'],
      [21, 'holder_self'],
    ]);
    expect(report.rejected.find((r) => r.line === 11)?.problems).toEqual([
      { code: 'holder_required', column: 'titolare_cf', values: ['coniuge'] },
    ]);
    // The same codice fiscale twice: the later row wins, with a warning.
    expect(report.warnings).toEqual([
      {
        line: 23,
        message: 'same codice fiscale as line 2; this later row replaces it',
        code: 'duplicate_cf',
        values: ['2'],
      },
    ]);
    expect((await member('RRRNDR80E05H501B')).email).toBe('andrea.errore@example.org');
    expect(await member('RRRBRC82H46H501R')).toMatchObject({
      role: 'coniuge',
      holder_cf: 'RRRNDR80E05H501B',
    });
    // Reasons never carry the codice fiscale (personal data).
    expect(JSON.stringify(report)).not.toMatch(/RRR[A-Z]{3}\d\d/);
  });

  it('[operator] a plan code not seen before is created once; a known one is reused', async () => {
    await run(csv(titolareRow(person(1))));
    const [known] = await plans();
    const report = await run(
      csv(
        titolareRow(person(2), { plan: 'onecare-nuovo' }),
        titolareRow(person(3), { plan: 'ONECARE-NUOVO' }),
        titolareRow(person(4)),
      ),
    );
    expect(report.plansCreated).toEqual(['ONECARE-NUOVO']);
    const all = await plans();
    expect(all.map((p) => [p.code, p.name])).toEqual([
      ['ONECARE-DEMO', 'ONECARE-DEMO'],
      ['ONECARE-NUOVO', 'ONECARE-NUOVO'],
    ]);
    expect((await member(person(4).cf)).plan_id).toBe(known?.id);
    expect((await member(person(3).cf)).plan_id).toBe(all[1]?.id);
  });

  it('[operator] a dry run writes nothing, and its counts are what the import then does', async () => {
    await run(fixture('demo-members.csv'));
    const changed = `${fixture('demo-members.csv').replace('franco.esempio@example.test', 'franco.nuovo@example.test')}${titolareRow(person(5), { plan: 'ONECARE-ALTRO' })}\n`;
    const before = { members: await members(), plans: await plans() };
    const dry = await run(changed, { dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(counts(dry)).toEqual({
      rowsRead: 9,
      inserted: 1,
      updated: 1,
      unchanged: 7,
      rejected: 0,
      duplicates: 0,
    });
    expect(dry.plansCreated).toEqual(['ONECARE-ALTRO']);
    expect({ members: await members(), plans: await plans() }).toEqual(before);

    const real = await run(changed);
    expect({ ...real, dryRun: true }).toEqual(dry);
  });

  it('[operator] repeats of a codice fiscale across batches count the same in a dry run and for real', async () => {
    await run(csv(titolareRow(person(10)), titolareRow(person(11))));
    const text = csv(
      titolareRow(person(10)), // unchanged …
      titolareRow(person(12)), // new …
      titolareRow(person(11)), // unchanged
      titolareRow(person(13)),
      titolareRow(person(10), { email: 'cambiata@example.test' }), // … then changed by a later row
      titolareRow(person(12), { email: 'nuova@example.test' }), // … then repeated
      titolareRow(person(11)), // repeated, still unchanged
    );
    const dry = await run(text, { dryRun: true, batchSize: 2 });
    const real = await run(text, { batchSize: 2 });
    expect(counts(real)).toEqual({
      rowsRead: 7,
      inserted: 2,
      updated: 1,
      unchanged: 1,
      rejected: 0,
      duplicates: 3,
    });
    expect({ ...real, dryRun: true }).toEqual(dry);
    expect(real.warnings.map((w) => w.line)).toEqual([6, 7, 8]);
    expect((await member(person(10).cf)).email).toBe('cambiata@example.test');
    expect((await member(person(12).cf)).email).toBe('nuova@example.test');
  });

  it("[operator] written through the import's own connection or the app's, the outcome is the same", async () => {
    const files = [
      csv(titolareRow(person(20)), titolareRow(person(21)), titolareRow(person(22))),
      csv(
        titolareRow(person(20)), // unchanged
        titolareRow(person(23)), // new
        titolareRow(person(21), { email: 'altra@example.test' }), // changed
        titolareRow(person(22), { end: '2026-12-31' }), // coverage ends
        titolareRow(person(20), { email: 'poi@example.test' }), // a repeat that changes it
        titolareRow(person(24)),
      ),
    ];
    const state = async () =>
      (await members()).map(({ id: _id, created_at: _c, updated_at: _u, plan_id: _p, ...data }) => data);
    const viaApp: unknown[] = [];
    for (const text of files) {
      const report = await importRegistry(t.app.db, t.app.dialect, Readable.from([text]), {
        clock,
        batchSize: 2,
      });
      viaApp.push(counts(report));
    }
    const appState = await state();
    await t.app.db.deleteFrom('registry_members').execute();
    const viaOwn: unknown[] = [];
    for (const text of files) viaOwn.push(counts(await run(text, { batchSize: 2 })));
    expect(viaOwn).toEqual(viaApp);
    expect(viaOwn[1]).toEqual({
      rowsRead: 6,
      inserted: 2,
      updated: 3,
      unchanged: 0,
      rejected: 0,
      duplicates: 1,
    });
    expect(await state()).toEqual(appState);
  });

  it('[operator] a batch the database refuses fails the import, writes none of its rows, and leaves no thread behind', async () => {
    const writer =
      t.app.dialect === 'sqlite' && t.app.database.sqliteFile
        ? new ThreadMemberWriter(t.app.database.sqliteFile, new RegistryRepository('sqlite'))
        : t.app.database.pgPool
          ? new CopyMemberWriter(t.app.database.pgPool, new RegistryRepository('postgres'))
          : undefined;
    if (!writer) throw new Error('the test database has no handle of its own');
    const at = clock.now().toISOString();
    const row = (cf: string, planId: string) => ({
      id: `019ac000-0000-7000-8000-${cf
        .slice(0, 12)
        .toLowerCase()
        .replace(/[^0-9a-f]/g, '0')}`,
      codice_fiscale: cf,
      surname: 'Rossi',
      given_name: 'Mario',
      birth_date: '1970-01-01',
      email: null,
      plan_id: planId,
      role: 'titolare' as const,
      holder_cf: null,
      coverage_start: '2026-01-01',
      coverage_end: null,
      created_at: at,
      updated_at: at,
    });
    // A plan that does not exist: the foreign key refuses the row, and the batch with it.
    const refused = writer.write([row(person(30).cf, 'no-such-plan')], 'write');
    await expect(refused).rejects.toThrow(/registry write failed|foreign key/i);
    await writer.close();
    expect(await members()).toEqual([]);
  });

  it('[operator] the optional numero_tessera column sets card numbers, through every writer; a file without it keeps them', async () => {
    const header = `${HEADER};numero_tessera`;
    const file = (...rows: string[]) => `${[header, ...rows].join('\n')}\n`;
    const first = file(
      `${titolareRow(person(40))}; oc-4000 1 `,
      `${titolareRow(person(41))};`,
      `${titolareRow(person(42))};BAD!`,
    );
    const card = async (i: number) => (await member(person(i).cf)).card_number;
    for (const via of ['own', 'app'] as const) {
      await t.app.db.deleteFrom('registry_members').execute();
      const write = (text: string, options: Partial<ImportOptions> = {}) =>
        via === 'own'
          ? run(text, options)
          : importRegistry(t.app.db, t.app.dialect, Readable.from([text]), { clock, ...options });
      expect(counts(await write(first))).toMatchObject({ rowsRead: 3, inserted: 2, rejected: 1 });
      expect([via, await card(40), await card(41)]).toEqual([via, 'OC40001', null]);

      // A file of the old shape says nothing about card numbers: they stay.
      const old = csv(titolareRow(person(40)), titolareRow(person(41)));
      expect(counts(await write(old, { dryRun: true }))).toMatchObject({ unchanged: 2, updated: 0 });
      expect(counts(await write(old))).toMatchObject({ unchanged: 2, updated: 0 });
      expect([via, await card(40)]).toEqual([via, 'OC40001']);

      // With the column, a new number or an empty value changes the member; a dry run says so first.
      const changed = file(`${titolareRow(person(40))};`, `${titolareRow(person(41))};OC-41`);
      expect(counts(await write(changed, { dryRun: true }))).toMatchObject({ updated: 2, unchanged: 0 });
      expect(counts(await write(changed))).toMatchObject({ updated: 2, unchanged: 0 });
      expect([via, await card(40), await card(41)]).toEqual([via, null, 'OC41']);

      // A quoted header sends the file to the general reader: the column is read the same.
      const quoted = `"${header.split(';').join('";"')}"\n${titolareRow(person(40))};OC 40\n`;
      expect(counts(await write(quoted))).toMatchObject({ updated: 1 });
      expect([via, await card(40)]).toEqual([via, 'OC40']);
    }
  });

  it('[operator] a file with a wrong header is refused as a whole, nothing written', async () => {
    const text = fixture('demo-members.csv').replace('titolare_cf', 'cf_titolare');
    const error = await run(text).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RegistryFileError);
    expect((error as Error).message).toMatch(
      /unknown column\(s\): cf_titolare; missing column\(s\): titolare_cf/,
    );
    expect(await members()).toEqual([]);
    expect(await plans()).toEqual([]);
  });

  it('[operator] a generated file of 20,000 members is streamed, not read whole, and imported in batches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onecare-registry-'));
    try {
      const file = join(dir, 'registry-20000.csv');
      const out = createWriteStream(file);
      out.write(`${HEADER}\n`);
      for (let i = 0; i < 20_000; i++) {
        if (!out.write(`${titolareRow(person(i))}\n`)) await once(out, 'drain');
      }
      out.end();
      await finished(out);
      const size = statSync(file).size;

      let bytesRead = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytesRead += chunk.length;
          done(null, chunk);
        },
      });
      const readAtProgress: number[] = [];
      const progress: number[] = [];
      const report = await run(createReadStream(file).pipe(counter), {
        progressEvery: 5_000,
        onProgress: (n) => {
          progress.push(n);
          readAtProgress.push(bytesRead);
        },
      });
      expect(counts(report)).toEqual({
        rowsRead: 20_000,
        inserted: 20_000,
        updated: 0,
        unchanged: 0,
        rejected: 0,
        duplicates: 0,
      });
      expect(progress).toEqual([5_000, 10_000, 15_000, 20_000]);
      // A quarter of the rows in, well under half of the file had been read from disk.
      expect(readAtProgress[0]).toBeLessThan(size / 2);
      const total = await t.app.db
        .selectFrom('registry_members')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(total.n)).toBe(20_000);

      const again = await run(createReadStream(file), { dryRun: true });
      expect(counts(again)).toMatchObject({ inserted: 0, updated: 0, unchanged: 20_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('[visitor] the demo data hold the fictitious registry, which itself passes the import rules', async () => {
    await t.app.db.deleteFrom('app_meta').where('key', '=', 'demo_data_version').execute();
    const seeded = await seedDemoData(t.app);
    // One back-office user per role, each with an enrolment link.
    expect(seeded?.staffLinks.map((s) => s.role).sort()).toEqual([
      'administrator',
      'auditor',
      'booking_desk',
      'claims_operator',
    ]);
    expect(await seedDemoData(t.app)).toBeUndefined();
    const [plan] = await plans();
    expect(plan).toMatchObject({ code: DEMO_PLAN.code, name: 'Piano Sanitario Demo (fittizio)' });
    const rows = await members();
    expect(rows).toHaveLength(DEMO_MEMBERS.length);
    expect(rows.every((r) => r.email === null || r.email.endsWith('@example.test'))).toBe(true);
    expect((await member(demoMember('sofia').codiceFiscale)).holder_cf).toBe(
      demoMember('mario').codiceFiscale,
    );
    expect((await member(demoMember('chiara').codiceFiscale)).email).toBeNull();
    expect((await member(demoMember('giorgio').codiceFiscale)).coverage_end).toBe('2025-12-31');

    // Exported as a registry file, the demo registry imports as "all unchanged".
    const lines = rows.map((r) =>
      [
        r.codice_fiscale,
        r.surname,
        r.given_name,
        r.birth_date,
        r.email ?? '',
        DEMO_PLAN.code,
        r.role,
        r.holder_cf ?? '',
        r.coverage_start,
        r.coverage_end ?? '',
      ].join(';'),
    );
    const report = await run(csv(...lines));
    expect(counts(report)).toMatchObject({ unchanged: DEMO_MEMBERS.length, rejected: 0 });
  });
});

describe('registry import from the command line', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'onecare-cli-'));
    env = {
      DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`,
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'false',
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const withErrors = join(FIXTURES, 'with-errors.csv');

  it('[operator] rejected rows: exit code 1, each listed by line, and nothing written', async () => {
    const result = await cli(env, 'registry', 'import', withErrors);
    expect(result.code).toBe(1);
    const lines = result.out.trim().split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'rows read: 22',
      'inserted: 2',
      'updated: 0',
      'unchanged: 0',
      'rejected: 19',
      'duplicates: 1',
    ]);
    expect(lines).toContain('line 3: codice fiscale is malformed');
    expect(lines).toContain('line 5: codice fiscale not coherent with surname');
    expect(lines).toContain('warning: line 23: same codice fiscale as line 2; this later row replaces it');
    expect(lines.at(-1)).toMatch(/^nothing was written: 19 row\(s\) rejected; .* --allow-errors/);
    // No codice fiscale, name or email from the file is printed.
    expect(result.out + result.err).not.toMatch(/RRR[A-Z]{3}\d\d|Beatrice|example\.test/);

    const dry = await cli(env, 'registry', 'import', withErrors, '--allow-errors', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('inserted: 2\n');
    expect(dry.out.trim().split('\n').at(-1)).toBe('dry run: nothing was written');
  });

  it('[operator] --allow-errors: exit code 0, the valid rows imported; then a re-import finds them unchanged', async () => {
    const result = await cli(env, 'registry', 'import', withErrors, '--allow-errors');
    expect(result.code).toBe(0);
    expect(result.out).toContain('rows read: 22\ninserted: 2\nupdated: 0\nunchanged: 0\nrejected: 19\n');
    expect(result.out).toContain("line 21: titolare_cf is the member's own codice fiscale\n");
    expect(result.out).not.toContain('nothing was written');

    const again = await cli(env, 'registry', 'import', withErrors, '--allow-errors');
    expect(again.out).toContain('inserted: 0\nupdated: 0\nunchanged: 2\n');

    const good = await cli(env, 'registry', 'import', join(FIXTURES, 'demo-members.csv'));
    expect(good.code).toBe(0);
    expect(good.out).toContain('inserted: 8\n');
    expect(good.out).toContain('plans created: ONECARE-PLUS\n');
  });

  it('[operator] a file with a wrong header is refused with a clear message and exit code 1', async () => {
    const bad = join(dir, 'bad-header.csv');
    writeFileSync(bad, 'codice_fiscale;cognome;nome\nX;Y;Z\n');
    const result = await cli(env, 'registry', 'import', bad);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      /^file refused, nothing written: line 1: the header must name exactly these columns/,
    );
    expect(result.err).toContain('missing column(s): data_nascita, email, piano');
  });
});
