import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/lib/password-hashing.js';
import {
  accountFor,
  api,
  type Ctx,
  claimsContext,
  codes,
  demoRegistryIds,
  driveClaim,
  IBAN,
  insertSubmittedClaim,
  staffFor,
} from '../helpers/claims.js';
import { GOOD_PASSWORD, login, postJson, sessionCookie } from '../helpers/member-flow.js';
import { totpCode } from '../helpers/staff.js';

const require = createRequire(import.meta.url);
const FhirValidator = require('@asymmetrik/fhir-json-schema-validator') as new () => {
  validate(resource: unknown): unknown[];
};

const NEW_IBAN = 'IT06X0306909606100000063581';

describe('the member space', () => {
  let c: Ctx & { close(): Promise<void> };
  let planId: string;
  beforeAll(async () => {
    c = await claimsContext('2026-06-10T08:00:00.000Z');
    planId = (await demoRegistryIds(c.t.app)).planId;
  });
  afterAll(() => c.close());

  const outbox = (to: string) =>
    c.t.app.db
      .selectFrom('outbox_emails')
      .selectAll()
      .where('recipient', '=', to)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  const tokenIn = (text: string) => {
    const m = /[?&]token=([A-Za-z0-9_%-]+)/.exec(text);
    if (!m?.[1]) throw new Error('no token in the email');
    return decodeURIComponent(m[1]);
  };

  const accounts = new Map<string, Awaited<ReturnType<typeof newMember>>>();
  /** The demo member's account (one per registry member), with a real password and a session. */
  async function member(key: string) {
    const known = accounts.get(key);
    if (known) {
      const row = await c.t.app.db
        .selectFrom('member_accounts')
        .select('email')
        .where('id', '=', known.id)
        .executeTakeFirstOrThrow();
      return { ...known, email: row.email };
    }
    const made = await newMember(key);
    accounts.set(key, made);
    return made;
  }
  async function newMember(key: string) {
    const a = await accountFor(c, key);
    await c.t.app.db
      .updateTable('member_accounts')
      .set({ password_hash: await hashPassword(GOOD_PASSWORD) })
      .where('id', '=', a.id)
      .execute();
    const row = await c.t.app.db
      .selectFrom('member_accounts')
      .select('username')
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    return { ...a, username: row.username, http: api(c, a.cookie) };
  }

  it('[member] an email change waits for the link sent to the new address; the old address is told', async () => {
    const m = await member('mario');
    expect(
      (await m.http.post('/api/v1/profile/email', { email: m.email })).json().error.details[0].code,
    ).toBe('email_same');
    expect((await m.http.post('/api/v1/profile/email', { email: 'not an address' })).statusCode).toBe(400);
    expect(
      (await m.http.post('/api/v1/profile/email', { email: 'nuovo.indirizzo@example.test' })).statusCode,
    ).toBe(202);
    const profile = (await m.http.get('/api/v1/profile')).json();
    expect(profile.email).toBe(m.email);
    expect(profile.pendingEmail).toBe('nuovo.indirizzo@example.test');
    const [confirm] = await outbox('nuovo.indirizzo@example.test');
    expect(confirm?.subject).not.toContain('nuovo.indirizzo');
    const notices = await outbox(m.email);
    expect(notices.map((e) => e.template)).toEqual(['email-change-notice']);
    const token = tokenIn(confirm?.text_body ?? '');
    expect((await postJson(c.t, '/api/v1/profile/email/confirm', { token })).statusCode).toBe(204);
    expect((await m.http.get('/api/v1/profile')).json().email).toBe('nuovo.indirizzo@example.test');
    // Once only.
    const again = await postJson(c.t, '/api/v1/profile/email/confirm', { token });
    expect(again.json().error.code).toBe('LINK_INVALID');
    expect((await outbox(m.email)).length).toBe(2);
  });

  it('[member] an IBAN change needs the password, tells the account at once, applies to the claims sent after it', async () => {
    const m = await member('sofia');
    const family = c.registry.get('mario') ?? '';
    const before = await insertSubmittedClaim(c.t.app, {
      accountId: m.id,
      familyId: family,
      beneficiaryId: c.registry.get('sofia') ?? '',
      planId,
      category: 'visite_specialistiche',
      submittedAt: '2026-06-01T09:00:00.000Z',
      lines: [{ invoiceDate: '2026-05-20', amountCents: 10_000, estimatedCents: 5_000 }],
    });
    const noPassword = await m.http.put('/api/v1/profile/iban', { iban: NEW_IBAN, holder: 'Sofia Rossi' });
    expect(codes(noPassword)).toEqual(['current_password_wrong']);
    const wrong = await m.http.put('/api/v1/profile/iban', {
      iban: NEW_IBAN,
      holder: 'Sofia Rossi',
      password: 'x',
    });
    expect(codes(wrong)).toEqual(['current_password_wrong']);
    const bad = await m.http.put('/api/v1/profile/iban', {
      iban: 'IT00X123',
      holder: 'M',
      password: GOOD_PASSWORD,
    });
    expect(codes(bad).sort()).toEqual(['holder_invalid', 'iban_invalid']);
    expect(await outbox(m.email)).toEqual([]);

    const ok = await m.http.put('/api/v1/profile/iban', {
      iban: 'IT06 X030 6909 6061 0000 0063 581',
      holder: 'Sofia Rossi',
      password: GOOD_PASSWORD,
    });
    expect(ok.statusCode).toBe(204);
    const [notice] = await outbox(m.email);
    expect(notice?.template).toBe('iban-changed');
    expect(notice?.text_body).toContain('3581');
    expect(notice?.text_body).not.toContain(NEW_IBAN);
    // The claim sent before keeps its IBAN; the wizard starts from the new one.
    const old = await c.t.app.db
      .selectFrom('claims')
      .select('iban')
      .where('id', '=', before)
      .executeTakeFirstOrThrow();
    expect(old.iban).toBe(IBAN);
    const options = (await m.http.get('/api/v1/claims/options')).json();
    expect(options.payee).toEqual({ iban: NEW_IBAN, accountHolder: 'Sofia Rossi' });

    // "Non sono stato io": frozen, every session ends, no further change.
    const report = await postJson(c.t, '/api/v1/profile/iban/report', {
      token: tokenIn(notice?.text_body ?? ''),
    });
    expect(report.statusCode).toBe(204);
    expect((await m.http.get('/api/v1/profile')).statusCode).toBe(401);
    const { token } = await c.t.app.sessions.create('member', m.id);
    const again = api(c, `onecare_session=${token}`);
    expect((await again.get('/api/v1/profile')).json().ibanFrozen).toBe(true);
    // A claim sent to the reported IBAN is paid nothing until support has checked.
    const hijacked = await insertSubmittedClaim(c.t.app, {
      accountId: m.id,
      familyId: family,
      beneficiaryId: c.registry.get('sofia') ?? '',
      planId,
      category: 'visite_specialistiche',
      submittedAt: '2026-06-09T09:00:00.000Z',
      lines: [{ invoiceDate: '2026-06-01', amountCents: 10_000, estimatedCents: 5_000 }],
    });
    await c.t.app.db.updateTable('claims').set({ iban: NEW_IBAN }).where('id', '=', hijacked).execute();
    await driveClaim(c.t.app, hijacked, { to: 'approved', by: 'staff' });
    const admin = await staffFor(c, 'admin.iban', 'administrator');
    const payable = (await api(c, admin.cookie).get('/api/v1/staff/payments/payable')).json();
    const payableIds = payable.claims.map((x: { claimId: string }) => x.claimId);
    expect(payableIds).not.toContain(hijacked);
    const frozen = await again.put('/api/v1/profile/iban', {
      iban: IBAN,
      holder: 'Sofia Rossi',
      password: GOOD_PASSWORD,
    });
    expect(frozen.statusCode).toBe(409);
    expect(codes(frozen)).toEqual(['iban_frozen']);
    expect((await again.get('/api/v1/claims/options')).json().payee).not.toEqual({
      iban: NEW_IBAN,
      accountHolder: 'Sofia Rossi',
    });
  });

  it('[member] two-step verification: enrol, log in with a code, a replayed code is refused, recovery codes work once', async () => {
    const m = await member('anna');
    const start = await m.http.post('/api/v1/profile/two-factor/start', { password: GOOD_PASSWORD });
    expect(start.statusCode).toBe(200);
    const { secret, uri, qrSvg } = start.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(qrSvg).toContain('<svg');
    expect(codes(await m.http.post('/api/v1/profile/two-factor/confirm', { code: '000000' }))).toEqual([
      'totp_invalid',
    ]);
    const confirm = await m.http.post('/api/v1/profile/two-factor/confirm', {
      code: totpCode(secret, c.clock.now()),
    });
    const { recoveryCodes } = confirm.json();
    expect(recoveryCodes).toHaveLength(10);
    expect((await m.http.get('/api/v1/profile')).json().twoFactor).toEqual({
      enabled: true,
      recoveryCodesLeft: 10,
    });

    // The password alone opens no session.
    c.clock.advance(30_000);
    const first = await login(c.t, m.username, GOOD_PASSWORD);
    expect(first.statusCode).toBe(200);
    expect(first.cookies.find((x) => x.name.endsWith('onecare_session'))).toBeUndefined();
    const { pendingToken, twoFactorRequired } = first.json();
    expect(twoFactorRequired).toBe(true);
    const code = totpCode(secret, c.clock.now());
    const second = await postJson(c.t, '/api/v1/auth/login/code', { pendingToken, code });
    expect(second.statusCode).toBe(200);
    expect(sessionCookie(second)).toContain('onecare_session=');

    // The same code once more (same step) is refused, even with a fresh pending login.
    const replay = await login(c.t, m.username, GOOD_PASSWORD);
    const refused = await postJson(c.t, '/api/v1/auth/login/code', {
      pendingToken: replay.json().pendingToken,
      code,
    });
    expect(codes(refused)).toEqual(['totp_invalid']);
    // A recovery code works, once.
    const rc = recoveryCodes[0];
    expect(
      (await postJson(c.t, '/api/v1/auth/login/code', { pendingToken: replay.json().pendingToken, code: rc }))
        .statusCode,
    ).toBe(200);
    const third = await login(c.t, m.username, GOOD_PASSWORD);
    expect(
      codes(
        await postJson(c.t, '/api/v1/auth/login/code', { pendingToken: third.json().pendingToken, code: rc }),
      ),
    ).toEqual(['totp_invalid']);

    // Disabling asks for a current code, not a recovery code.
    expect(
      codes(await m.http.post('/api/v1/profile/two-factor/disable', { code: recoveryCodes[1] })),
    ).toEqual(['totp_invalid']);
    c.clock.advance(30_000);
    const off = await m.http.post('/api/v1/profile/two-factor/disable', {
      code: totpCode(secret, c.clock.now()),
    });
    expect(off.statusCode).toBe(204);
    const plain = await login(c.t, m.username, GOOD_PASSWORD);
    expect(sessionCookie(plain)).toContain('onecare_session=');
  });

  it('[member] the sessions list marks the current one; one device or every other one can be signed out', async () => {
    const m = await member('giulia');
    const other = await c.t.app.sessions.create(
      'member',
      m.id,
      'Mozilla/5.0 (Windows NT 10.0) Firefox/140.0',
    );
    const third = await c.t.app.sessions.create('member', m.id, 'Mozilla/5.0 (iPhone) Safari/605.1');
    const list = (await m.http.get('/api/v1/profile/sessions')).json().sessions as {
      id: string;
      device: string;
      current: boolean;
    }[];
    expect(list).toHaveLength(3);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const firefox = list.find((s) => s.device.startsWith('Firefox'));
    expect(firefox?.device).toBe('Firefox · Windows');
    expect((await m.http.del(`/api/v1/profile/sessions/${firefox?.id}`)).statusCode).toBe(204);
    expect(await c.t.app.sessions.resume(other.token)).toBeUndefined();
    expect(await c.t.app.sessions.resume(third.token)).toBeDefined();
    expect((await m.http.post('/api/v1/profile/sessions/end-others')).json()).toEqual({ ended: 1 });
    expect(await c.t.app.sessions.resume(third.token)).toBeUndefined();
    expect((await m.http.get('/api/v1/profile/sessions')).json().sessions).toHaveLength(1);
  });

  it('[member] the yearly statement adds up to the cent; PDF and CSV say the same totals', async () => {
    const m = await member('mario');
    const family = c.registry.get('mario') ?? '';
    const luca = c.registry.get('luca') ?? '';
    const paid = await insertSubmittedClaim(c.t.app, {
      accountId: m.id,
      familyId: family,
      beneficiaryId: luca,
      planId,
      category: 'visite_specialistiche',
      submittedAt: '2025-03-01T09:00:00.000Z',
      lines: [
        { invoiceDate: '2025-02-10', amountCents: 12_345, estimatedCents: 6_001 },
        { invoiceDate: '2025-02-11', amountCents: 8_001, estimatedCents: 3_333 },
      ],
    });
    await driveClaim(c.t.app, paid, { to: 'approved', by: 'staff' });
    await driveClaim(c.t.app, paid, { to: 'paid', paidOn: '2025-04-02' });
    const res = await m.http.get('/api/v1/profile/statement?year=2025');
    expect(res.statusCode).toBe(200);
    const statement = res.json();
    const lucaPart = statement.persons.find((p: { id: string }) => p.id === luca);
    expect(lucaPart.totals).toEqual({ amountCents: 20_346, reimbursedCents: 9_334, leftCents: 11_012 });
    expect(lucaPart.lines[0].paidOn).toBe('2025-04-02');
    expect(statement.totals.amountCents).toBeGreaterThanOrEqual(20_346);
    const csv = await m.http.get('/api/v1/profile/statement.csv?year=2025');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('"203,46";"93,34";"";"110,12"');
    const pdf = await m.http.get('/api/v1/profile/statement.pdf?year=2025');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(codes(await m.http.get('/api/v1/profile/statement?year=2019'))).toEqual(['year_invalid']);
  });

  it('[member] the data export holds only the member’s own family, the documents sent and the staff reads', async () => {
    const m = await member('mario');
    const other = await member('anna');
    const family = c.registry.get('mario') ?? '';
    const annaId = c.registry.get('anna') ?? '';
    const mine = await insertSubmittedClaim(c.t.app, {
      accountId: m.id,
      familyId: family,
      beneficiaryId: family,
      planId,
      category: 'visite_specialistiche',
      submittedAt: '2026-06-02T09:00:00.000Z',
      lines: [{ invoiceDate: '2026-05-30', amountCents: 4_000, estimatedCents: 0 }],
    });
    const theirs = await insertSubmittedClaim(c.t.app, {
      accountId: other.id,
      familyId: annaId,
      beneficiaryId: annaId,
      planId,
      category: 'visite_specialistiche',
      submittedAt: '2026-06-02T10:00:00.000Z',
      lines: [{ invoiceDate: '2026-05-30', amountCents: 7_777, estimatedCents: 0 }],
    });
    const pdfBytes = Buffer.from('%PDF-1.4\n% fattura di prova\n%%EOF\n');
    const stored = await c.t.app.documents.save(Readable.from([pdfBytes]), {
      maxBytes: 1_000_000,
      folder: 'claims',
    });
    await c.t.app.db
      .insertInto('claim_documents')
      .values({
        id: `doc-${mine.slice(-8)}`,
        claim_id: mine,
        storage_key: stored.key,
        kind: 'fattura',
        file_name: 'fattura.pdf',
        media_type: 'application/pdf',
        bytes: stored.bytes,
        sha256: stored.sha256,
        phase: 'initial',
        sent: 1,
        uploaded_at: '2026-06-02T09:00:00.000Z',
      })
      .execute();
    // A booking each, with its prescription: the member's is in the export, the other family's not.
    const facility = await c.t.app.db
      .selectFrom('facilities')
      .select(['id', 'province'])
      .executeTakeFirstOrThrow();
    const prescriptionBytes = Buffer.from('%PDF-1.4\n% prescrizione di prova\n%%EOF\n');
    const booking = async (accountId: string, person: string, number: string) => {
      const id = `bk-${number}`;
      await c.t.app.db
        .insertInto('bookings')
        .values({
          id,
          number,
          account_id: accountId,
          family_id: person,
          beneficiary_id: person,
          plan_id: planId,
          plan_version: 1,
          service: 'visite_specialistiche',
          facility_id: facility.id,
          province: facility.province,
          windows: '[]',
          state: 'requested',
          idempotency_key: `key-${number}`,
          proposed_start: null,
          proposed_facility_id: null,
          proposal_deadline: null,
          start_at: null,
          confirmed_facility_id: null,
          code_hash: null,
          code_sealed: null,
          calendar_sequence: 0,
          reminder_sent_at: null,
          reject_reason: null,
          invoice_cents: null,
          expected_share_cents: null,
          claim_id: null,
          created_at: '2026-06-02T08:00:00.000Z',
          updated_at: '2026-06-02T08:00:00.000Z',
        })
        .execute();
      const file = await c.t.app.documents.save(Readable.from([prescriptionBytes]), {
        maxBytes: 1_000_000,
        folder: 'bookings',
      });
      await c.t.app.db
        .insertInto('booking_documents')
        .values({
          id: `bd-${number}`,
          booking_id: id,
          account_id: accountId,
          storage_key: file.key,
          kind: 'prescrizione',
          file_name: 'prescrizione.pdf',
          media_type: 'application/pdf',
          bytes: file.bytes,
          sha256: file.sha256,
          uploaded_at: '2026-06-02T08:00:00.000Z',
        })
        .execute();
    };
    await booking(m.id, family, 'PRE-2026-000901');
    await booking(other.id, annaId, 'PRE-2026-000902');
    // An operator opens the member's claim: it shows in the access log.
    const operator = await staffFor(c, `op.${mine.slice(-6)}`, 'claims_operator');
    expect((await api(c, operator.cookie).get(`/api/v1/staff/claims/${mine}`)).statusCode).toBe(200);
    const log = (await m.http.get('/api/v1/profile/access-log')).json().entries;
    expect(log[0]).toMatchObject({ role: 'claims_operator', what: 'claim', event: 'sensitive_read' });
    expect((await other.http.get('/api/v1/profile/access-log')).json().entries).toEqual([]);

    const requested = await m.http.post('/api/v1/profile/data-export');
    expect(requested.statusCode).toBe(202);
    expect((await m.http.post('/api/v1/profile/data-export')).statusCode).toBe(409);
    await c.t.app.dataExports.runPending();
    const status = (await m.http.get('/api/v1/profile/data-export')).json().export;
    expect(status).toMatchObject({ status: 'ready', progress: 100 });
    const mail = (await outbox(m.email)).find((e) => e.template === 'data-export-ready');
    const link = /(\/api\/v1\/profile\/data-export\/\S+)/.exec(mail?.text_body ?? '')?.[1] ?? '';
    const res = await c.t.app.inject({ method: 'GET', url: link });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    const data = JSON.parse(Buffer.from(files['data.json'] ?? []).toString('utf8'));
    expect(data.format).toBe('onecare-member-export/1');
    const ids = data.claims.map((x: { id: string }) => x.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    const text = Buffer.from(files['data.json'] ?? []).toString('utf8');
    expect(text).not.toContain(annaId);
    expect(text).not.toContain('7777');
    const docPath = Object.keys(files).find((f) => f.startsWith('documents/') && !f.includes('PRE-'));
    expect(Buffer.from(files[docPath ?? ''] ?? []).equals(pdfBytes)).toBe(true);
    expect(data.bookings.map((b: { number: string }) => b.number)).toEqual(['PRE-2026-000901']);
    expect(text).not.toContain('PRE-2026-000902');
    const prescriptionPath = Object.keys(files).find((f) => f.startsWith('documents/PRE-2026-000901/'));
    expect(Buffer.from(files[prescriptionPath ?? ''] ?? []).equals(prescriptionBytes)).toBe(true);
    expect(data.bookings[0].documents[0]).toMatchObject({
      fileName: 'prescrizione.pdf',
      path: prescriptionPath,
    });
    expect(text).not.toContain('storageKey');
    const access = JSON.parse(Buffer.from(files['access-log.json'] ?? []).toString('utf8'));
    expect(access.entries.some((e: { role: string }) => e.role === 'claims_operator')).toBe(true);
    // The link works once; the file goes with the purge.
    expect((await c.t.app.inject({ method: 'GET', url: link })).json().error.code).toBe('LINK_INVALID');
    expect(await c.t.app.dataExports.purge(c.clock.now())).toBe(1);
    expect((await m.http.get('/api/v1/profile/data-export')).json().export.status).toBe('downloaded');
  });

  it('[administrator] the FHIR export is a valid R4 bundle of the one member; other roles are refused', async () => {
    const family = c.registry.get('mario') ?? '';
    const admin = await staffFor(c, 'admin.fhir', 'administrator');
    const operator = await staffFor(c, 'op.fhir', 'claims_operator');
    const url = `/api/v1/staff/fhir/Patient/${family}/$everything`;
    expect((await api(c, operator.cookie).get(url)).statusCode).toBe(403);
    const res = await api(c, admin.cookie).get(url);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/fhir+json');
    const bundle = res.json();
    expect(bundle.resourceType).toBe('Bundle');
    const types = bundle.entry.map((e: { resource: { resourceType: string } }) => e.resource.resourceType);
    expect(types).toContain('Patient');
    expect(types).toContain('Coverage');
    expect(types).toContain('Claim');
    const validator = new FhirValidator();
    expect(validator.validate(bundle)).toEqual([]);
    for (const e of bundle.entry) expect(validator.validate(e.resource)).toEqual([]);
    expect(JSON.stringify(bundle)).not.toContain(c.registry.get('anna') ?? 'none');
    expect(
      (await api(c, admin.cookie).get('/api/v1/staff/fhir/Patient/unknown-id/$everything')).statusCode,
    ).toBe(404);
  });
});
