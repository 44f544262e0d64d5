import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import {
  GOOD_PASSWORD,
  lineValue,
  login,
  type MemberTestApp,
  memberTestApp,
  ORIGIN,
  postJson,
  registerAndActivate,
  registrationBody,
  sessionCookie,
} from '../helpers/member-flow.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/registry/${name}`, import.meta.url)), 'utf8');

describe('the registry in the back office', () => {
  let m: MemberTestApp;
  let admin = '';
  let operator = '';
  const clock = new ManualClock('2026-11-20T09:00:00.000Z');

  beforeAll(async () => {
    m = await memberTestApp({ clock });
    const a = await enrolledStaff(m.t.app, clock, 'reg.admin', 'administrator');
    const o = await enrolledStaff(m.t.app, clock, 'reg.operator', 'claims_operator');
    clock.advance(30_000);
    admin = staffCookie(await staffLogin(m.t.app, a.username, totpCode(a.secret, clock.now())));
    operator = staffCookie(await staffLogin(m.t.app, o.username, totpCode(o.secret, clock.now())));
  });
  afterAll(() => m.close());

  const as = (cookie: string) => ({ ...ORIGIN, cookie });
  const upload = (csv: string, fileName: string, cookie = admin) =>
    m.t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/registry/imports?fileName=${encodeURIComponent(fileName)}`,
      headers: { ...as(cookie), 'content-type': 'text/csv' },
      payload: csv,
    });
  async function settled(id: string) {
    await m.t.app.registryAdmin.drain();
    return (await m.t.app.inject({ url: `/api/v1/staff/registry/imports/${id}`, headers: as(admin) })).json();
  }
  const apply = (id: string, allowErrors = false) =>
    m.t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/registry/imports/${id}/apply`,
      headers: as(admin),
      payload: { allowErrors },
    });

  it('[administrator] uploads a file, reads the dry run, applies it; the history keeps who, when, which file, counts', async () => {
    const res = await upload(fixture('demo-members.csv'), 'azienda-novembre.csv');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'checking', fileName: 'azienda-novembre.csv' });
    const checked = await settled(res.json().id);
    expect(checked.status).toBe('checked');
    expect(checked.check).toMatchObject({ rowsRead: 8, inserted: 8, updated: 0, rejectedTotal: 0 });
    expect(await m.t.app.db.selectFrom('registry_members').select('id').execute()).toHaveLength(0);

    expect((await apply(checked.id)).statusCode).toBe(202);
    const applied = await settled(checked.id);
    expect(applied).toMatchObject({ status: 'applied', result: { inserted: 8 } });
    expect(await m.t.app.db.selectFrom('registry_members').select('id').execute()).toHaveLength(8);
    // Applying twice is refused.
    expect((await apply(checked.id)).statusCode).toBe(409);

    const history = (
      await m.t.app.inject({ url: '/api/v1/staff/registry/imports', headers: as(admin) })
    ).json();
    expect(history.imports[0]).toMatchObject({
      fileName: 'azienda-novembre.csv',
      uploadedBy: 'reg.admin',
      status: 'applied',
    });
  });

  it('[administrator] a re-import is idempotent, and the dry run counts members whose coverage ends', async () => {
    const csv = fixture('demo-members.csv');
    const same = await settled((await upload(csv, 'same.csv')).json().id);
    expect(same.check).toMatchObject({ inserted: 0, updated: 0, unchanged: 8, coverageEnding: 0 });
    const lines = csv.trim().split('\n');
    lines[1] = `${lines[1]?.replace(/;$/, '')};2026-12-31`;
    const ending = await settled((await upload(`${lines.join('\n')}\n`, 'ending.csv')).json().id);
    expect(ending.check).toMatchObject({ updated: 1, unchanged: 7, coverageEnding: 1 });
    expect(
      (
        await m.t.app.inject({
          method: 'POST',
          url: `/api/v1/staff/registry/imports/${ending.id}/discard`,
          headers: as(admin),
        })
      ).statusCode,
    ).toBe(204);
    expect((await settled(ending.id)).status).toBe('discarded');
  });

  it('[administrator] rejected rows block the import unless explicitly skipped', async () => {
    const checked = await settled((await upload(fixture('with-errors.csv'), 'errors.csv')).json().id);
    expect(checked.check.rejectedTotal).toBe(19);
    expect(checked.check.rejected[0]).toEqual({
      line: expect.any(Number),
      reason: expect.any(String),
      problems: [{ code: expect.any(String), column: expect.any(String) }],
    });
    expect((await apply(checked.id)).statusCode).toBe(409);
    expect((await apply(checked.id, true)).statusCode).toBe(202);
    expect((await settled(checked.id)).status).toBe('applied');
  });

  it('[operator] cannot upload or apply; a file that is not CSV is refused', async () => {
    expect((await upload('x', 'x.csv', operator)).statusCode).toBe(403);
    const wrongType = await m.t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/registry/imports?fileName=a.json',
      headers: { ...as(admin), 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(wrongType.statusCode).toBe(415);
    const header = await settled((await upload('nome;cognome\nA;B\n', 'bad-header.csv')).json().id);
    expect(header.status).toBe('failed');
    expect(header.error).toMatchObject({ kind: 'header', line: 1 });
    expect(header.error.problems[0]).toEqual({
      code: 'file_header',
      params: { line: 1, columns: expect.stringContaining('codice_fiscale') },
    });
    expect(header.error.problems.map((p: { code: string }) => p.code)).toContain('file_columns_missing');
  });

  it('[administrator] a refusal stored as English text before codes reads as kind unknown, with its text', async () => {
    const staff = await m.t.app.db.selectFrom('staff_users').select('id').executeTakeFirstOrThrow();
    await m.t.app.db
      .insertInto('registry_imports')
      .values({
        id: '01930000-0000-7000-8000-0000000000aa',
        staff_id: staff.id,
        file_name: 'vecchio.csv',
        file_bytes: 10,
        status: 'failed',
        rows_read: 0,
        check_report: null,
        apply_report: null,
        error: 'line 1: the header must name exactly these columns',
        created_at: '2026-12-01T10:00:00.000Z',
        checked_at: null,
        applied_by: null,
        applied_at: null,
      })
      .execute();
    const res = await m.t.app.inject({
      url: '/api/v1/staff/registry/imports/01930000-0000-7000-8000-0000000000aa',
      headers: as(admin),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().error).toEqual({
      kind: 'unknown',
      problems: [],
      message: 'line 1: the header must name exactly these columns',
    });
  });

  it('[administrator] a huge or crowded header is refused with a short message: at most 20 names, each cut', async () => {
    const columns = fixture('demo-members.csv').split('\n')[0] ?? '';
    const many = (n: number, width: number) =>
      Array.from({ length: n }, (_, i) => `colonna_sconosciuta_${String(i).padStart(width, '0')}`);
    const huge = await settled(
      (await upload(`${columns};${many(5_000, 5).join(';')}\nA;B\n`, 'enorme.csv')).json().id,
    );
    expect(huge.status).toBe('failed');
    expect(huge.error).toMatchObject({ kind: 'header', line: 1 });
    expect(huge.error.problems).toEqual([
      { code: 'file_header', params: { line: 1, columns: expect.any(String) } },
      { code: 'file_header_too_long', params: { bytes: 4096 } },
    ]);
    expect(JSON.stringify(huge.error).length).toBeLessThan(1_000);

    const crowded = [...many(60, 30), 'x'.repeat(300)];
    const view = await settled(
      (await upload(`${columns};${crowded.join(';')}\nA;B\n`, 'affollato.csv')).json().id,
    );
    expect(view.status).toBe('failed');
    const unknown = view.error.problems.find((p: { code: string }) => p.code === 'file_columns_unknown_more');
    expect(unknown.params.names).toContain('colonna_sconosciuta_');
    expect(unknown.params.more).toBe(41);
    expect(JSON.stringify(view.error)).not.toContain('x'.repeat(41));
    expect(JSON.stringify(view.error).length).toBeLessThan(2_000);
    // Stored as a code and its params, no text.
    const stored = await m.t.app.db
      .selectFrom('registry_imports')
      .select(['error', 'error_code', 'error_params'])
      .where('file_name', 'in', ['enorme.csv', 'affollato.csv'])
      .execute();
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(row.error).toBeNull();
      expect(row.error_code).toBe('header');
      expect((row.error_params ?? '').length).toBeLessThan(2_000);
    }
  });

  it('[operator] finds members by codice fiscale, email or name; opening a member page is audited', async () => {
    const byCf = (
      await m.t.app.inject({
        url: '/api/v1/staff/registry/members?q=smpfnc72d18h501q',
        headers: as(operator),
      })
    ).json();
    expect(byCf.members).toHaveLength(1);
    expect(byCf.members[0]).toMatchObject({
      surname: 'Esempio',
      name: 'Franco',
      accountState: 'not_registered',
      plan: { code: 'ONECARE-DEMO' },
    });
    const byEmail = (
      await m.t.app.inject({
        url: '/api/v1/staff/registry/members?q=TERESA.fittizia@example.test',
        headers: as(operator),
      })
    ).json();
    expect(byEmail.members.map((x: { name: string }) => x.name)).toEqual(['Teresa']);
    const byName = (
      await m.t.app.inject({ url: '/api/v1/staff/registry/members?q=esempio%20fra', headers: as(operator) })
    ).json();
    expect(byName.members.map((x: { name: string }) => x.name)).toEqual(['Franco']);

    const id = byCf.members[0].id;
    const page = await m.t.app.inject({ url: `/api/v1/staff/registry/members/${id}`, headers: as(operator) });
    expect(page.statusCode).toBe(200);
    expect(
      page
        .json()
        .family.map((f: { name: string }) => f.name)
        .sort(),
    ).toEqual(['Davide', 'Irene', 'Teresa']);
    const audit = await m.t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event', '=', 'sensitive_read')
      .execute();
    expect(audit.at(-1)).toMatchObject({ actor_type: 'staff', subject_id: id, outcome: 'success' });
  });

  it('[operator] LIKE wildcards in a name search match only themselves; too short once they are left out: 400', async () => {
    const search = (q: string) =>
      m.t.app.inject({
        url: `/api/v1/staff/registry/members?q=${encodeURIComponent(q)}`,
        headers: as(operator),
      });
    for (const q of ['%%', '__', '%_', '% _', '\\\\', ' %a ', 'a%', '%% %%']) {
      const res = await search(q);
      expect([q, res.statusCode]).toEqual([q, 400]);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toEqual(['querystring.q']);
    }
    for (const q of ['es%', 'e_empio', '%esempio', 'es\\', 'es% fra']) {
      const res = await search(q);
      expect([q, res.statusCode, res.json().members]).toEqual([q, 200, []]);
    }
    expect((await search('esempio')).json().members.length).toBeGreaterThan(1);
  });

  it('[operator] each search is audited as sensitive_read, with its kind and result count, never its text', async () => {
    const before = await m.t.app.db
      .selectFrom('audit_events')
      .select('id')
      .where('event', '=', 'sensitive_read')
      .execute();
    const queries = ['esempio fra', 'SMPFNC72D18H501Q', 'teresa.fittizia@example.test'];
    for (const q of queries) {
      const res = await m.t.app.inject({
        url: `/api/v1/staff/registry/members?q=${encodeURIComponent(q)}`,
        headers: as(operator),
      });
      expect(res.statusCode).toBe(200);
    }
    const events = await m.t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event', '=', 'sensitive_read')
      .where(
        'id',
        'not in',
        before.map((e) => e.id),
      )
      .execute();
    expect(events.map((e) => [e.actor_type, e.outcome, e.subject_id])).toEqual([
      ['staff', 'success', null],
      ['staff', 'success', null],
      ['staff', 'success', null],
    ]);
    // Same instant on the test clock: compared in the order of their kinds.
    const details = events.map((e) => JSON.parse(e.details ?? '{}') as { kind: string });
    expect(details.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { what: 'registry_search', kind: 'codice_fiscale', results: 1 },
      { what: 'registry_search', kind: 'email', results: 1 },
      { what: 'registry_search', kind: 'name', results: 1 },
    ]);
    const stored = JSON.stringify(events).toLowerCase();
    for (const q of queries) expect(stored).not.toContain(q.toLowerCase());
    expect(stored).not.toContain('esempio');
  });

  it('[administrator] resends the activation ticket, unlocks an account, ends a coverage', async () => {
    const planId = await createPlan(m.t.app);
    const waiting = await createRegistryMember(m.t.app, planId);
    await postJson(m.t, '/api/v1/registrations', await registrationBody(m.t, waiting));
    await m.smtp.waitForEmail(waiting.email ?? '', { subject: /registrazione/ });
    const page = (
      await m.t.app.inject({ url: `/api/v1/staff/registry/members/${waiting.id}`, headers: as(admin) })
    ).json();
    expect(page.member.accountState).toBe('waiting_for_activation');
    const resend = await m.t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/registry/members/${waiting.id}/resend-activation`,
      headers: as(admin),
    });
    expect(resend.statusCode).toBe(204);
    const ticket = lineValue(
      await m.smtp.waitForEmail(waiting.email ?? '', { subject: /registrazione/ }),
      'TICKET NUMBER',
    );
    expect((await postJson(m.t, '/api/v1/activations', { ticket })).statusCode).toBe(200);

    const locked = await createRegistryMember(m.t.app, planId);
    const creds = await registerAndActivate(m, locked);
    await m.t.app.db
      .updateTable('member_accounts')
      .set({ password_locked_at: clock.now().toISOString() })
      .where('username', '=', creds.username)
      .execute();
    expect(
      (
        await m.t.app.inject({ url: `/api/v1/staff/registry/members/${locked.id}`, headers: as(admin) })
      ).json().member.accountState,
    ).toBe('locked');
    expect(
      (
        await m.t.app.inject({
          method: 'POST',
          url: `/api/v1/staff/registry/members/${locked.id}/unlock`,
          headers: as(operator),
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await m.t.app.inject({
          method: 'POST',
          url: `/api/v1/staff/registry/members/${locked.id}/unlock`,
          headers: as(admin),
        })
      ).statusCode,
    ).toBe(204);
    expect((await login(m.t, creds.username, creds.temporaryPassword)).statusCode).toBe(200);

    const leaving = await createRegistryMember(m.t.app, planId);
    const end = await m.t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/registry/members/${leaving.id}/end-coverage`,
      headers: as(admin),
      payload: { date: '2026-11-19' },
    });
    expect(end.statusCode).toBe(204);
    await postJson(m.t, '/api/v1/registrations', await registrationBody(m.t, leaving));
    expect((await m.smtp.waitForEmail(leaving.email ?? '')).text).toContain(
      'non ha riscontrato in anagrafica',
    );
  });

  it('[member] the dashboard lists the family members covered with them', async () => {
    const franco = (
      await m.t.app.inject({ url: '/api/v1/staff/registry/members?q=SMPFNC72D18H501Q', headers: as(admin) })
    ).json().members[0];
    const creds = await registerAndActivate(m, {
      id: franco.id,
      surname: 'Esempio',
      name: 'Franco',
      birthDate: '1972-04-18',
      codiceFiscale: 'SMPFNC72D18H501Q',
      email: 'franco.esempio@example.test',
    });
    const first = await login(m.t, creds.username, creds.temporaryPassword);
    const changed = await postJson(
      m.t,
      '/api/v1/auth/password',
      { newPassword: GOOD_PASSWORD, newPasswordConfirmation: GOOD_PASSWORD },
      { cookie: sessionCookie(first) },
    );
    const family = (
      await m.t.app.inject({ url: '/api/v1/me/family', headers: { cookie: sessionCookie(changed) } })
    ).json().family;
    expect(family.map((f: { name: string; role: string }) => `${f.name} ${f.role}`).sort()).toEqual([
      'Davide figlio',
      'Irene figlio',
      'Teresa coniuge',
    ]);
  });
});
