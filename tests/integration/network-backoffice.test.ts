import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { ORIGIN } from '../helpers/member-flow.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

const FIXTURES = join(process.cwd(), 'tests', 'fixtures', 'network');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const HEADER = 'codice;nome;indirizzo;citta;provincia;cap;latitudine;longitudine;telefono;prestazioni';

interface View {
  id: string;
  status: string;
  fileName: string;
  uploadedBy: string | null;
  appliedBy: string | null;
  sameFileAs?: { id: string };
  error: { kind: string; line?: number; message: string } | null;
  check: Counts | null;
  result: Counts | null;
}
interface Counts {
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejectedTotal: number;
  rejected: {
    line: number;
    reason: string;
    problems?: { code: string; column?: string; values?: string[] }[];
  }[];
  unknownServices: { code: string; rows: number; firstLine: number }[];
  samples: { inserted: { code: string }[]; updated: { code: string; changes?: string[] }[] };
}

describe('the provider network in the back office', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-11-27T13:00:00.000Z');
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    t = await buildTestApp({ clock });
    const people = [
      ['net.admin', 'administrator'],
      ['net.desk', 'booking_desk'],
      ['net.claims', 'claims_operator'],
      ['net.auditor', 'auditor'],
    ] as const;
    for (const [username, role] of people) {
      const { secret } = await enrolledStaff(t.app, clock, username, role);
      clock.advance(30_000);
      const login = await staffLogin(t.app, username, totpCode(secret, clock.now()));
      expect(login.statusCode, login.body).toBe(200);
      cookies.set(role, staffCookie(login));
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const as = (role: string, extra: Record<string, string> = {}) => ({
    ...ORIGIN,
    cookie: cookies.get(role) ?? '',
    ...extra,
  });
  const upload = (csv: string, fileName: string, role = 'administrator', lang = 'it') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/network/imports?fileName=${encodeURIComponent(fileName)}`,
      headers: as(role, { 'content-type': 'text/csv', 'accept-language': lang }),
      payload: csv,
    });
  const apply = (id: string, allowErrors = false, role = 'administrator') =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/network/imports/${id}/apply`,
      headers: as(role),
      payload: { allowErrors },
    });
  const search = (query: string, role = 'administrator') =>
    t.app.inject({ url: `/api/v1/staff/network/facilities?${query}`, headers: as(role) });
  const auditOf = (event: string, subject: string) =>
    t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event', '=', event)
      .where('subject_id', '=', subject)
      .execute();
  const facilities = () =>
    t.app.db.selectFrom('facilities').select(['code', 'updated_at', 'phone']).orderBy('code').execute();

  let firstId = '';

  it('[administrator] uploads the file, reads the dry run, applies it; the search finds the facility', async () => {
    const res = await upload(fixture('facilities.csv'), 'rete-novembre.csv');
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json() as View;
    firstId = view.id;
    expect(view).toMatchObject({ status: 'checked', fileName: 'rete-novembre.csv', uploadedBy: 'net.admin' });
    expect(view.check).toMatchObject({
      rowsRead: 14,
      inserted: 8,
      updated: 0,
      unchanged: 0,
      duplicates: 1,
      rejectedTotal: 5,
    });
    // Bad rows by line, each with a reason and its stable problem codes.
    const check = view.check as Counts;
    expect(check.rejected.map((r) => r.line)).toEqual([6, 9, 11, 13, 14]);
    expect(check.rejected[1]?.problems?.map((p) => p.code)).toEqual(['province_invalid', 'cap_invalid']);
    expect(check.rejected[3]?.reason).toContain('unknown service code(s): massaggi');
    expect(check.unknownServices).toEqual([{ code: 'massaggi', rows: 1, firstLine: 13 }]);
    expect(check.samples.inserted.map((s) => s.code)).toContain('T-RM-01');
    // A dry run writes nothing.
    expect(await facilities()).toEqual([]);

    // Rejected rows block the import until the valid ones are imported on purpose.
    const blocked = await apply(view.id);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error).toMatchObject({ code: 'CONFLICT', details: [{ code: 'rejected_rows' }] });
    const applied = await apply(view.id, true);
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({
      status: 'applied',
      appliedBy: 'net.admin',
      result: { inserted: 8, rejectedTotal: 5 },
    });
    expect(await facilities()).toHaveLength(8);

    const found = await search('service=alta_diagnostica&province=RM', 'booking_desk');
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().items.map((i: { name: string }) => i.name)).toEqual(['Centro Prova Roma']);
    const byCap = await search('cap=201&service=visite_specialistiche', 'claims_operator');
    expect(byCap.json().total).toBe(2);
    const byCity = await search('city=roma', 'auditor');
    expect(byCity.json().items[0]).toMatchObject({ address: 'Via Immaginaria, 7', cap: '00184' });

    expect(await auditOf('network_import_upload', view.id)).toHaveLength(1);
    const audited = await auditOf('network_import_apply', view.id);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor_type: 'staff', outcome: 'success' });
  });

  it('[administrator] a retried apply never applies twice, sequential or concurrent', async () => {
    const before = await facilities();
    clock.advance(60_000);
    const again = await apply(firstId, true);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'applied', result: { inserted: 8 } });
    expect(await auditOf('network_import_apply', firstId)).toHaveLength(1);
    expect(await facilities()).toEqual(before);

    const changed = fixture('facilities.csv').replace('02 0000 0001', '02 9999 0001');
    const job = (await upload(changed, 'rete-telefono.csv')).json() as View;
    expect(job.check).toMatchObject({ inserted: 0, updated: 1, unchanged: 7 });
    expect(job.check?.samples.updated).toEqual([
      expect.objectContaining({ code: 'T-MI-01', changes: ['telefono'] }),
    ]);
    clock.advance(60_000);
    const both = await Promise.all([apply(job.id, true), apply(job.id, true)]);
    const statuses = both.map((r) => r.statusCode).sort();
    // One request applies it; the other gets the applied import back, or hears it is under way.
    expect(statuses[0]).toBe(200);
    expect([200, 409]).toContain(statuses[1]);
    for (const r of both.filter((x) => x.statusCode === 409)) {
      expect(r.json().error.details[0].code).toBe('import_applying');
    }
    expect(await auditOf('network_import_apply', job.id)).toHaveLength(1);
    const after = await facilities();
    expect(after.find((f) => f.code === 'T-MI-01')?.phone).toBe('02 9999 0001');
    expect(after.filter((f, i) => f.updated_at !== before[i]?.updated_at).map((f) => f.code)).toEqual([
      'T-MI-01',
    ]);
    const final = await t.app.inject({
      url: `/api/v1/staff/network/imports/${job.id}`,
      headers: as('auditor'),
    });
    expect(final.json()).toMatchObject({ status: 'applied', result: { updated: 1, inserted: 0 } });
  });

  it('[administrator] re-importing the same file changes nothing', async () => {
    const before = await facilities();
    clock.advance(60_000);
    const changed = fixture('facilities.csv').replace('02 0000 0001', '02 9999 0001');
    const view = (await upload(changed, 'rete-telefono-bis.csv')).json() as View;
    expect(view.check).toMatchObject({ inserted: 0, updated: 0, unchanged: 8, rejectedTotal: 5 });
    expect(view.sameFileAs?.id).toBeDefined();
    const applied = await apply(view.id, true);
    expect(applied.json()).toMatchObject({
      status: 'applied',
      result: { inserted: 0, updated: 0, unchanged: 8 },
    });
    expect(await facilities()).toEqual(before);
  });

  it('[administrator] a file refused as a whole is explained (separator, header, quoting, empty), it/en', async () => {
    const header = await upload('codice;nome;citta;provincia\nX;Y;Z;MI\n', 'colonne.csv');
    expect(header.statusCode).toBe(400);
    expect(header.json().error.code).toBe('VALIDATION_FAILED');
    // One detail per reason, in order: the header's, then the columns missing (codes, params, message).
    const details = header.json().error.details;
    expect(details).toEqual([
      {
        field: 'file',
        code: 'file_header',
        params: { line: 1, columns: HEADER },
        message: `Riga 1: l'intestazione deve contenere esattamente queste colonne, in qualsiasi ordine: ${HEADER}.`,
      },
      {
        field: 'file',
        code: 'file_columns_missing',
        params: { names: 'indirizzo, cap, latitudine, longitudine, telefono, prestazioni' },
        message: 'Mancano: indirizzo, cap, latitudine, longitudine, telefono, prestazioni.',
      },
    ]);
    const english = await upload(
      'codice;nome;citta;provincia\nX;Y;Z;MI\n',
      'colonne.csv',
      'administrator',
      'en',
    );
    expect(english.json().error.details[1].message).toContain('Missing: indirizzo');

    const tabs = await upload(`${HEADER.replaceAll(';', '\t')}\nA\tB\n`, 'tabs.csv');
    expect(tabs.json().error.details[0]).toMatchObject({
      code: 'file_separator',
      params: { line: 1, columns: HEADER },
    });
    expect(tabs.json().error.details[0].message).toContain('punto e virgola');

    const quoting = await upload(
      `${HEADER}\nT-Q-01;Centro;Via Prova 1;Milano;MI;20121;45.46;9.19;;visite_specialistiche\n` +
        'T-Q-02;"Centro aperto;Via Prova 2;Milano;MI;20121;45.46;9.19;;visite_specialistiche\n',
      'virgolette.csv',
    );
    expect(quoting.statusCode).toBe(400);
    expect(quoting.json().error.details[0]).toMatchObject({ code: 'file_quoting', params: { line: 3 } });
    expect(quoting.json().error.details[0].message).toMatch(/^Riga 3: virgolette/);

    const empty = await upload('', 'vuoto.csv');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0]).toEqual({
      field: 'file',
      code: 'upload_empty',
      message: 'Il file è vuoto.',
    });

    const noHeader = await upload('\n\n', 'righe-vuote.csv');
    expect(noHeader.json().error.details[0]).toMatchObject({
      code: 'file_empty',
      params: { columns: HEADER },
    });

    // Refused files are in the history too, with the reason; nothing was written.
    const history = (
      await t.app.inject({ url: '/api/v1/staff/network/imports', headers: as('administrator') })
    ).json().imports as View[];
    const refused = history.filter((h) => h.status === 'refused');
    expect(refused.map((h) => h.error?.kind).sort()).toEqual([
      'empty',
      'header',
      'header',
      'quoting',
      'separator',
    ]);
    expect(refused.find((h) => h.error?.kind === 'quoting')?.error?.line).toBe(3);
    const audit = await t.app.db
      .selectFrom('audit_events')
      .select('outcome')
      .where('event', '=', 'network_import_upload')
      .where('outcome', '=', 'failure')
      .execute();
    expect(audit).toHaveLength(5);
  });

  it('[administrator] a huge or crowded header is refused with a short message: at most 20 names, each cut', async () => {
    const many = (n: number, width: number) =>
      Array.from({ length: n }, (_, i) => `colonna_sconosciuta_${String(i).padStart(width, '0')}`);
    const huge = await upload(`${HEADER};${many(5_000, 5).join(';')}\nX;Y\n`, 'enorme.csv');
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.details[0]).toMatchObject({ field: 'file', code: 'file_header' });
    expect(huge.json().error.details[1]).toMatchObject({
      code: 'file_header_too_long',
      params: { bytes: 4096 },
      message: "La prima riga supera i 4096 byte: non è un'intestazione.",
    });
    expect(huge.body.length).toBeLessThan(2_000);
    expect(huge.json().error.details[0].message).toMatch(/^Riga 1: /);

    const crowded = [...many(60, 30), 'x'.repeat(300)];
    const res = await upload(`${HEADER};${crowded.join(';')}\nX;Y\n`, 'affollato.csv');
    expect(res.statusCode).toBe(400);
    const unknown = res.json().error.details[1];
    expect(unknown).toMatchObject({ code: 'file_columns_unknown_more', params: { more: 41 } });
    const message: string = unknown.message;
    expect(message).toContain('Non riconosciute: colonna_sconosciuta_');
    expect(message).toContain('e altre 41');
    expect(message).not.toContain('x'.repeat(41));
    expect(message.length).toBeLessThan(2_000);
    const english = await upload(
      `${HEADER};${crowded.join(';')}\nX;Y\n`,
      'affollato.csv',
      'administrator',
      'en',
    );
    expect(english.json().error.details[1].message).toContain('and 41 more');

    const stored = await t.app.db
      .selectFrom('network_imports')
      .select('error')
      .where('file_name', 'in', ['enorme.csv', 'affollato.csv'])
      .execute();
    expect(stored).toHaveLength(3);
    for (const row of stored) expect((row.error ?? '').length).toBeLessThan(2_000);
  });

  it('[administrator] discards a checked file; it can then no longer be applied', async () => {
    const view = (
      await upload(`${HEADER}\nT-NEW-01;Nuovo;Via Prova 1;Milano;MI;20121;45.46;9.19;;lenti\n`, 'nuovo.csv')
    ).json() as View;
    expect(view.check).toMatchObject({ inserted: 1, rejectedTotal: 0 });
    const discard = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/staff/network/imports/${view.id}/discard`,
        headers: as('administrator'),
      });
    expect((await discard()).json()).toMatchObject({ status: 'discarded', discardedBy: 'net.admin' });
    expect((await discard()).statusCode).toBe(200);
    const late = await apply(view.id);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.details[0].code).toBe('import_discarded');
    expect((await search('city=milano&service=lenti')).json().total).toBe(0);
    expect(await auditOf('network_import_discard', view.id)).toHaveLength(1);
  });

  it('[booking desk, claims operator, auditor] cannot upload, apply or discard; the auditor reads the history', async () => {
    for (const role of ['booking_desk', 'claims_operator', 'auditor']) {
      const res = await upload(fixture('facilities.csv'), 'x.csv', role);
      expect([role, res.statusCode]).toEqual([role, 403]);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect([role, (await apply(firstId, true, role)).statusCode]).toEqual([role, 403]);
    }
    const history = await t.app.inject({ url: '/api/v1/staff/network/imports', headers: as('auditor') });
    expect(history.statusCode).toBe(200);
    expect(history.json().imports.at(-1)).toMatchObject({
      fileName: 'rete-novembre.csv',
      uploadedBy: 'net.admin',
      appliedBy: 'net.admin',
      status: 'applied',
    });
    const desk = await t.app.inject({ url: '/api/v1/staff/network/imports', headers: as('booking_desk') });
    expect(desk.statusCode).toBe(403);
    const wrongType = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/network/imports?fileName=a.json',
      headers: as('administrator', { 'content-type': 'application/json' }),
      payload: '{}',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
