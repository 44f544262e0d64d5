import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimDocumentsSweepJob } from '../../server/jobs/claim-documents-sweep.job.js';
import { newId } from '../../server/lib/ids.js';
import { buildTestApp } from '../helpers/build-app.js';
import { invoicePdf, largePdf, prescriptionPng } from '../helpers/claim-files.js';
import { accountFor, api, claimsContext, codes, details, IBAN, invoice } from '../helpers/claims.js';
import { ORIGIN } from '../helpers/member-flow.js';

const DAY = 86_400_000;
/**
 * These tests follow the member's side with claims left for the back office: every simple claim is
 * drawn for the sample (the demo plan would otherwise approve it at once; claims-review.test.ts
 * tests that).
 */
const QUEUE_ALL = { CLAIM_AUTO_SAMPLE_BASIS_POINTS: '10000' };
let PDF: Buffer;
let PNG: Buffer;
/** A PDF over the 1 MB of a JSON body, well within the 10 MB of a document. */
let PDF_2MB: Buffer;
beforeAll(async () => {
  PDF = await invoicePdf();
  PNG = await prescriptionPng();
  PDF_2MB = await largePdf(2 * 1024 * 1024);
});

/** Every file below a folder (the blobs the store keeps). */
function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

describe('claims: the member flow', () => {
  let c: Awaited<ReturnType<typeof claimsContext>>;
  let mario: Awaited<ReturnType<typeof accountFor>>;
  let luca: Awaited<ReturnType<typeof accountFor>>;
  let anna: Awaited<ReturnType<typeof accountFor>>;
  let m: ReturnType<typeof api>;
  let submittedId = '';
  let submittedDocId = '';

  const outbox = () => c.t.app.db.selectFrom('outbox_emails').selectAll().orderBy('created_at').execute();

  /** A draft for Luca (Mario's adult son) ready to send: two invoices, invoice and prescription attached. */
  async function readyDraft(
    who = m,
    invoices = [
      invoice(),
      invoice({
        invoiceNumber: 'T-7',
        issuerName: 'ASL Roma 1',
        issuerTaxId: null,
        amountCents: 3_615,
        channel: 'ssn_ticket',
      }),
    ],
  ) {
    const start = await who.post('/api/v1/claims/drafts');
    expect([200, 201]).toContain(start.statusCode);
    const id = (start.json() as { id: string }).id;
    const saved = await who.put(`/api/v1/claims/drafts/${id}`, {
      beneficiaryId: c.registry.get('luca'),
      category: 'visite_specialistiche',
      invoices,
      iban: IBAN,
      accountHolder: 'Mario Demo',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(
      (await who.upload(`/api/v1/claims/drafts/${id}/documents?kind=fattura&name=fattura.pdf`, PDF))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await who.upload(
          `/api/v1/claims/drafts/${id}/documents?kind=prescrizione&name=ricetta.png`,
          PNG,
          'image/png',
        )
      ).statusCode,
    ).toBe(201);
    return id;
  }

  beforeAll(async () => {
    c = await claimsContext(undefined, QUEUE_ALL);
    mario = await accountFor(c, 'mario');
    luca = await accountFor(c, 'luca', 'en');
    anna = await accountFor(c, 'anna');
    m = api(c, mario.cookie);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('[member] the options: the family covered, the plan categories with channels, deadline and prescription, today in Rome', async () => {
    const res = await m.get('/api/v1/claims/options');
    expect(res.statusCode, res.body).toBe(200);
    const options = res.json();
    expect(options.today).toBe('2026-06-10');
    expect(options.plan).toMatchObject({ code: 'ONECARE-DEMO', version: 1, year: 2026 });
    const ids = options.beneficiaries.map((b: { id: string }) => b.id);
    for (const key of ['mario', 'giulia', 'luca', 'sofia']) expect(ids).toContain(c.registry.get(key));
    expect(ids).not.toContain(c.registry.get('anna'));
    expect(options.beneficiaries.find((b: { self: boolean }) => b.self).id).toBe(c.registry.get('mario'));
    const visits = options.categories.find((x: { code: string }) => x.code === 'visite_specialistiche');
    expect(visits).toMatchObject({
      channels: ['network', 'out_of_network', 'ssn_ticket'],
      deadlineDays: 120,
      prescriptionRequired: ['network', 'out_of_network', 'ssn_ticket'],
    });
    expect(visits.label.it).toBeTruthy();
    expect(options.payee).toBeNull();
    // A dependant with an account of their own claims for themselves only.
    const own = await api(c, luca.cookie).get('/api/v1/claims/options');
    expect(own.json().beneficiaries.map((b: { id: string }) => b.id)).toEqual([c.registry.get('luca')]);
  });

  it('[member] one open draft per account: starting again answers the same draft', async () => {
    const first = await m.post('/api/v1/claims/drafts');
    expect(first.statusCode).toBe(201);
    const again = await m.post('/api/v1/claims/drafts');
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    expect(first.json()).toMatchObject({
      beneficiaryId: null,
      category: null,
      invoices: [],
      documents: [],
      warnings: [],
    });
    const got = await m.get(`/api/v1/claims/drafts/${first.json().id}`);
    expect(got.statusCode).toBe(200);
    // Discarded: gone, documents too; the next start makes a new one.
    const upload = await m.upload(
      `/api/v1/claims/drafts/${first.json().id}/documents?kind=fattura&name=a.pdf`,
      PDF,
    );
    expect(upload.statusCode, upload.body).toBe(201);
    // The same file again (a retry) answers the document already kept; nothing more is stored.
    const stored = filesIn(c.storage).length;
    const retry = await m.upload(
      `/api/v1/claims/drafts/${first.json().id}/documents?kind=fattura&name=a.pdf`,
      PDF,
    );
    expect(retry.statusCode).toBe(201);
    expect(retry.json().id).toBe(upload.json().id);
    expect(filesIn(c.storage).length).toBe(stored);
    const before = filesIn(c.storage).length;
    expect((await m.del(`/api/v1/claims/drafts/${first.json().id}`)).statusCode).toBe(204);
    expect(filesIn(c.storage).length).toBe(before - 1);
    expect((await m.get(`/api/v1/claims/drafts/${first.json().id}`)).statusCode).toBe(404);
    // Two starts at the same moment with no draft open make one draft.
    const starts = await Promise.all([m.post('/api/v1/claims/drafts'), m.post('/api/v1/claims/drafts')]);
    expect(starts.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    const [next] = starts as [LightMyRequestResponse, LightMyRequestResponse];
    expect(starts[1]?.json().id).toBe(next.json().id);
    expect(next.json().id).not.toBe(first.json().id);
    await m.del(`/api/v1/claims/drafts/${next.json().id}`);
  });

  it('[member] a value cleared (null) is saved as null, not turned into 0 or an empty text', async () => {
    const draft = await m.post('/api/v1/claims/drafts');
    const id = draft.json().id as string;
    const saved = await m.put(`/api/v1/claims/drafts/${id}`, {
      beneficiaryId: null,
      category: null,
      iban: null,
      accountHolder: null,
      invoices: [
        {
          id: 'inv-cleared',
          invoiceDate: null,
          invoiceNumber: null,
          issuerName: null,
          issuerTaxId: null,
          amountCents: null,
          channel: null,
          facilityId: null,
        },
      ],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().invoices[0]).toMatchObject({ id: 'inv-cleared' });
    for (const key of [
      'invoiceDate',
      'invoiceNumber',
      'issuerName',
      'amountCents',
      'channel',
      'facilityId',
    ]) {
      expect(saved.json().invoices[0][key] ?? null, key).toBeNull();
    }
    expect(saved.json()).toMatchObject({
      beneficiaryId: null,
      category: null,
      iban: null,
      accountHolder: null,
    });
    await m.del(`/api/v1/claims/drafts/${id}`);
  });

  it('[member] each value is checked as it is saved: every problem with its JSON pointer, code and message', async () => {
    const id = (await m.post('/api/v1/claims/drafts')).json().id as string;
    const res = await m.put(`/api/v1/claims/drafts/${id}`, {
      beneficiaryId: c.registry.get('anna'),
      category: 'lenti',
      invoices: [
        invoice({ invoiceDate: '2026-06-11' }),
        invoice({ amountCents: 0, channel: 'ssn_ticket' }),
        invoice({ invoiceDate: '2026-01-10', channel: 'network', facilityId: newId() }),
        invoice({ issuerTaxId: 'ABCDEFGHIJK12' }),
      ],
      iban: 'IT60X0542811101000000123457',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    const found = details(res).map((d) => `${d.field} ${d.code}`);
    expect(found).toEqual(
      expect.arrayContaining([
        '/beneficiaryId beneficiary_not_covered',
        '/invoices/0/invoiceDate invoice_date_future',
        '/invoices/1/channel channel_not_in_plan',
        '/invoices/1/amountCents amount_zero',
        '/invoices/2/invoiceDate invoice_past_deadline',
        '/invoices/2/facilityId facility_unknown',
        '/invoices/3/issuerTaxId issuer_tax_id_invalid',
        '/iban iban_invalid',
      ]),
    );
    // Italian by default, English when asked; never the value sent.
    expect(details(res).find((d) => d.code === 'iban_invalid')?.message).toBe('IBAN non valido.');
    const en = await c.t.app.inject({
      method: 'PUT',
      url: `/api/v1/claims/drafts/${id}`,
      headers: { ...ORIGIN, cookie: mario.cookie, 'accept-language': 'en' },
      payload: { invoices: [], iban: 'BR1800360305000010009795493C1' },
    });
    expect(details(en)).toEqual([
      { field: '/iban', code: 'iban_not_sepa', message: 'The IBAN must be of a country in the SEPA area.' },
    ]);
    // The plan has no such category: a plan without it is refused at the field.
    const saved = await m.put(`/api/v1/claims/drafts/${id}`, {
      invoices: [],
      iban: 'it60 x054 2811 1010 0000 0123 456',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().iban).toBe(IBAN);
    // Sofia, covered; a date before anyone's coverage is refused.
    const early = await m.put(`/api/v1/claims/drafts/${id}`, {
      beneficiaryId: c.registry.get('sofia'),
      invoices: [invoice({ invoiceDate: '2023-12-01' })],
    });
    expect(codes(early)).toContain('invoice_date_before_coverage');
    // Too many invoices: refused by the contract's limit.
    const many = await m.put(`/api/v1/claims/drafts/${id}`, {
      invoices: Array.from({ length: 21 }, () => invoice()),
    });
    expect(many.statusCode).toBe(400);
    expect(details(many).map((d) => `${d.field} ${d.code}`)).toEqual(['/invoices too_many_invoices']);
    await m.del(`/api/v1/claims/drafts/${id}`);
  });

  it('[member] Mario Demo claims specialist visits for his adult son: 120,00 € out of network and a 36,15 € ticket estimate 70,00 € + 36,15 €', async () => {
    const id = await readyDraft();
    const res = await m.post(`/api/v1/claims/drafts/${id}/estimate`);
    expect(res.statusCode, res.body).toBe(200);
    const estimate = res.json();
    expect(estimate.lines.map((l: { acceptedCents: number }) => l.acceptedCents)).toEqual([7_000, 3_615]);
    expect(estimate.totals).toEqual({ amountCents: 15_615, acceptedCents: 10_615, memberShareCents: 5_000 });
    expect(estimate.lines[0].explanation.it.join(' ')).toContain('scoperto 20%');
    expect(estimate.capsAfter[0]).toEqual({
      category: null,
      scope: 'family',
      capCents: 500_000,
      leftCents: 489_385,
    });
    expect(estimate.warnings).toEqual([]);
    // Without the prescription the plan refuses both lines.
    const draft = (await m.get(`/api/v1/claims/drafts/${id}`)).json();
    const prescription = draft.documents.find((d: { kind: string }) => d.kind === 'prescrizione');
    expect((await m.del(`/api/v1/claims/drafts/${id}/documents/${prescription.id}`)).statusCode).toBe(204);
    const without = (await m.post(`/api/v1/claims/drafts/${id}/estimate`)).json();
    expect(without.lines.map((l: { reason: string }) => l.reason)).toEqual([
      'prescription_missing',
      'prescription_missing',
    ]);
    await m.upload(
      `/api/v1/claims/drafts/${id}/documents?kind=prescrizione&name=ricetta.png`,
      PNG,
      'image/png',
    );
  });

  it('[member] the estimate asks every required value first', async () => {
    const other = api(c, luca.cookie);
    const id = (await other.post('/api/v1/claims/drafts')).json().id as string;
    await other.put(`/api/v1/claims/drafts/${id}`, { invoices: [{ id: newId(), channel: 'network' }] });
    const res = await other.post(`/api/v1/claims/drafts/${id}/estimate`);
    expect(res.statusCode).toBe(400);
    expect(details(res).map((d) => `${d.field} ${d.code}`)).toEqual(
      expect.arrayContaining([
        '/beneficiaryId required',
        '/category required',
        '/invoices/0/invoiceDate required',
        '/invoices/0/amountCents required',
        '/invoices/0/facilityId facility_required',
        '/iban required',
        '/accountHolder required',
      ]),
    );
    await other.del(`/api/v1/claims/drafts/${id}`);
  });

  it('[member] submission needs the invoice document; then a number, the receipt email without health details, and the same key answers the same claim', async () => {
    const id = (await m.post('/api/v1/claims/drafts')).json().id as string;
    const draft = (await m.get(`/api/v1/claims/drafts/${id}`)).json();
    const invoiceDoc = draft.documents.find((d: { kind: string }) => d.kind === 'fattura');
    expect((await m.del(`/api/v1/claims/drafts/${id}/documents/${invoiceDoc.id}`)).statusCode).toBe(204);
    const key = 'key-0000-0000-0001';
    const missing = await m.post(`/api/v1/claims/drafts/${id}/submit`, {
      declaration: true,
      idempotencyKey: key,
    });
    expect(missing.statusCode).toBe(400);
    expect(details(missing)).toEqual([
      expect.objectContaining({ field: '/documents', code: 'document_missing' }),
    ]);
    const noDeclaration = await m.post(`/api/v1/claims/drafts/${id}/submit`, {
      declaration: false,
      idempotencyKey: key,
    });
    expect(noDeclaration.statusCode).toBe(400);

    await m.upload(`/api/v1/claims/drafts/${id}/documents?kind=fattura&name=fattura%20n.%20120.pdf`, PDF);
    const res = await m.post(`/api/v1/claims/drafts/${id}/submit`, {
      declaration: true,
      idempotencyKey: key,
    });
    expect(res.statusCode, res.body).toBe(200);
    const sent = res.json();
    expect(sent).toMatchObject({
      id,
      number: 'RSM-2026-000001',
      state: 'submitted',
      expectedDecisionOn: '2026-07-10',
    });
    submittedId = id;

    const again = await m.post(`/api/v1/claims/drafts/${id}/submit`, {
      declaration: true,
      idempotencyKey: key,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(sent);
    const rows = await c.t.app.db
      .selectFrom('claims')
      .select(['id', 'state', 'number'])
      .where('account_id', '=', mario.id)
      .execute();
    expect(rows.filter((r) => r.state !== 'draft')).toEqual([
      { id, state: 'submitted', number: 'RSM-2026-000001' },
    ]);

    const emails = (await outbox()).filter((e) => e.recipient === mario.email);
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email?.subject).toBe('La tua richiesta n. RSM-2026-000001 è stata inviata');
    expect(email?.text_body).toContain(`/pratiche/${id}`);
    for (const body of [email?.subject, email?.text_body, email?.html_body]) {
      expect(body).not.toMatch(/visit|specialist|€|120|36,15|Luca|cardiolog/i);
    }

    const detail = await m.get(`/api/v1/claims/${id}`);
    expect(detail.statusCode, detail.body).toBe(200);
    const d = detail.json();
    expect(d).toMatchObject({
      number: 'RSM-2026-000001',
      state: 'submitted',
      category: 'visite_specialistiche',
      claimedCents: 15_615,
      estimatedCents: 10_615,
      acceptedCents: null,
      ibanMasked: 'IT** **** … 3456',
      accountHolder: 'Mario Demo',
      canCancel: true,
      canRemind: false,
      reminderAvailableOn: null,
      documentRequest: null,
    });
    expect(d.beneficiary).toMatchObject({ id: c.registry.get('luca'), givenName: 'Luca' });
    expect(d.events).toEqual([expect.objectContaining({ from: 'draft', to: 'submitted', actor: 'member' })]);
    expect(d.invoices.map((i: { estimatedCents: number }) => i.estimatedCents)).toEqual([7_000, 3_615]);
    expect(d.documents.every((x: { sent: boolean }) => x.sent)).toBe(true);
    expect(JSON.stringify(d)).not.toContain(IBAN);
    submittedDocId = d.documents.find((x: { kind: string }) => x.kind === 'fattura').id;
    // The draft is gone from the drafts' routes; a sent document cannot be removed.
    expect((await m.get(`/api/v1/claims/drafts/${id}`)).statusCode).toBe(404);
    // The payee comes back as the prefill.
    expect((await m.get('/api/v1/claims/options')).json().payee).toEqual({
      iban: IBAN,
      accountHolder: 'Mario Demo',
    });
  });

  it('[member] the stored file is sealed (not the plaintext); the download gives it back with safe headers', async () => {
    const row = await c.t.app.db
      .selectFrom('claim_documents')
      .selectAll()
      .where('id', '=', submittedDocId)
      .executeTakeFirstOrThrow();
    expect(row.storage_key).toMatch(/^claims\/[0-9a-f]{64}$/);
    const stored = readFileSync(join(c.storage, row.storage_key));
    expect(stored.includes(Buffer.from('%PDF'))).toBe(false);
    expect(stored.includes(PDF.subarray(0, 64))).toBe(false);
    expect(stored.includes(PDF.subarray(-64))).toBe(false);
    const res = await m.get(`/api/v1/claims/${submittedId}/documents/${submittedDocId}`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="fattura n. 120.pdf"; filename*=UTF-8''fattura%20n.%20120.pdf`,
    );
  });

  it('[member] a probable duplicate: the same issuer, number and date already sent in the family is a warning', async () => {
    const other = api(c, luca.cookie);
    const id = (await other.post('/api/v1/claims/drafts')).json().id as string;
    const res = await other.put(`/api/v1/claims/drafts/${id}`, {
      beneficiaryId: c.registry.get('luca'),
      category: 'visite_specialistiche',
      invoices: [invoice({ id: newId() }), invoice({ invoiceNumber: 'FT-121' })],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().warnings).toEqual([
      { code: 'probable_duplicate', field: '/invoices/0', claimNumber: 'RSM-2026-000001' },
    ]);
    await other.del(`/api/v1/claims/drafts/${id}`);
  });

  it('[member] two identical submissions at once make one claim, on either database', async () => {
    const id = await readyDraft();
    const key = 'key-0000-0000-0002';
    const [a, b] = await Promise.all([
      m.post(`/api/v1/claims/drafts/${id}/submit`, { declaration: true, idempotencyKey: key }),
      m.post(`/api/v1/claims/drafts/${id}/submit`, { declaration: true, idempotencyKey: key }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(a.json()).toEqual(b.json());
    expect(a.json().number).toBe('RSM-2026-000002');
    const numbered = await c.t.app.db
      .selectFrom('claims')
      .select('id')
      .where('number', 'is not', null)
      .execute();
    expect(numbered).toHaveLength(2);
    // The key answers the claim it made even from another draft.
    const next = await readyDraft();
    const reused = await m.post(`/api/v1/claims/drafts/${next}/submit`, {
      declaration: true,
      idempotencyKey: key,
    });
    expect(reused.statusCode).toBe(200);
    expect(reused.json().id).toBe(id);
    await m.del(`/api/v1/claims/drafts/${next}`);
  });

  it('[member] refused uploads keep nothing: wrong type, empty, too large, too many', async () => {
    const id = (await m.post('/api/v1/claims/drafts')).json().id as string;
    const before = filesIn(c.storage).length;
    const text = await m.upload(
      `/api/v1/claims/drafts/${id}/documents?kind=fattura&name=x.pdf`,
      Buffer.from('not a pdf at all'),
      'application/pdf',
    );
    expect(text.statusCode).toBe(400);
    expect(details(text)).toEqual([expect.objectContaining({ field: 'file', code: 'type_not_allowed' })]);
    const empty = await m.upload(
      `/api/v1/claims/drafts/${id}/documents?kind=fattura&name=x.pdf`,
      Buffer.alloc(0),
    );
    expect(codes(empty)).toEqual(['empty']);
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    const large = await m.upload(`/api/v1/claims/drafts/${id}/documents?kind=fattura&name=x.pdf`, big);
    expect(large.statusCode).toBe(413);
    expect(large.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(codes(large)).toEqual(['too_large']);
    const json = await m.upload(
      `/api/v1/claims/drafts/${id}/documents?kind=fattura&name=x.json`,
      Buffer.from('{"a":1}'),
      'application/json',
    );
    expect(codes(json)).toEqual(['type_not_allowed']);
    expect(filesIn(c.storage).length).toBe(before);
    expect(
      await c.t.app.db.selectFrom('claim_documents').select('id').where('claim_id', '=', id).execute(),
    ).toEqual([]);

    // Larger than a JSON body may be, within the 10 MB of a document; any declared type, or none.
    const twoMb = await m.upload(
      `/api/v1/claims/drafts/${id}/documents?kind=fattura&name=big.pdf`,
      PDF_2MB,
      'text/plain',
    );
    expect(twoMb.statusCode, twoMb.body).toBe(201);
    expect(twoMb.json()).toMatchObject({
      mediaType: 'application/pdf',
      bytes: PDF_2MB.length,
      sent: false,
    });
    const untyped = await c.t.app.inject({
      method: 'POST',
      url: `/api/v1/claims/drafts/${id}/documents?kind=altro&name=x.png`,
      headers: { ...ORIGIN, cookie: mario.cookie },
      payload: PNG,
    });
    expect(untyped.statusCode, untyped.body).toBe(201);
    for (const doc of [twoMb, untyped])
      expect((await m.del(`/api/v1/claims/drafts/${id}/documents/${doc.json().id}`)).statusCode).toBe(204);
    expect(filesIn(c.storage).length).toBe(before);

    for (let i = 0; i < 19; i++) {
      const ok = await m.upload(
        `/api/v1/claims/drafts/${id}/documents?kind=altro&name=p${i}.png`,
        await prescriptionPng(i + 1),
        'image/png',
      );
      expect(ok.statusCode).toBe(201);
    }
    // Two at once for the last place: exactly one is kept, the other refused and not stored.
    const race = await Promise.all(
      [40, 41].map(async (n) =>
        m.upload(
          `/api/v1/claims/drafts/${id}/documents?kind=altro&name=r${n}.png`,
          await prescriptionPng(n),
          'image/png',
        ),
      ),
    );
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 400]);
    const tooMany = await m.upload(
      `/api/v1/claims/drafts/${id}/documents?kind=altro&name=p.png`,
      await prescriptionPng(30),
      'image/png',
    );
    expect(tooMany.statusCode).toBe(400);
    expect(codes(tooMany)).toEqual(['too_many_documents']);
    expect(filesIn(c.storage).length).toBe(before + 20);
    expect((await m.del(`/api/v1/claims/drafts/${id}`)).statusCode).toBe(204);
    expect(filesIn(c.storage).length).toBe(before);
  });

  it("[anyone] another family's claim, draft or document answers 404 on every route, as if missing", async () => {
    const draftId = await readyDraft();
    const draftDoc = (await m.get(`/api/v1/claims/drafts/${draftId}`)).json().documents[0].id as string;
    const a = api(c, anna.cookie);
    const missing = newId();
    const probes: [string, () => Promise<LightMyRequestResponse>][] = [
      ['draft get', () => a.get(`/api/v1/claims/drafts/${draftId}`)],
      ['draft put', () => a.put(`/api/v1/claims/drafts/${draftId}`, { invoices: [] })],
      ['draft estimate', () => a.post(`/api/v1/claims/drafts/${draftId}/estimate`)],
      [
        'draft submit',
        () =>
          a.post(`/api/v1/claims/drafts/${draftId}/submit`, {
            declaration: true,
            idempotencyKey: 'key-anna-0000-0001',
          }),
      ],
      [
        'draft upload',
        () => a.upload(`/api/v1/claims/drafts/${draftId}/documents?kind=fattura&name=a.pdf`, PDF),
      ],
      ['draft doc delete', () => a.del(`/api/v1/claims/drafts/${draftId}/documents/${draftDoc}`)],
      ['draft doc get', () => a.get(`/api/v1/claims/${draftId}/documents/${draftDoc}`)],
      ['draft delete', () => a.del(`/api/v1/claims/drafts/${draftId}`)],
      ['claim get', () => a.get(`/api/v1/claims/${submittedId}`)],
      ['claim doc get', () => a.get(`/api/v1/claims/${submittedId}/documents/${submittedDocId}`)],
      ['claim cancel', () => a.post(`/api/v1/claims/${submittedId}/cancel`)],
      ['claim message', () => a.post(`/api/v1/claims/${submittedId}/messages`, { body: 'ciao' })],
      ['claim reminder', () => a.post(`/api/v1/claims/${submittedId}/reminder`)],
      ['claim integration', () => a.post(`/api/v1/claims/${submittedId}/integration`)],
      ['claim upload', () => a.upload(`/api/v1/claims/${submittedId}/documents?kind=altro&name=a.pdf`, PDF)],
      ['claim doc delete', () => a.del(`/api/v1/claims/${submittedId}/documents/${submittedDocId}`)],
      ['missing claim', () => m.get(`/api/v1/claims/${missing}`)],
      ['missing doc', () => m.get(`/api/v1/claims/${submittedId}/documents/${missing}`)],
      // A draft is its author's only, even within the family.
      ['family draft', () => api(c, luca.cookie).get(`/api/v1/claims/drafts/${draftId}`)],
      ['a draft is not a claim', () => m.get(`/api/v1/claims/${draftId}`)],
    ];
    for (const [name, probe] of probes) {
      const res = await probe();
      expect([name, res.statusCode, res.json().error.code]).toEqual([name, 404, 'NOT_FOUND']);
    }
    const list = (await a.get('/api/v1/claims')).json();
    expect(list.items).toEqual([]);
    expect(list.total).toBe(0);
    // Nothing changed for Mario.
    expect((await m.get(`/api/v1/claims/drafts/${draftId}`)).json().documents).toHaveLength(2);
    await m.del(`/api/v1/claims/drafts/${draftId}`);
  });

  it('[member] Le mie pratiche: never drafts; the holder sees the family, a dependant with an account their own only; filters and pages', async () => {
    // A claim for Sofia too.
    const id = await readyDraft(m);
    await m.put(`/api/v1/claims/drafts/${id}`, {
      beneficiaryId: c.registry.get('sofia'),
      category: 'visite_specialistiche',
      invoices: [invoice({ invoiceNumber: 'S-1' })],
      iban: IBAN,
      accountHolder: 'Mario Demo',
    });
    expect(
      (
        await m.post(`/api/v1/claims/drafts/${id}/submit`, {
          declaration: true,
          idempotencyKey: 'key-sofia-000000001',
        })
      ).statusCode,
    ).toBe(200);
    const openDraft = (await m.post('/api/v1/claims/drafts')).json().id as string;

    const all = (await m.get('/api/v1/claims')).json();
    expect(all.total).toBe(3);
    expect(all.items.map((i: { id: string }) => i.id)).not.toContain(openDraft);
    expect(all.years).toEqual([2026]);
    expect(all.beneficiaries.map((b: { id: string }) => b.id)).toContain(c.registry.get('sofia'));
    expect(all.items[0]).toMatchObject({ kind: 'reimbursement', state: 'submitted' });
    expect(all.items[0].categoryLabel.it).toBeTruthy();

    const sofia = (await m.get(`/api/v1/claims?beneficiaryId=${c.registry.get('sofia')}`)).json();
    expect(sofia.total).toBe(1);
    const paged = (await m.get('/api/v1/claims?page=2&pageSize=2')).json();
    expect([paged.items.length, paged.total, paged.page, paged.pageSize]).toEqual([1, 3, 2, 2]);
    expect((await m.get('/api/v1/claims?year=2025')).json().total).toBe(0);
    expect((await m.get('/api/v1/claims?state=paid')).json().total).toBe(0);
    expect((await m.get('/api/v1/claims?pageSize=51')).statusCode).toBe(400);

    const lucaList = (await api(c, luca.cookie).get('/api/v1/claims')).json();
    expect(lucaList.total).toBe(2);
    expect(lucaList.beneficiaries.map((b: { id: string }) => b.id)).toEqual([c.registry.get('luca')]);
    expect((await api(c, luca.cookie).get(`/api/v1/claims/${id}`)).statusCode).toBe(404);
    expect((await api(c, luca.cookie).get(`/api/v1/claims/${submittedId}`)).statusCode).toBe(200);
    await m.del(`/api/v1/claims/drafts/${openDraft}`);
  });

  it('[back office] transition: submitted → in review → documents asked; one news email per change, no content; the member sees the request and answers it', async () => {
    const before = (await outbox()).length;
    await c.t.app.claims.transition(submittedId, 'in_review', 'staff', {
      staffId: null,
      reasonCode: 'review_started',
    });
    await c.t.app.claims.transition(submittedId, 'needs_documents', 'staff', {
      reasonCode: 'documents_requested',
      note: 'Serve la prescrizione con il sospetto diagnostico.',
    });
    const news = (await outbox()).slice(before);
    expect(news).toHaveLength(2);
    for (const email of news) {
      expect(email.recipient).toBe(mario.email);
      expect(email.subject).toBe('Novità sulla tua pratica n. RSM-2026-000001');
      expect(email.text_body).toContain(`/pratiche/${submittedId}`);
      expect(email.text_body).not.toMatch(/prescrizione|diagnostic|€/i);
    }
    const d = (await m.get(`/api/v1/claims/${submittedId}`)).json();
    expect(d.state).toBe('needs_documents');
    expect(d.documentRequest).toMatchObject({ note: 'Serve la prescrizione con il sospetto diagnostico.' });
    expect(d.canCancel).toBe(false);
    expect(d.events.map((e: { to: string }) => e.to)).toEqual(['submitted', 'in_review', 'needs_documents']);

    // Illegal moves are refused, whoever asks.
    await expect(c.t.app.claims.transition(submittedId, 'paid', 'staff')).rejects.toMatchObject({
      code: 'CONFLICT',
      details: [expect.objectContaining({ code: 'illegal_transition' })],
    });
    // The member cancels before the review only.
    const cancel = await m.post(`/api/v1/claims/${submittedId}/cancel`);
    expect(cancel.statusCode).toBe(409);
    expect(codes(cancel)).toEqual(['illegal_transition']);
    // The request unanswered, the system closes it: one more email.
    await c.t.app.claims.transition(submittedId, 'cancelled', 'system', {
      reasonCode: 'integration_expired',
    });
    expect((await outbox()).slice(before)).toHaveLength(3);
    const closed = (await m.get(`/api/v1/claims/${submittedId}`)).json();
    expect(closed.events.at(-1)).toMatchObject({
      from: 'needs_documents',
      to: 'cancelled',
      actor: 'system',
      reasonCode: 'integration_expired',
    });
    expect((await m.post(`/api/v1/claims/${submittedId}/cancel`)).statusCode).toBe(409);
  });

  it('[member] an integration: upload while documents are asked, send them back, the claim returns in review; twice is the same', async () => {
    const id = (await m.get('/api/v1/claims?state=submitted')).json().items[0].id as string;
    const early = await m.upload(`/api/v1/claims/${id}/documents?kind=prescrizione&name=r.pdf`, PDF);
    expect(early.statusCode).toBe(409);
    await c.t.app.claims.transition(id, 'in_review', 'system');
    await c.t.app.claims.transition(id, 'needs_documents', 'staff', { note: 'Manca la prescrizione.' });
    const emails = (await outbox()).length;
    const nothing = await m.post(`/api/v1/claims/${id}/integration`);
    expect(nothing.statusCode).toBe(400);
    const up = await m.upload(`/api/v1/claims/${id}/documents?kind=prescrizione&name=r.pdf`, PDF);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ phase: 'integration', sent: false });
    const sent = await m.post(`/api/v1/claims/${id}/integration`);
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().state).toBe('in_review');
    expect(sent.json().documents.every((x: { sent: boolean }) => x.sent)).toBe(true);
    const again = await m.post(`/api/v1/claims/${id}/integration`);
    expect(again.statusCode).toBe(200);
    expect(again.json().state).toBe('in_review');
    // The member's own move sends no news email.
    expect((await outbox()).length).toBe(emails);
    const removeSent = await m.del(`/api/v1/claims/${id}/documents/${up.json().id}`);
    expect(removeSent.statusCode).toBe(409);
  });

  it('[member] cancel only before review, twice is the same; a reminder after 30 days in review, once a week', async () => {
    const inReview = (await m.get('/api/v1/claims?state=in_review')).json().items[0].id as string;
    const refused = await m.post(`/api/v1/claims/${inReview}/cancel`);
    expect(refused.statusCode).toBe(409);
    expect(codes(refused)).toEqual(['illegal_transition']);
    // Cancelling twice at once, then again: the same answer, one event.
    const open = (await m.get('/api/v1/claims?state=submitted')).json().items[0].id as string;
    const twice = await Promise.all([
      m.post(`/api/v1/claims/${open}/cancel`),
      m.post(`/api/v1/claims/${open}/cancel`),
    ]);
    expect(twice.map((r) => [r.statusCode, r.json().state])).toEqual([
      [200, 'cancelled'],
      [200, 'cancelled'],
    ]);
    const again = await m.post(`/api/v1/claims/${open}/cancel`);
    expect(again.statusCode).toBe(200);
    expect(again.json().events.filter((e: { to: string }) => e.to === 'cancelled')).toEqual([
      expect.objectContaining({ from: 'submitted', actor: 'member', reasonCode: 'member_cancelled' }),
    ]);
    expect(again.json().canCancel).toBe(false);

    const now = (await m.get(`/api/v1/claims/${inReview}`)).json();
    expect(now.canRemind).toBe(false);
    expect(now.reminderAvailableOn).toBe('2026-07-10');
    expect((await m.post(`/api/v1/claims/${inReview}/reminder`)).statusCode).toBe(409);
    c.clock.advance(31 * DAY);
    // A month later the member logs in again.
    m = api(c, `onecare_session=${(await c.t.app.sessions.create('member', mario.id)).token}`);
    const reminded = await m.post(`/api/v1/claims/${inReview}/reminder`);
    expect(reminded.statusCode, reminded.body).toBe(200);
    expect(reminded.json()).toMatchObject({ canRemind: false, reminderAvailableOn: '2026-07-18' });
    expect((await m.post(`/api/v1/claims/${inReview}/reminder`)).statusCode).toBe(200);
    c.clock.advance(DAY);
    m = api(c, `onecare_session=${(await c.t.app.sessions.create('member', mario.id)).token}`);
    expect((await m.post(`/api/v1/claims/${inReview}/reminder`)).statusCode).toBe(409);

    const message = await m.post(`/api/v1/claims/${inReview}/messages`, {
      body: '  Buongiorno, a che punto è?  ',
    });
    expect(message.statusCode).toBe(201);
    expect(message.json()).toMatchObject({ author: 'member', body: 'Buongiorno, a che punto è?' });
    const retried = await m.post(`/api/v1/claims/${inReview}/messages`, {
      body: 'Buongiorno, a che punto è?',
    });
    expect(retried.json().id).toBe(message.json().id);
    expect((await m.post(`/api/v1/claims/${inReview}/messages`, { body: '' })).statusCode).toBe(400);
    const detail = (await m.get(`/api/v1/claims/${inReview}`)).json();
    expect(detail.messages.map((x: { body: string }) => x.body)).toContain('Buongiorno, a che punto è?');
  });

  it('[system] the sweep removes claim files nothing refers to, older than a day, and keeps the rest', async () => {
    const orphan = await c.t.app.documents.save((await import('node:stream')).Readable.from([PDF]), {
      maxBytes: 1_000_000,
      folder: 'claims',
    });
    const kept = filesIn(c.storage).length;
    const job = claimDocumentsSweepJob({
      documents: c.t.app.documents,
      claims: c.t.app.claims,
      log: c.t.app.log,
    });
    await job.run(new Date(Date.now() - DAY));
    expect(filesIn(c.storage).length).toBe(kept);
    await job.run(new Date(Date.now() + 2 * DAY));
    expect(filesIn(c.storage).length).toBe(kept - 1);
    expect(filesIn(c.storage).some((f) => f.endsWith(orphan.key.split('/')[1] ?? ''))).toBe(false);
    const download = await m.get(`/api/v1/claims/${submittedId}/documents/${submittedDocId}`);
    expect(download.statusCode).toBe(200);
  });
  it('[member] the estimate counts what the family used (accepted once decided, else estimated); a dependant sends their own claim, receipt in English; a file name comes back safe', async () => {
    const l = api(c, `onecare_session=${(await c.t.app.sessions.create('member', luca.id)).token}`);
    const inReview = await c.t.app.db
      .selectFrom('claim_invoices as i')
      .innerJoin('claims as k', 'k.id', 'i.claim_id')
      .select(['i.id'])
      .where('k.state', '=', 'in_review')
      .executeTakeFirstOrThrow();
    await c.t.app.db
      .updateTable('claim_invoices')
      .set({ accepted_cents: 1_000 })
      .where('id', '=', inReview.id)
      .execute();
    const lines = await c.t.app.db
      .selectFrom('claim_invoices as i')
      .innerJoin('claims as k', 'k.id', 'i.claim_id')
      .select(['i.accepted_cents', 'i.estimated_cents', 'k.state'])
      .where('k.family_id', '=', c.registry.get('mario') ?? '')
      .execute();
    const used = lines
      .filter((x) => !['cancelled', 'rejected', 'draft'].includes(x.state))
      .reduce((sum, x) => sum + (x.accepted_cents ?? x.estimated_cents), 0);
    expect(used).toBeGreaterThan(0);

    const id = (await l.post('/api/v1/claims/drafts')).json().id as string;
    const saved = await l.put(`/api/v1/claims/drafts/${id}`, {
      beneficiaryId: c.registry.get('luca'),
      category: 'visite_specialistiche',
      invoices: [invoice({ invoiceNumber: 'L-1' })],
      iban: IBAN,
      accountHolder: 'Luca Demo',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const name = encodeURIComponent('../x/"fattura"\r\nè.pdf');
    const up = await l.upload(`/api/v1/claims/drafts/${id}/documents?kind=fattura&name=${name}`, PDF);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().fileName).toBe('fatturaè.pdf');
    await l.upload(`/api/v1/claims/drafts/${id}/documents?kind=prescrizione&name=r.png`, PNG, 'image/png');
    const estimate = (await l.post(`/api/v1/claims/drafts/${id}/estimate`)).json();
    expect(estimate.totals.acceptedCents).toBe(7_000);
    expect(estimate.capsAfter[0].leftCents).toBe(500_000 - used - 7_000);

    const sent = await l.post(`/api/v1/claims/drafts/${id}/submit`, {
      declaration: true,
      idempotencyKey: 'key-luca-0000-0001',
    });
    expect(sent.statusCode, sent.body).toBe(200);
    const email = (await outbox()).find((e) => e.recipient === luca.email);
    expect(email?.subject).toBe(`Your claim no. ${sent.json().number} has been sent`);
    expect(email?.locale).toBe('en');
    const download = await l.get(`/api/v1/claims/${id}/documents/${up.json().id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="fattura_.pdf"; filename*=UTF-8''fattura%C3%A8.pdf`,
    );
    // The holder sees it too; another family does not.
    expect(
      (
        await api(c, `onecare_session=${(await c.t.app.sessions.create('member', mario.id)).token}`).get(
          `/api/v1/claims/${id}`,
        )
      ).statusCode,
    ).toBe(200);
  });
});

describe('claims: unanswered document requests', () => {
  it('[system] a request for documents unanswered for 60 days closes the claim, with the news email; an answered one stays', async () => {
    const c = await claimsContext(undefined, QUEUE_ALL);
    try {
      const mario = await accountFor(c, 'mario');
      const m = api(c, mario.cookie);
      const ids: string[] = [];
      for (const n of [1, 2]) {
        const id = (await m.post('/api/v1/claims/drafts')).json().id as string;
        await m.put(`/api/v1/claims/drafts/${id}`, {
          beneficiaryId: c.registry.get('mario'),
          category: 'visite_specialistiche',
          invoices: [invoice({ invoiceNumber: `E-${n}` })],
          iban: IBAN,
          accountHolder: 'Mario Demo',
        });
        await m.upload(`/api/v1/claims/drafts/${id}/documents?kind=fattura&name=f.pdf`, PDF);
        const sent = await m.post(`/api/v1/claims/drafts/${id}/submit`, {
          declaration: true,
          idempotencyKey: `key-expiry-00000${n}`,
        });
        expect(sent.statusCode, sent.body).toBe(200);
        await c.t.app.claims.transition(id, 'in_review', 'staff');
        await c.t.app.claims.transition(id, 'needs_documents', 'staff', { note: 'Manca la prescrizione.' });
        ids.push(id);
      }
      const [unanswered, answered] = ids as [string, string];
      c.clock.advance(59 * DAY);
      expect(await c.t.app.claims.expireIntegrations(c.clock.now())).toBe(0);
      // One is answered in time.
      await c.t.app.claims.transition(answered, 'in_review', 'member', { reasonCode: 'documents_sent' });
      c.clock.advance(2 * DAY);
      const before = await c.t.app.db.selectFrom('outbox_emails').select('id').execute();
      expect(await c.t.app.claims.expireIntegrations(c.clock.now())).toBe(1);
      const states = await c.t.app.db
        .selectFrom('claims')
        .select(['id', 'state'])
        .where('id', 'in', ids)
        .execute();
      expect(Object.fromEntries(states.map((r) => [r.id, r.state]))).toEqual({
        [unanswered]: 'cancelled',
        [answered]: 'in_review',
      });
      const after = await c.t.app.db.selectFrom('outbox_emails').select(['subject']).execute();
      expect(after.length - before.length).toBe(1);
      expect(await c.t.app.claims.expireIntegrations(c.clock.now())).toBe(0);
    } finally {
      await c.close();
    }
  });
});

describe('claims: numbers across instances', () => {
  it('[system] two apps on one database submitting at once get distinct numbers', async () => {
    const c = await claimsContext(undefined, QUEUE_ALL);
    const second = await buildTestApp({ clock: c.clock, database: c.t.db, env: { STORAGE_DIR: c.storage } });
    try {
      const mario = await accountFor(c, 'mario');
      const anna = await accountFor(c, 'anna');
      const drafts: { cookie: string; id: string }[] = [];
      for (const [who, beneficiary] of [
        [mario, 'luca'],
        [anna, 'anna'],
      ] as const) {
        const a = api(c, who.cookie);
        const id = (await a.post('/api/v1/claims/drafts')).json().id as string;
        const saved = await a.put(`/api/v1/claims/drafts/${id}`, {
          beneficiaryId: c.registry.get(beneficiary),
          category: 'visite_specialistiche',
          invoices: [invoice()],
          iban: IBAN,
          accountHolder: 'Titolare',
        });
        expect(saved.statusCode, saved.body).toBe(200);
        await a.upload(`/api/v1/claims/drafts/${id}/documents?kind=fattura&name=f.pdf`, PDF);
        drafts.push({ cookie: who.cookie, id });
      }
      const [first, other] = drafts as [{ cookie: string; id: string }, { cookie: string; id: string }];
      const [a, b] = await Promise.all([
        c.t.app.inject({
          method: 'POST',
          url: `/api/v1/claims/drafts/${first.id}/submit`,
          headers: { ...ORIGIN, cookie: first.cookie },
          payload: { declaration: true, idempotencyKey: 'key-inst-0000-0001' },
        }),
        second.app.inject({
          method: 'POST',
          url: `/api/v1/claims/drafts/${other.id}/submit`,
          headers: { ...ORIGIN, cookie: other.cookie },
          payload: { declaration: true, idempotencyKey: 'key-inst-0000-0002' },
        }),
      ]);
      expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([200, 200]);
      expect([a.json().number, b.json().number].sort()).toEqual(['RSM-2026-000001', 'RSM-2026-000002']);
    } finally {
      await second.close();
      await c.close();
    }
  });
});
