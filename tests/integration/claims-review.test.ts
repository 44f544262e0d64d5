import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM_ACTORS, CLAIM_STATES } from '#contracts/claims.codes.js';
import { AppError } from '../../server/errors/app-error.js';
import { newId } from '../../server/lib/ids.js';
import { canTransition } from '../../server/modules/claims/index.js';
import { buildTestApp } from '../helpers/build-app.js';
import { invoicePdf, prescriptionPng } from '../helpers/claim-files.js';
import { accountFor, api, claimsContext, codes, IBAN, invoice, staffFor } from '../helpers/claims.js';

/**
 * The back office on claims (PRODUCT.md §4): the queue, taking a claim, decisions with their
 * checks, four eyes, caps under concurrent approvals, requests for documents, straight-through
 * decisions of simple claims, and the expiry of unanswered requests across two instances.
 */

const DAY = 86_400_000;
let PDF: Buffer;
let PNG: Buffer;
beforeAll(async () => {
  PDF = await invoicePdf();
  PNG = await prescriptionPng();
});

type Context = Awaited<ReturnType<typeof claimsContext>>;
type Client = ReturnType<typeof api>;

interface SendOptions {
  beneficiary?: string;
  category?: string;
  invoices?: ReturnType<typeof invoice>[];
  prescription?: boolean;
}

/** A claim sent through the member's routes; answers the submission (id, number, state). */
async function send(c: Context, member: Client, o: SendOptions = {}) {
  const id = (await member.post('/api/v1/claims/drafts')).json().id as string;
  const saved = await member.put(`/api/v1/claims/drafts/${id}`, {
    beneficiaryId: c.registry.get(o.beneficiary ?? 'luca'),
    category: o.category ?? 'visite_specialistiche',
    invoices: o.invoices ?? [invoice({ invoiceNumber: `FT-${id.slice(-8)}` })],
    iban: IBAN,
    accountHolder: 'Mario Demo',
  });
  expect(saved.statusCode, saved.body).toBe(200);
  expect(
    (await member.upload(`/api/v1/claims/drafts/${id}/documents?kind=fattura&name=f.pdf`, PDF)).statusCode,
  ).toBe(201);
  if (o.prescription !== false) {
    const up = await member.upload(
      `/api/v1/claims/drafts/${id}/documents?kind=prescrizione&name=r.png`,
      PNG,
      'image/png',
    );
    expect(up.statusCode).toBe(201);
  }
  const res = await member.post(`/api/v1/claims/drafts/${id}/submit`, {
    declaration: true,
    idempotencyKey: `key-${newId()}`.slice(0, 60),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; number: string; state: string };
}

const B = '/api/v1/staff/claims';
type Detail = {
  state: string;
  holder: { username: string } | null;
  invoices: {
    id: string;
    amountCents: number;
    acceptedCents: number | null;
    proposal: { acceptedCents: number } | null;
  }[];
  pendingDecision: { reasons: string[]; totalCents: number } | null;
  decision: {
    by: string;
    operator: string | null;
    secondApprover: string | null;
    autoRule: string | null;
  } | null;
  can: Record<string, boolean>;
  checklist: { kind: string; present: boolean }[];
  events: { to: string; actorName: string | null; items: string[] }[];
};
const detail = async (who: Client, id: string) => {
  const res = await who.get(`${B}/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Detail;
};
/** Every line as the engine proposes it. */
const asProposed = (d: Detail) =>
  d.invoices.map((i) => ({ invoiceId: i.id, acceptedCents: i.proposal?.acceptedCents ?? 0 }));

function expectRefused(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(codes(res)).toContain(code);
}

describe('claims in the back office: queue, decisions, four eyes', () => {
  let c: Context;
  let m: Client;
  let op1: Client;
  let op2: Client;
  let admin: Client;
  let desk: Client;
  let mario: Awaited<ReturnType<typeof accountFor>>;
  const outbox = () => c.t.app.db.selectFrom('outbox_emails').selectAll().orderBy('created_at').execute();

  beforeAll(async () => {
    // Every simple claim drawn for the sample: these claims are for the operators.
    c = await claimsContext(undefined, { CLAIM_AUTO_SAMPLE_BASIS_POINTS: '10000' });
    mario = await accountFor(c, 'mario');
    m = api(c, mario.cookie);
    op1 = api(c, (await staffFor(c, 'op.uno', 'claims_operator')).cookie);
    op2 = api(c, (await staffFor(c, 'op.due', 'claims_operator')).cookie);
    admin = api(c, (await staffFor(c, 'amm.tre', 'administrator')).cookie);
    desk = api(c, (await staffFor(c, 'spor.quattro', 'booking_desk')).cookie);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('[operator] the queue: oldest first, counts by state, filters; taking moves it in review and others see who holds it', async () => {
    const first = await send(c, m);
    // Sent two days ago.
    await c.t.app.db
      .updateTable('claims')
      .set({ submitted_at: new Date(c.clock.now().getTime() - 2 * DAY).toISOString() })
      .where('id', '=', first.id)
      .execute();
    const second = await send(c, m, {
      category: 'fisioterapia',
      invoices: [invoice({ invoiceNumber: 'FIS-1', amountCents: 45_000 })],
    });
    const queue = await op1.get(`${B}?state=submitted`);
    expect(queue.statusCode, queue.body).toBe(200);
    const q = queue.json();
    expect(q.items.map((i: { number: string }) => i.number)).toEqual([first.number, second.number]);
    expect(q.items[0]).toMatchObject({
      state: 'submitted',
      daysWaiting: 2,
      planCode: 'ONECARE-DEMO',
      member: { givenName: 'Mario', surname: 'Demo' },
      beneficiary: { givenName: 'Luca' },
      holder: null,
      pendingDecision: false,
    });
    expect(q.counts.find((x: { state: string }) => x.state === 'submitted').count).toBe(2);
    // Filters: days waiting, category, amount.
    expect((await op1.get(`${B}?minDays=2`)).json().items.map((i: { id: string }) => i.id)).toEqual([
      first.id,
    ]);
    expect(
      (await op1.get(`${B}?category=fisioterapia`)).json().items.map((i: { id: string }) => i.id),
    ).toEqual([second.id]);
    expect((await op1.get(`${B}?minCents=40000`)).json().total).toBe(1);
    expect((await op1.get(`${B}?duplicate=true`)).json().total).toBe(0);
    // Administrators and auditors read; the booking desk sees none of it.
    expect((await admin.get(B)).statusCode).toBe(200);
    expect((await desk.get(B)).statusCode).toBe(403);
    expect((await desk.get(`${B}/${first.id}`)).statusCode).toBe(403);

    const take = await op1.post(`${B}/${first.id}/take`);
    expect(take.statusCode, take.body).toBe(204);
    expect((await op1.post(`${B}/${first.id}/take`)).statusCode).toBe(204); // again: the same
    const seen = await detail(op2, first.id);
    expect(seen).toMatchObject({ state: 'in_review', holder: { username: 'op.uno' } });
    expect(seen.can).toMatchObject({ take: false, decide: false });
    expectRefused(await op2.post(`${B}/${first.id}/take`), 409, 'held_by_other');
    expectRefused(
      await op2.post(`${B}/${first.id}/decision`, { lines: asProposed(seen) }),
      409,
      'held_by_other',
    );
    expectRefused(await op2.post(`${B}/${second.id}/decision`, { lines: [] }), 400, 'minItems');
    // The member sees the review start (the news email, no content).
    const news = (await outbox()).filter((e) => e.template === 'claim-news');
    expect(news.length).toBeGreaterThanOrEqual(1);
    // Released: back in the queue for anyone.
    expect((await op1.post(`${B}/${first.id}/release`)).statusCode).toBe(204);
    expect((await detail(op2, first.id)).holder).toBeNull();
    // Administrators do not process.
    expect((await admin.post(`${B}/${first.id}/take`)).statusCode).toBe(403);
  });

  it('[operator] "APPROVA" as proposed; a lowered line needs its reason and makes it partial; "RESPINGI" with a reason per line', async () => {
    const approved = await send(c, m);
    await op1.post(`${B}/${approved.id}/take`);
    const d = await detail(op1, approved.id);
    // The out-of-network visit of 120,00 €: 80% with 50,00 € minimum left to the member → 70,00 €.
    expect(d.invoices[0]?.proposal?.acceptedCents).toBe(7_000);
    expect(d.checklist.find((x) => x.kind === 'prescrizione')?.present).toBe(true);
    expectRefused(
      await op2.post(`${B}/${approved.id}/decision`, { lines: asProposed(d) }),
      409,
      'held_by_other',
    );
    const ok = await op1.post(`${B}/${approved.id}/decision`, { lines: asProposed(d) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ state: 'approved', pending: false });
    const after = await detail(op1, approved.id);
    expect(after).toMatchObject({
      state: 'approved',
      holder: null,
      decision: { by: 'staff', operator: 'op.uno' },
    });
    expect(after.invoices[0]?.acceptedCents).toBe(7_000);
    // The member sees the decision and the amounts.
    const mine = (await m.get(`/api/v1/claims/${approved.id}`)).json();
    expect(mine).toMatchObject({ state: 'approved', acceptedCents: 7_000 });

    const partial = await send(c, m, {
      invoices: [
        invoice({ invoiceNumber: 'P-1' }),
        invoice({
          invoiceNumber: 'P-2',
          channel: 'ssn_ticket',
          issuerName: 'ASL',
          issuerTaxId: null,
          amountCents: 3_615,
        }),
      ],
    });
    await op1.post(`${B}/${partial.id}/take`);
    const p = await detail(op1, partial.id);
    const lowered = asProposed(p).map((l, i) => (i === 0 ? { ...l, acceptedCents: 5_000 } : l));
    expectRefused(
      await op1.post(`${B}/${partial.id}/decision`, { lines: lowered }),
      400,
      'adjust_reason_required',
    );
    expectRefused(
      await op1.post(`${B}/${partial.id}/decision`, {
        lines: asProposed(p).map((l, i) =>
          i === 0 ? { ...l, acceptedCents: 99_999, adjustReason: 'exceptional_approval' } : l,
        ),
      }),
      400,
      'accepted_above_amount',
    );
    expectRefused(
      await op1.post(`${B}/${partial.id}/decision`, { lines: lowered.slice(0, 1) }),
      400,
      'lines_mismatch',
    );
    expectRefused(
      await op1.post(`${B}/${partial.id}/decision`, {
        lines: [{ ...lowered[0], adjustReason: 'not_a_reason' }, lowered[1]],
      }),
      400,
      'enum',
    );
    const done = await op1.post(`${B}/${partial.id}/decision`, {
      lines: [{ ...lowered[0], adjustReason: 'beyond_tariff' }, lowered[1]],
      note: 'Importo ridotto alla tariffa del piano.',
    });
    expect(done.json()).toEqual({ state: 'partially_approved', pending: false });
    const shown = (await m.get(`/api/v1/claims/${partial.id}`)).json();
    expect(
      shown.invoices.map((i: { acceptedCents: number; adjustReason: string | null }) => [
        i.acceptedCents,
        i.adjustReason,
      ]),
    ).toEqual([
      [5_000, 'beyond_tariff'],
      [3_615, null],
    ]);
    expect(shown.events.at(-1)).toMatchObject({
      to: 'partially_approved',
      note: 'Importo ridotto alla tariffa del piano.',
    });

    const rejected = await send(c, m, { invoices: [invoice({ invoiceNumber: 'R-1' })] });
    await op2.post(`${B}/${rejected.id}/take`);
    const r = await op2.post(`${B}/${rejected.id}/decision`, {
      lines: [
        {
          invoiceId: (await detail(op2, rejected.id)).invoices[0]?.id,
          acceptedCents: 0,
          adjustReason: 'invoice_not_valid',
        },
      ],
    });
    expect(r.json()).toEqual({ state: 'rejected', pending: false });
    // Decided: no more decisions.
    expectRefused(
      await op2.post(`${B}/${rejected.id}/decision`, { lines: [{ invoiceId: newId(), acceptedCents: 0 }] }),
      409,
      'illegal_transition',
    );
  });

  it('[operator] four eyes: more than proposed waits for a second operator, never the proposer', async () => {
    const claim = await send(c, m, { invoices: [invoice({ invoiceNumber: 'X-1' })] });
    await op1.post(`${B}/${claim.id}/take`);
    const d = await detail(op1, claim.id);
    const more = [
      { invoiceId: d.invoices[0]?.id, acceptedCents: 12_000, adjustReason: 'exceptional_approval' },
    ];
    const proposed = await op1.post(`${B}/${claim.id}/decision`, { lines: more });
    expect(proposed.json()).toEqual({ state: 'in_review', pending: true });
    const waiting = await detail(op1, claim.id);
    expect(waiting.pendingDecision).toMatchObject({ reasons: ['above_proposal'], totalCents: 12_000 });
    expect(waiting.can).toMatchObject({ decide: false, confirm: false, discard: true });
    expectRefused(await op1.post(`${B}/${claim.id}/decision/confirm`), 409, 'four_eyes_same_operator');
    expectRefused(await op1.post(`${B}/${claim.id}/decision`, { lines: more }), 409, 'decision_pending');
    expect((await detail(op2, claim.id)).can.confirm).toBe(true);
    const confirmed = await op2.post(`${B}/${claim.id}/decision/confirm`);
    expect(confirmed.json()).toEqual({ state: 'approved', pending: false });
    expect((await detail(op2, claim.id)).decision).toMatchObject({
      by: 'staff',
      operator: 'op.uno',
      secondApprover: 'op.due',
    });
    expectRefused(await op2.post(`${B}/${claim.id}/decision/confirm`), 409, 'no_pending_decision');
    // The audit trail has both operators.
    const audit = await c.t.app.db
      .selectFrom('audit_events')
      .select(['event', 'actor_id'])
      .where('event', 'in', ['claim_decision_proposed', 'claim_decision_approved'])
      .execute();
    expect(audit.map((a) => a.event).sort()).toEqual(['claim_decision_approved', 'claim_decision_proposed']);
  });

  it('[operator] "RICHIEDI DOCUMENTI": items of the checklist and a text; the member answers; the holder keeps it', async () => {
    const claim = await send(c, m, { prescription: false });
    await op1.post(`${B}/${claim.id}/take`);
    expect((await detail(op1, claim.id)).checklist.find((x) => x.kind === 'prescrizione')?.present).toBe(
      false,
    );
    expectRefused(await op1.post(`${B}/${claim.id}/document-request`, { items: [] }), 400, 'minItems');
    expectRefused(
      await op2.post(`${B}/${claim.id}/document-request`, { items: ['prescrizione'] }),
      409,
      'held_by_other',
    );
    const before = (await outbox()).length;
    const asked = await op1.post(`${B}/${claim.id}/document-request`, {
      items: ['prescrizione'],
      note: 'Serve la prescrizione del medico.',
    });
    expect(asked.statusCode, asked.body).toBe(204);
    const emails = (await outbox()).slice(before);
    expect(emails.map((e) => e.template)).toEqual(['claim-news']);
    const mine = (await m.get(`/api/v1/claims/${claim.id}`)).json();
    expect(mine.documentRequest).toMatchObject({
      items: ['prescrizione'],
      note: 'Serve la prescrizione del medico.',
    });
    // The member uploads and sends it back: in review again, still with the same operator.
    expect(
      (await m.upload(`/api/v1/claims/${claim.id}/documents?kind=prescrizione&name=r.png`, PNG, 'image/png'))
        .statusCode,
    ).toBe(201);
    expect((await m.post(`/api/v1/claims/${claim.id}/integration`)).statusCode).toBe(200);
    const back = await detail(op1, claim.id);
    expect(back).toMatchObject({ state: 'in_review', holder: { username: 'op.uno' } });
    expect(back.checklist.find((x) => x.kind === 'prescrizione')?.present).toBe(true);
    expect(back.events.find((e) => e.to === 'needs_documents')).toMatchObject({
      actorName: 'op.uno',
      items: ['prescrizione'],
    });
    // A message to the member: they get the news email, and read it on the claim.
    const msg = await op1.post(`${B}/${claim.id}/messages`, { body: 'Grazie, la valutiamo subito.' });
    expect(msg.statusCode).toBe(201);
    const thread = (await m.get(`/api/v1/claims/${claim.id}`)).json().messages;
    expect(thread.at(-1)).toMatchObject({ author: 'staff', body: 'Grazie, la valutiamo subito.' });
  });

  it('[operator] a document opens inline for staff, and every opening is audited', async () => {
    const claim = await send(c, m);
    const doc = (await m.get(`/api/v1/claims/${claim.id}`))
      .json()
      .documents.find((d: { kind: string }) => d.kind === 'fattura');
    const res = await op2.get(`${B}/${claim.id}/documents/${doc.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^inline; filename="f.pdf"/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(res.rawPayload.equals(PDF)).toBe(true);
    const audited = await c.t.app.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event', '=', 'claim_document_viewed')
      .execute();
    expect(audited.length).toBeGreaterThanOrEqual(1);
    expect((await op2.get(`${B}/${claim.id}/documents/${newId()}`)).statusCode).toBe(404);
    expect((await desk.get(`${B}/${claim.id}/documents/${doc.id}`)).statusCode).toBe(403);
  });
});

describe('claims in the back office: caps and thresholds', () => {
  it('[operator] two approvals for the same person at the same moment never exceed the sub-cap', async () => {
    const c = await claimsContext(undefined, { CLAIM_AUTO_SAMPLE_BASIS_POINTS: '10000' });
    try {
      const m = api(c, (await accountFor(c, 'mario')).cookie);
      const ops = [
        api(c, (await staffFor(c, 'cap.uno', 'claims_operator')).cookie),
        api(c, (await staffFor(c, 'cap.due', 'claims_operator')).cookie),
      ] as const;
      // Physiotherapy: 800,00 € a year per person. Two claims of 600,00 € out of network: 480,00 € each.
      const claims = [];
      for (const n of ['FIS-A', 'FIS-B'])
        claims.push(
          await send(c, m, {
            category: 'fisioterapia',
            invoices: [invoice({ invoiceNumber: n, amountCents: 60_000 })],
          }),
        );
      const decisions: { op: Client; id: string; lines: ReturnType<typeof asProposed> }[] = [];
      for (const [i, claim] of claims.entries()) {
        const op = ops[i] as Client;
        await op.post(`${B}/${claim.id}/take`);
        decisions.push({ op, id: claim.id, lines: asProposed(await detail(op, claim.id)) });
      }
      expect(decisions.map((x) => x.lines[0]?.acceptedCents)).toEqual([48_000, 48_000]);
      const results = await Promise.all(
        decisions.map((x) => x.op.post(`${B}/${x.id}/decision`, { lines: x.lines })),
      );
      const statuses = results.map((r) => r.statusCode).sort();
      expect(statuses, results.map((r) => r.body).join(' ')).toEqual([200, 409]);
      const refused = results.find((r) => r.statusCode === 409) as LightMyRequestResponse;
      expect(codes(refused)).toEqual(['cap_exceeded']);
      const used = await c.t.app.db
        .selectFrom('claims')
        .select((eb) => eb.fn.sum<number>('accepted_cents').as('sum'))
        .where('category', '=', 'fisioterapia')
        .where('state', 'in', ['approved', 'partially_approved'])
        .executeTakeFirstOrThrow();
      expect(Number(used.sum)).toBeLessThanOrEqual(80_000);
      // The other operator sees what is left: 320,00 €, proposed as such.
      const winner = results[0]?.statusCode === 200 ? decisions[0] : decisions[1];
      const loser = decisions.find((x) => x !== winner);
      if (!loser) throw new Error('no second decision');
      const fresh = await detail(loser.op, loser.id);
      expect(fresh.invoices[0]?.proposal?.acceptedCents).toBe(32_000);
      const ok = await loser.op.post(`${B}/${loser.id}/decision`, { lines: asProposed(fresh) });
      expect(ok.json()).toEqual({ state: 'approved', pending: false });
    } finally {
      await c.close();
    }
  });

  it('[operator] a total above CLAIM_FOUR_EYES_CENTS waits for a second operator even as proposed', async () => {
    const c = await claimsContext(undefined, {
      CLAIM_AUTO_SAMPLE_BASIS_POINTS: '10000',
      CLAIM_FOUR_EYES_CENTS: '5000',
    });
    try {
      const m = api(c, (await accountFor(c, 'mario')).cookie);
      const op1 = api(c, (await staffFor(c, 'soglia.uno', 'claims_operator')).cookie);
      const op2 = api(c, (await staffFor(c, 'soglia.due', 'claims_operator')).cookie);
      const claim = await send(c, m);
      await op1.post(`${B}/${claim.id}/take`);
      const res = await op1.post(`${B}/${claim.id}/decision`, {
        lines: asProposed(await detail(op1, claim.id)),
      });
      expect(res.json()).toEqual({ state: 'in_review', pending: true });
      expect((await detail(op2, claim.id)).pendingDecision?.reasons).toEqual(['above_threshold']);
      // Withdrawn by the proposer: nothing decided, the claim can be decided again.
      expect((await op1.post(`${B}/${claim.id}/decision/discard`)).statusCode).toBe(204);
      expect((await detail(op1, claim.id)).can.decide).toBe(true);
    } finally {
      await c.close();
    }
  });
});

describe('claims: straight-through decisions of simple claims', () => {
  let c: Context;
  let m: Client;
  beforeAll(async () => {
    c = await claimsContext(undefined, { CLAIM_AUTO_SAMPLE_BASIS_POINTS: '0' });
    m = api(c, (await accountFor(c, 'mario')).cookie);
  });
  afterAll(async () => {
    await c?.close();
  });

  it('[system] eligible: approved at submission as the engine proposes, recorded with its rule; the member gets receipt and news', async () => {
    const before = await c.t.app.db.selectFrom('outbox_emails').select('template').execute();
    const sent = await send(c, m);
    expect(sent.state).toBe('approved');
    const claim = await c.t.app.db
      .selectFrom('claims')
      .selectAll()
      .where('id', '=', sent.id)
      .executeTakeFirstOrThrow();
    expect(claim).toMatchObject({ decided_by: 'system', auto_rule: 'simple_claim', accepted_cents: 7_000 });
    const events = (await m.get(`/api/v1/claims/${sent.id}`)).json().events;
    expect(events.map((e: { to: string; actor: string }) => `${e.to}:${e.actor}`)).toEqual([
      'submitted:member',
      'in_review:system',
      'approved:system',
    ]);
    expect(events.at(-1).reasonCode).toBe('auto_decided');
    const emails = (await c.t.app.db.selectFrom('outbox_emails').select('template').execute()).slice(
      before.length,
    );
    expect(emails.map((e) => e.template).sort()).toEqual(['claim-news', 'claim-submitted']);
  });

  it('[system] not eligible, each for its reason: to the queue', async () => {
    // A required document missing (the prescription).
    expect((await send(c, m, { prescription: false })).state).toBe('submitted');
    // Above the plan's limit (300,00 €).
    expect(
      (await send(c, m, { invoices: [invoice({ invoiceNumber: 'BIG-1', amountCents: 30_100 })] })).state,
    ).toBe('submitted');
    // A probable duplicate: the same number and date as a claim already sent.
    expect((await send(c, m, { invoices: [invoice({ invoiceNumber: 'DUP-1' })] })).state).toBe('approved');
    expect((await send(c, m, { invoices: [invoice({ invoiceNumber: 'DUP-1' })] })).state).toBe('submitted');
    // A line the engine would not pay in full by itself (below the 50,00 € minimum): a person decides.
    expect(
      (await send(c, m, { invoices: [invoice({ invoiceNumber: 'LOW-1', amountCents: 4_000 })] })).state,
    ).toBe('submitted');
  });

  it('[system] a plan without automatic decisions, or a claim drawn for the sample, goes to the queue', async () => {
    const sampled = await claimsContext(undefined, { CLAIM_AUTO_SAMPLE_BASIS_POINTS: '10000' });
    try {
      const member = api(sampled, (await accountFor(sampled, 'mario')).cookie);
      expect((await send(sampled, member)).state).toBe('submitted');
    } finally {
      await sampled.close();
    }
    const version = await c.t.app.db
      .selectFrom('plan_versions')
      .select(['id', 'rules'])
      .executeTakeFirstOrThrow();
    const rules = JSON.parse(version.rules);
    await c.t.app.db
      .updateTable('plan_versions')
      .set({ rules: JSON.stringify({ ...rules, autoDecision: { enabled: false, maxTotalCents: 30_000 } }) })
      .where('id', '=', version.id)
      .execute();
    expect((await send(c, m, { invoices: [invoice({ invoiceNumber: 'OFF-1' })] })).state).toBe('submitted');
  });
});

describe('claims: unanswered requests for documents, two instances', () => {
  it('[system] after CLAIM_INTEGRATION_EXPIRY_DAYS the claim is cancelled once, with one email, whichever instance runs', async () => {
    const c = await claimsContext(undefined, {
      CLAIM_AUTO_SAMPLE_BASIS_POINTS: '10000',
      CLAIM_INTEGRATION_EXPIRY_DAYS: '10',
    });
    const second = await buildTestApp({
      clock: c.clock,
      database: c.t.db,
      env: { STORAGE_DIR: c.storage, CLAIM_INTEGRATION_EXPIRY_DAYS: '10' },
    });
    try {
      const m = api(c, (await accountFor(c, 'mario')).cookie);
      const op = api(c, (await staffFor(c, 'scad.uno', 'claims_operator')).cookie);
      const claim = await send(c, m);
      await op.post(`${B}/${claim.id}/take`);
      expect((await op.post(`${B}/${claim.id}/document-request`, { items: ['altro'] })).statusCode).toBe(204);
      const state = async () =>
        (
          await c.t.app.db
            .selectFrom('claims')
            .select('state')
            .where('id', '=', claim.id)
            .executeTakeFirstOrThrow()
        ).state;
      c.clock.advance(9 * DAY);
      await Promise.all([c.t.app.jobs.runDue(), second.app.jobs.runDue()]);
      expect(await state()).toBe('needs_documents');
      c.clock.advance(2 * DAY);
      const before = (await c.t.app.db.selectFrom('outbox_emails').select('id').execute()).length;
      await Promise.all([c.t.app.jobs.runDue(), second.app.jobs.runDue()]);
      expect(await state()).toBe('cancelled');
      const cancels = await c.t.app.db
        .selectFrom('claim_events')
        .select(['actor_kind', 'reason_code'])
        .where('claim_id', '=', claim.id)
        .where('to_state', '=', 'cancelled')
        .execute();
      expect(cancels).toEqual([{ actor_kind: 'system', reason_code: 'integration_expired' }]);
      expect((await c.t.app.db.selectFrom('outbox_emails').select('id').execute()).length - before).toBe(1);
    } finally {
      await second.close();
      await c.close();
    }
  });
});

describe('claims: the one state machine, through the database', () => {
  it('[system] every pair of states and every actor: legal moves happen with their event, the others are refused with illegal_transition', async () => {
    const c = await claimsContext(undefined, { CLAIM_AUTO_SAMPLE_BASIS_POINTS: '10000' });
    try {
      const m = api(c, (await accountFor(c, 'mario')).cookie);
      const { id } = await send(c, m);
      const events = async () =>
        (await c.t.app.db.selectFrom('claim_events').select('id').where('claim_id', '=', id).execute())
          .length;
      let moves = 0;
      let refusals = 0;
      for (const from of CLAIM_STATES) {
        for (const to of CLAIM_STATES) {
          for (const actor of CLAIM_ACTORS) {
            await c.t.app.db.updateTable('claims').set({ state: from }).where('id', '=', id).execute();
            const before = await events();
            const outcome = await c.t.app.claims
              .transition(id, to, actor, { payment: { valueDate: '2026-06-10' } })
              .then(
                () => 'moved',
                (err: unknown) =>
                  err instanceof AppError &&
                  err.code === 'CONFLICT' &&
                  err.details?.[0]?.code === 'illegal_transition'
                    ? 'refused'
                    : `error: ${String(err)}`,
              );
            const label = `${from} → ${to} by ${actor}`;
            expect([label, outcome]).toEqual([label, canTransition(from, to, actor) ? 'moved' : 'refused']);
            const state = (
              await c.t.app.db
                .selectFrom('claims')
                .select('state')
                .where('id', '=', id)
                .executeTakeFirstOrThrow()
            ).state;
            expect([label, state]).toEqual([label, outcome === 'moved' ? to : from]);
            expect([label, await events()]).toEqual([label, before + (outcome === 'moved' ? 1 : 0)]);
            if (outcome === 'moved') moves++;
            else refusals++;
          }
        }
      }
      expect(moves).toBeGreaterThan(10);
      expect(moves + refusals).toBe(CLAIM_STATES.length ** 2 * CLAIM_ACTORS.length);
    } finally {
      await c.close();
    }
  });
});
