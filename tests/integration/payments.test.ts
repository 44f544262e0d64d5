import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoNetwork } from '../../server/demo/network.js';
import { demoMember, seedDemoRegistry } from '../../server/demo/registry.js';
import { ManualClock } from '../../server/lib/clock.js';
import { newId } from '../../server/lib/ids.js';
import type { StaffRole } from '../../server/modules/staff/staff.table.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { approveClaim } from '../helpers/claim-decisions.js';
import { invoicePdf, prescriptionPng } from '../helpers/claim-files.js';
import { ORIGIN } from '../helpers/member-flow.js';
import { readPain001, schemaProblems } from '../helpers/pain001.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

const FUND = { name: 'Fondo Sanitario Prova', iban: 'IT60X0542811101000000123456', bic: 'BPPIITRRXXX' };
const MARIO_IBAN = 'IT60X0542811101000000123456';
const ANNA_IBAN = 'IT36A0301503200000003517230';
const BATCHES = '/api/v1/staff/payments/batches';

/** The text of a PDF, as pdftotext (poppler-utils) reads it. */
function pdfText(pdf: Buffer): string {
  const out = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf });
  if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr.toString()}`);
  return out.stdout.toString('utf8');
}

describe('payments: batches, the SEPA file, paying, settlement letters', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let storage: string;
  const clock = new ManualClock('2026-06-10T08:00:00.000Z');
  const registry = new Map<string, string>();
  const staff = new Map<StaffRole, { id: string; cookie: string }>();
  let PDF: Buffer;
  let PNG: Buffer;
  let mario: { id: string; cookie: string; email: string };
  let anna: { id: string; cookie: string; email: string };
  let invoiceCounter = 0;

  async function accountFor(key: string, locale: 'it' | 'en') {
    const id = newId();
    const email = `${key}.${id.slice(-6)}@example.test`;
    await t.app.db
      .insertInto('member_accounts')
      .values({
        id,
        registry_member_id: registry.get(key) as string,
        username: `${key}.${id.slice(-6)}`,
        email,
        locale,
        password_hash: 'not-used-here',
        must_change_password: 0,
        temp_password_expires_at: null,
        password_changed_at: clock.now().toISOString(),
        failed_logins: 0,
        password_locked_at: null,
        created_at: clock.now().toISOString(),
      })
      .execute();
    const { token } = await t.app.sessions.create('member', id);
    return { id, cookie: `onecare_session=${token}`, email };
  }

  const call = (
    cookie: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method,
      url,
      headers: { ...ORIGIN, cookie },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const admin = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    call(staff.get('administrator')?.cookie ?? '', method, url, payload);

  /** A claim sent through the member's routes: one out-of-network specialist visit. */
  async function submitClaim(
    who: { cookie: string },
    beneficiaryKey: string,
    options: { amountCents?: number; iban: string; accountHolder: string },
  ): Promise<{ id: string; number: string }> {
    const start = await call(who.cookie, 'POST', '/api/v1/claims/drafts');
    const id = (start.json() as { id: string }).id;
    const saved = await call(who.cookie, 'PUT', `/api/v1/claims/drafts/${id}`, {
      beneficiaryId: registry.get(beneficiaryKey),
      category: 'visite_specialistiche',
      invoices: [
        {
          id: newId(),
          invoiceDate: '2026-05-20',
          invoiceNumber: `FT-${++invoiceCounter}`,
          issuerName: 'Studio Medico Àrnica',
          issuerTaxId: '01234567890',
          amountCents: options.amountCents ?? 12_000,
          channel: 'out_of_network',
          facilityId: null,
        },
      ],
      iban: options.iban,
      accountHolder: options.accountHolder,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    for (const [kind, name, body, type] of [
      ['fattura', 'fattura.pdf', PDF, 'application/pdf'],
      ['prescrizione', 'ricetta.png', PNG, 'image/png'],
    ] as const) {
      const up = await t.app.inject({
        method: 'POST',
        url: `/api/v1/claims/drafts/${id}/documents?kind=${kind}&name=${name}`,
        headers: { ...ORIGIN, cookie: who.cookie, 'content-type': type },
        payload: body,
      });
      expect(up.statusCode, up.body).toBe(201);
    }
    const sent = await call(who.cookie, 'POST', `/api/v1/claims/drafts/${id}/submit`, {
      declaration: true,
      idempotencyKey: newId(),
    });
    expect(sent.statusCode, sent.body).toBe(200);
    return { id, number: (sent.json() as { number: string }).number };
  }

  const claimRow = (id: string) =>
    t.app.db.selectFrom('claims').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditEvents = (event: string) =>
    t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event', '=', event)
      .orderBy('occurred_at')
      .execute();

  beforeAll(async () => {
    PDF = await invoicePdf();
    PNG = await prescriptionPng();
    storage = mkdtempSync(join(tmpdir(), 'onecare-payments-'));
    smtp = await startSmtpServer();
    t = await buildTestApp({
      clock,
      startWorker: true,
      env: {
        STORAGE_DIR: storage,
        MAIL_TRANSPORT: 'smtp',
        SMTP_URL: smtp.url,
        FUND_NAME: FUND.name,
        FUND_IBAN: FUND.iban,
        FUND_BIC: FUND.bic,
        // The demo plan would approve simple claims at once: here operators decide them.
        CLAIM_AUTO_SAMPLE_BASIS_POINTS: '10000',
      },
    });
    await seedDemoRegistry(t.app.db, t.app.dialect, clock);
    await seedDemoNetwork(t.app.db, clock);
    const rows = await t.app.db.selectFrom('registry_members').select(['id', 'codice_fiscale']).execute();
    for (const key of ['mario', 'luca', 'anna']) {
      const row = rows.find((r) => r.codice_fiscale === demoMember(key).codiceFiscale);
      if (row) registry.set(key, row.id);
    }
    mario = await accountFor('mario', 'it');
    anna = await accountFor('anna', 'en');
    for (const role of ['administrator', 'auditor', 'claims_operator', 'booking_desk'] as const) {
      const { username, secret } = await enrolledStaff(t.app, clock, `pay.${role.replace('_', '')}`, role);
      clock.advance(30_000);
      const login = await staffLogin(t.app, username, totpCode(secret, clock.now()));
      expect(login.statusCode, login.body).toBe(200);
      const user = await t.app.db
        .selectFrom('staff_users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      staff.set(role, { id: user.id, cookie: staffCookie(login) });
    }
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    rmSync(storage, { recursive: true, force: true });
  });

  // Claims shared by the tests below, in the order they are decided.
  let paidFull: { id: string; number: string };
  let paidPart: { id: string; number: string };
  let waiting: { id: string; number: string };
  let nothing: { id: string; number: string };
  let batchId = '';
  let fileBytes: Buffer;

  it('[administrator] a batch gathers only approved claims with an amount to pay, in no batch yet', async () => {
    paidFull = await submitClaim(mario, 'luca', { iban: MARIO_IBAN, accountHolder: 'Mario Demo' });
    paidPart = await submitClaim(anna, 'anna', {
      iban: ANNA_IBAN,
      accountHolder: 'Anna Çelik D’Angelo',
      amountCents: 30_000,
    });
    waiting = await submitClaim(mario, 'mario', { iban: MARIO_IBAN, accountHolder: 'Mario Demo' });
    nothing = await submitClaim(mario, 'luca', { iban: MARIO_IBAN, accountHolder: 'Mario Demo' });
    const inReview = await submitClaim(anna, 'anna', { iban: ANNA_IBAN, accountHolder: 'Anna Esempio' });
    await approveClaim(t.app, paidFull.id);
    clock.advance(60_000);
    await approveClaim(t.app, paidPart.id, [12_345]);
    await approveClaim(t.app, nothing.id, [0]);
    await t.app.claims.transition(inReview.id, 'in_review', 'system');
    expect((await claimRow(paidFull.id)).state).toBe('approved');
    expect((await claimRow(paidPart.id)).state).toBe('partially_approved');
    expect((await claimRow(nothing.id)).state).toBe('rejected');

    const preview = await admin('GET', '/api/v1/staff/payments/payable');
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      claimCount: 2,
      totalCents: 7_000 + 12_345,
      more: false,
      openDraftId: null,
      defaultExecutionDate: '2026-06-11',
    });
    expect(preview.json().claims.map((c: { number: string }) => c.number)).toEqual([
      paidFull.number,
      paidPart.number,
    ]);
    expect(preview.json().claims[1]).toMatchObject({
      accountHolder: 'Anna Çelik D’Angelo',
      ibanMasked: 'IT** **** … 7230',
      amountCents: 12_345,
      paid: false,
    });

    const created = await admin('POST', BATCHES, {});
    expect(created.statusCode, created.body).toBe(201);
    const batch = created.json();
    batchId = batch.id;
    expect(batch).toMatchObject({
      state: 'draft',
      claimCount: 2,
      totalCents: 19_345,
      executionDate: '2026-06-11',
      debtorName: FUND.name,
      debtorIbanMasked: 'IT** **** … 3456',
      sentAt: null,
      paidAt: null,
      valueDate: null,
    });
    expect(batch.messageId).toMatch(/^OC-20260610-[0-9A-F]{8}$/);
    expect(batch.fileName).toBe(`${batch.messageId}.xml`);
    expect(batch.claims.map((c: { claimId: string }) => c.claimId)).toEqual([paidFull.id, paidPart.id]);
    expect(JSON.stringify(batch)).not.toContain(ANNA_IBAN);
    // Nothing left to pay: the next "CREA DISTINTA" answers with the open draft.
    expect((await admin('GET', '/api/v1/staff/payments/payable')).json()).toMatchObject({
      claimCount: 0,
      openDraftId: batchId,
    });
  });

  it('[administrator] the SEPA file: every field, exact counts and sums, the SEPA character set, the same bytes at every download', async () => {
    const res = await admin('GET', `${BATCHES}/${batchId}/file`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    const batch = (await admin('GET', `${BATCHES}/${batchId}`)).json();
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${batch.messageId}.xml"`);
    fileBytes = res.rawPayload;
    const xml = fileBytes.toString('utf8');
    expect(schemaProblems(xml)).toEqual([]);
    expect(readPain001(xml)).toEqual({
      namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03',
      messageId: batch.messageId,
      // 08:00 UTC in June is 10:00 in Italy; the batch was made after the staff logins moved the clock.
      createdAt: expect.stringMatching(/^2026-06-10T10:0\d:\d\d$/),
      groupCount: '2',
      groupSum: '193.45',
      initiatorName: FUND.name,
      paymentInfoId: `${batch.messageId}.1`,
      method: 'TRF',
      batchBooking: 'true',
      count: '2',
      sum: '193.45',
      serviceLevel: 'SEPA',
      executionDate: '2026-06-11',
      debtorName: FUND.name,
      debtorIban: FUND.iban,
      debtorBic: FUND.bic,
      chargeBearer: 'SLEV',
      transfers: [
        {
          instrId: '1',
          endToEndId: paidFull.number,
          amount: '70.00',
          currency: 'EUR',
          creditorName: 'Mario Demo',
          creditorIban: MARIO_IBAN,
          remittance: `Rimborso pratica ${paidFull.number}`,
        },
        {
          instrId: '2',
          endToEndId: paidPart.number,
          amount: '123.45',
          currency: 'EUR',
          creditorName: "Anna Celik D'Angelo",
          creditorIban: ANNA_IBAN,
          remittance: `Rimborso pratica ${paidPart.number}`,
        },
      ],
    });
    // Later (the file is not written again): the same bytes.
    clock.advance(20 * 60_000);
    const again = await admin('GET', `${BATCHES}/${batchId}/file`);
    expect(again.rawPayload.equals(fileBytes)).toBe(true);
    const auditor = await call(staff.get('auditor')?.cookie ?? '', 'GET', `${BATCHES}/${batchId}/file`);
    expect(auditor.rawPayload.equals(fileBytes)).toBe(true);
    const downloads = await auditEvents('payment_batch_downloaded');
    expect(downloads.map((e) => e.actor_id).sort()).toEqual(
      [staff.get('administrator')?.id, staff.get('administrator')?.id, staff.get('auditor')?.id].sort(),
    );
    const createdEvents = await auditEvents('payment_batch_created');
    expect(createdEvents).toHaveLength(1);
    expect(createdEvents[0]).toMatchObject({ actor_type: 'staff', actor_id: staff.get('administrator')?.id });
    expect(JSON.parse(createdEvents[0]?.details ?? '{}')).toMatchObject({
      batch: batchId,
      claims: 2,
      totalCents: 19_345,
    });
  });

  it('[administrator] a double click makes one batch; a claim is in one live batch at most, in the database too', async () => {
    const twice = await Promise.all([admin('POST', BATCHES, {}), admin('POST', BATCHES, {})]);
    expect(twice.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(twice.map((r) => r.json().id)).toEqual([batchId, batchId]);
    const batches = await t.app.db.selectFrom('payment_batches').select('id').execute();
    expect(batches).toHaveLength(1);
    // The unique index refuses a second live row for a claim, whatever the code above it does.
    const otherId = newId();
    await t.app.db
      .insertInto('payment_batches')
      .values({
        id: otherId,
        message_id: 'OC-TEST-DIRECT',
        state: 'sent',
        claim_count: 1,
        total_cents: 7_000,
        execution_date: '2026-06-11',
        debtor_name: FUND.name,
        debtor_iban: FUND.iban,
        debtor_bic: FUND.bic,
        file_xml: '<x/>',
        file_sha256: 'x',
        created_at: clock.now().toISOString(),
        created_by: staff.get('administrator')?.id ?? '',
        sent_at: null,
        sent_by: null,
        value_date: null,
        paid_at: null,
        paid_by: null,
        cancelled_at: null,
        cancelled_by: null,
      })
      .execute();
    const item = {
      batch_id: otherId,
      claim_id: paidFull.id,
      position: 1,
      amount_cents: 7_000,
      account_holder: 'Mario Demo',
      iban: MARIO_IBAN,
    };
    await expect(
      t.app.db
        .insertInto('payment_batch_items')
        .values({ ...item, live: 1 })
        .execute(),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(23505|SQLITE_CONSTRAINT_UNIQUE)$/) });
    // As a cancelled batch's row it is allowed.
    await t.app.db
      .insertInto('payment_batch_items')
      .values({ ...item, live: 0 })
      .execute();
    await t.app.db.deleteFrom('payment_batch_items').where('batch_id', '=', otherId).execute();
    await t.app.db.deleteFrom('payment_batches').where('id', '=', otherId).execute();
  });

  it('[administrator] cancelling a draft gives its claims back; the next batch has another MsgId', async () => {
    const cancelled = await admin('POST', `${BATCHES}/${batchId}/cancel`, {});
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', cancelledAt: expect.any(String) });
    expect((await admin('POST', `${BATCHES}/${batchId}/cancel`, {})).json().state).toBe('cancelled');
    expect((await admin('POST', `${BATCHES}/${batchId}/sent`, {})).json().error.details).toEqual([
      expect.objectContaining({ code: 'batch_not_draft' }),
    ]);
    expect((await auditEvents('payment_batch_cancelled')).map((e) => e.actor_id)).toEqual([
      staff.get('administrator')?.id,
    ]);
    const preview = (await admin('GET', '/api/v1/staff/payments/payable')).json();
    expect(preview).toMatchObject({ claimCount: 2, totalCents: 19_345, openDraftId: null });

    // Two administrators at the same moment: one batch, which both get.
    const [first, second] = await Promise.all([
      admin('POST', BATCHES, { executionDate: '2026-06-15' }),
      admin('POST', BATCHES, { executionDate: '2026-06-15' }),
    ]);
    expect([first?.statusCode, second?.statusCode].sort()).toEqual([200, 201]);
    expect(first?.json().id).toBe(second?.json().id);
    const next = (first?.statusCode === 201 ? first : second) as LightMyRequestResponse;
    expect(await t.app.db.selectFrom('payment_batches').select('id').execute()).toHaveLength(2);
    const old = (await admin('GET', `${BATCHES}/${batchId}`)).json();
    expect(next.json().messageId).not.toBe(old.messageId);
    expect(next.json()).toMatchObject({ claimCount: 2, totalCents: 19_345, executionDate: '2026-06-15' });
    batchId = next.json().id;
    // The old file is still the old file.
    expect((await admin('GET', `${BATCHES}/${old.id}/file`)).rawPayload.equals(fileBytes)).toBe(true);
  });

  it('[administrator] dates are checked: execution from today to 30 days ahead, value date from the batch day', async () => {
    await admin('POST', `${BATCHES}/${batchId}/cancel`, {});
    const past = await admin('POST', BATCHES, { executionDate: '2026-06-09' });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details).toEqual([
      expect.objectContaining({
        field: 'executionDate',
        code: 'date_before_allowed',
        params: { date: '10/06/2026' },
      }),
    ]);
    const far = await admin('POST', BATCHES, { executionDate: '2026-08-01' });
    expect(far.json().error.details).toEqual([
      expect.objectContaining({ code: 'date_too_far', params: { date: '10/07/2026' } }),
    ]);
    clock.advance(1000);
    const batch = await admin('POST', BATCHES, {});
    expect(batch.statusCode).toBe(201);
    batchId = batch.json().id;
    const notSent = await admin('POST', `${BATCHES}/${batchId}/paid`, { valueDate: '2026-06-11' });
    expect(notSent.statusCode).toBe(409);
    expect(notSent.json().error.details).toEqual([expect.objectContaining({ code: 'batch_not_sent' })]);
  });

  it('[administrator] INVIATO ALLA BANCA, then PAGATO with the value date: each claim paid through the claims module, members told by email; a retry pays nobody twice', async () => {
    const sent = await admin('POST', `${BATCHES}/${batchId}/sent`, {});
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toMatchObject({ state: 'sent', sentAt: expect.any(String) });
    expect((await admin('POST', `${BATCHES}/${batchId}/sent`, {})).statusCode).toBe(200);
    const cancel = await admin('POST', `${BATCHES}/${batchId}/cancel`, {});
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().error.details).toEqual([expect.objectContaining({ code: 'batch_not_draft' })]);
    const early = await admin('POST', `${BATCHES}/${batchId}/paid`, { valueDate: '2026-06-01' });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.details).toEqual([
      expect.objectContaining({ field: 'valueDate', code: 'date_before_allowed' }),
    ]);

    const paid = await admin('POST', `${BATCHES}/${batchId}/paid`, { valueDate: '2026-06-12' });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ state: 'paid', valueDate: '2026-06-12', paidAt: expect.any(String) });
    expect(paid.json().claims.every((c: { paid: boolean }) => c.paid)).toBe(true);
    for (const [claim, cents] of [
      [paidFull, 7_000],
      [paidPart, 12_345],
    ] as const) {
      const row = await claimRow(claim.id);
      expect(row).toMatchObject({
        state: 'paid',
        paid_on: '2026-06-12',
        paid_cents: cents,
        accepted_cents: cents,
      });
      const lines = await t.app.db
        .selectFrom('claim_invoices')
        .select(['accepted_cents', 'paid_cents'])
        .where('claim_id', '=', claim.id)
        .execute();
      expect(lines).toEqual([{ accepted_cents: cents, paid_cents: cents }]);
      const events = await t.app.db
        .selectFrom('claim_events')
        .selectAll()
        .where('claim_id', '=', claim.id)
        .where('to_state', '=', 'paid')
        .execute();
      expect(events).toEqual([
        expect.objectContaining({
          actor_kind: 'staff',
          actor_id: staff.get('administrator')?.id,
          reason_code: 'payment_ordered',
        }),
      ]);
    }
    // The news emails, by SMTP: in review, decided (the test's decision), then paid.
    const news = async (to: string, subject: string) => {
      const mails = [];
      for (let i = 0; i < 3; i++)
        mails.push(await smtp.waitForEmail(to, { subject: new RegExp(`^${subject}$`) }));
      return mails;
    };
    const itMails = await news(mario.email, `Novità sulla tua pratica n. ${paidFull.number}`);
    const enMails = await news(anna.email, `News on your claim no. ${paidPart.number}`);
    for (const mail of [...itMails, ...enMails]) expect(mail.text).not.toMatch(/€|123,45|70,00|IT\d\d/);
    expect(itMails[2]?.text).toContain(`/pratiche/${paidFull.id}`);

    // The member sees the value date on the claim.
    expect((await call(mario.cookie, 'GET', `/api/v1/claims/${paidFull.id}`)).json()).toMatchObject({
      state: 'paid',
      paidOn: '2026-06-12',
      paidCents: 7_000,
    });

    // The same order again: the same answer, nothing paid twice, no more emails.
    const outboxBefore = await t.app.db.selectFrom('outbox_emails').select('id').execute();
    const again = await admin('POST', `${BATCHES}/${batchId}/paid`, { valueDate: '2026-06-12' });
    expect(again.statusCode).toBe(200);
    expect(again.json().state).toBe('paid');
    const twice = await Promise.all([
      admin('POST', `${BATCHES}/${batchId}/paid`, { valueDate: '2026-06-12' }),
      admin('POST', `${BATCHES}/${batchId}/paid`, { valueDate: '2026-06-12' }),
    ]);
    expect(twice.map((r) => r.statusCode)).toEqual([200, 200]);
    const other = await admin('POST', `${BATCHES}/${batchId}/paid`, { valueDate: '2026-06-13' });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.details).toEqual([
      expect.objectContaining({ code: 'batch_paid_other_date', params: { valueDate: '12/06/2026' } }),
    ]);
    expect(await t.app.db.selectFrom('outbox_emails').select('id').execute()).toHaveLength(
      outboxBefore.length,
    );
    const paidEvents = await t.app.db
      .selectFrom('claim_events')
      .select('claim_id')
      .where('to_state', '=', 'paid')
      .execute();
    expect(paidEvents).toHaveLength(2);
    expect((await auditEvents('payment_batch_sent')).map((e) => e.actor_id)).toEqual([
      staff.get('administrator')?.id,
    ]);
    const paidAudit = await auditEvents('payment_batch_paid');
    expect(paidAudit).toHaveLength(1);
    expect(JSON.parse(paidAudit[0]?.details ?? '{}')).toMatchObject({ valueDate: '2026-06-12', claims: 2 });
  });

  it('[administrator] PAGATO after a failure half way finishes the job without paying anyone twice', async () => {
    clock.advance(1000);
    await approveClaim(t.app, waiting.id);
    const later = await submitClaim(anna, 'anna', { iban: ANNA_IBAN, accountHolder: 'Anna Esempio' });
    await approveClaim(t.app, later.id);
    const batch = (await admin('POST', BATCHES, {})).json();
    expect(batch.claims.map((c: { claimId: string }) => c.claimId)).toEqual([waiting.id, later.id]);
    await admin('POST', `${BATCHES}/${batch.id}/sent`, {});
    // A first PAGATO that stopped after the first claim: its date kept, one claim paid.
    await t.app.db
      .updateTable('payment_batches')
      .set({ value_date: '2026-06-12' })
      .where('id', '=', batch.id)
      .execute();
    await t.app.claims.transition(waiting.id, 'paid', 'staff', {
      staffId: staff.get('administrator')?.id ?? null,
      reasonCode: 'payment_ordered',
      payment: { valueDate: '2026-06-12' },
    });
    const half = (await admin('GET', `${BATCHES}/${batch.id}`)).json();
    expect(half.claims.map((c: { paid: boolean }) => c.paid)).toEqual([true, false]);
    expect((await admin('POST', `${BATCHES}/${batch.id}/paid`, { valueDate: '2026-06-15' })).statusCode).toBe(
      409,
    );
    const done = await admin('POST', `${BATCHES}/${batch.id}/paid`, { valueDate: '2026-06-12' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().claims.map((c: { paid: boolean }) => c.paid)).toEqual([true, true]);
    for (const id of [waiting.id, later.id]) {
      const events = await t.app.db
        .selectFrom('claim_events')
        .select('id')
        .where('claim_id', '=', id)
        .where('to_state', '=', 'paid')
        .execute();
      expect(events).toHaveLength(1);
      expect((await claimRow(id)).paid_on).toBe('2026-06-12');
    }
    const list = (await admin('GET', BATCHES)).json().batches;
    expect(list.map((b: { state: string }) => b.state)).toEqual(['paid', 'paid', 'cancelled', 'cancelled']);
    expect(list[0]).toMatchObject({ claimCount: 2, valueDate: '2026-06-12' });
  });

  it('[member] downloads the settlement letter of a paid claim: fund, member, lines, reasons in words, masked IBAN, value date', async () => {
    const res = await call(mario.cookie, 'GET', `/api/v1/claims/${paidFull.id}/letter`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="lettera-liquidazione-${paidFull.number}.pdf"`,
    );
    const text = pdfText(res.rawPayload);
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      FUND.name,
      'Lettera di liquidazione',
      `Pratica n. ${paidFull.number}`,
      'Assistito: Luca Demo',
      'Categoria: Visite specialistiche',
      'Gentile Mario Demo, la pratica è stata liquidata',
      '20/05/2026',
      'Studio Medico Àrnica',
      '120,00 €',
      '70,00 €',
      '50,00 €',
      'Motivo: rimborso al netto dello scoperto o del minimo per fattura.',
      'Importo liquidato: 70,00 €',
      'IBAN IT** **** … 3456',
      'Data valuta: 12/06/2026',
    ]) {
      expect(flat, expected).toContain(expected);
    }
    expect(flat).toMatch(/FT-\d+/);
    expect(flat).not.toContain(MARIO_IBAN);
    // The same letter again is the same file.
    const again = await call(mario.cookie, 'GET', `/api/v1/claims/${paidFull.id}/letter`);
    expect(again.rawPayload.equals(res.rawPayload)).toBe(true);

    // Anna's letter words her partial approval and her accents.
    const annas = pdfText(
      (await call(anna.cookie, 'GET', `/api/v1/claims/${paidPart.id}/letter`)).rawPayload,
    );
    expect(annas.replace(/\s+/g, ' ')).toContain('Gentile Anna Çelik D’Angelo');
    expect(annas.replace(/\s+/g, ' ')).toContain('Importo liquidato: 123,45 €');
  });

  it('[member] another member, or a claim not paid, gets 404', async () => {
    expect((await call(anna.cookie, 'GET', `/api/v1/claims/${paidFull.id}/letter`)).statusCode).toBe(404);
    expect((await call(mario.cookie, 'GET', `/api/v1/claims/${paidPart.id}/letter`)).statusCode).toBe(404);
    expect((await call(mario.cookie, 'GET', `/api/v1/claims/${nothing.id}/letter`)).statusCode).toBe(404);
    expect((await call(mario.cookie, 'GET', `/api/v1/claims/${newId()}/letter`)).statusCode).toBe(404);
    expect((await call('', 'GET', `/api/v1/claims/${paidFull.id}/letter`)).statusCode).toBe(401);
  });

  it('[staff] the back office downloads letters (recorded with the member), the booking desk may not; auditors read batches but change nothing', async () => {
    for (const role of ['administrator', 'auditor', 'claims_operator'] as const) {
      const res = await call(
        staff.get(role)?.cookie ?? '',
        'GET',
        `/api/v1/staff/payments/letters/${paidFull.id}`,
      );
      expect([role, res.statusCode]).toEqual([role, 200]);
      expect(pdfText(res.rawPayload)).toContain(paidFull.number);
    }
    const reads = (await auditEvents('sensitive_read')).filter(
      (e) => JSON.parse(e.details ?? '{}').what === 'settlement_letter',
    );
    const key = (pair: unknown[]) => pair.join(' ');
    expect(reads.map((e) => key([e.actor_id, e.subject_id])).sort()).toEqual(
      ['administrator', 'auditor', 'claims_operator']
        .map((r) => key([staff.get(r as StaffRole)?.id, registry.get('luca')]))
        .sort(),
    );
    const desk = staff.get('booking_desk')?.cookie ?? '';
    expect((await call(desk, 'GET', `/api/v1/staff/payments/letters/${paidFull.id}`)).statusCode).toBe(403);
    expect((await call(desk, 'GET', BATCHES)).statusCode).toBe(403);
    const operator = staff.get('claims_operator')?.cookie ?? '';
    expect((await call(operator, 'GET', BATCHES)).statusCode).toBe(403);
    expect(
      (
        await call(
          staff.get('administrator')?.cookie ?? '',
          'GET',
          `/api/v1/staff/payments/letters/${waiting.id}x`,
        )
      ).statusCode,
    ).toBe(404);

    const auditor = staff.get('auditor')?.cookie ?? '';
    expect((await call(auditor, 'GET', BATCHES)).statusCode).toBe(200);
    expect((await call(auditor, 'GET', `${BATCHES}/${batchId}`)).statusCode).toBe(200);
    expect((await call(auditor, 'POST', BATCHES, {})).statusCode).toBe(403);
    expect((await call(auditor, 'POST', `${BATCHES}/${batchId}/cancel`, {})).statusCode).toBe(403);
    expect(
      (await call(auditor, 'POST', `${BATCHES}/${batchId}/paid`, { valueDate: '2026-06-12' })).statusCode,
    ).toBe(403);
    // Opening a batch page is a read of members' data.
    const views = (await auditEvents('sensitive_read')).filter(
      (e) => JSON.parse(e.details ?? '{}').what === 'payment_batch',
    );
    // (The manual clock stands still, so the events share their time: look for the auditor's.)
    expect(views.map((e) => e.actor_id)).toContain(staff.get('auditor')?.id);
  });

  it('[administrator] with nothing to pay, CREA DISTINTA says so', async () => {
    const res = await admin('POST', BATCHES, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toEqual([expect.objectContaining({ code: 'no_payable_claims' })]);
    expect((await admin('GET', `${BATCHES}/${newId()}`)).statusCode).toBe(404);
  });
});
