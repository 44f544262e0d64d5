/**
 * Claims in integration tests: the demo registry and network, member accounts with a session, an
 * API client with a member's or staff user's cookie, a claim sent through the member's routes; and
 * claims seeded in any state, for the reports and the dashboard's caps.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { ClaimActor } from '#contracts/claims.codes.js';
import type { CategoryCode } from '#contracts/plans.codes.js';
import type { StaffRole } from '#contracts/staff.codes.js';
import type { App } from '../../server/app.js';
import { seedDemoNetwork } from '../../server/demo/network.js';
import { DEMO_MEMBERS, DEMO_PLAN, demoMember, seedDemoRegistry } from '../../server/demo/registry.js';
import { ManualClock } from '../../server/lib/clock.js';
import { newId } from '../../server/lib/ids.js';
import { buildTestApp, type TestApp } from './build-app.js';
import { ORIGIN } from './member-flow.js';
import { staffWithSession } from './staff.js';

export interface Ctx {
  t: TestApp;
  clock: ManualClock;
  storage: string;
  /** Registry id by demo key. */
  registry: Map<string, string>;
  facilityId: string;
}

/** A member account (already past the first password) with a live session, for a demo member. */
export async function accountFor(c: Ctx, key: string, locale: 'it' | 'en' = 'it') {
  const registryId = c.registry.get(key);
  if (!registryId) throw new Error(`no demo member ${key}`);
  const id = newId();
  await c.t.app.db
    .insertInto('member_accounts')
    .values({
      id,
      registry_member_id: registryId,
      username: `${key}.${id.slice(-6)}`,
      email: `${key}.${id.slice(-6)}@example.test`,
      locale,
      password_hash: 'not-used-here',
      must_change_password: 0,
      temp_password_expires_at: null,
      password_changed_at: c.clock.now().toISOString(),
      failed_logins: 0,
      password_locked_at: null,
      created_at: c.clock.now().toISOString(),
    })
    .execute();
  const { token } = await c.t.app.sessions.create('member', id);
  return { id, cookie: `onecare_session=${token}`, email: `${key}.${id.slice(-6)}@example.test` };
}

export async function claimsContext(
  clockStart = '2026-06-10T08:00:00.000Z',
  env: Record<string, string> = {},
): Promise<Ctx & { close(): Promise<void> }> {
  const clock = new ManualClock(clockStart);
  const storage = mkdtempSync(join(tmpdir(), 'onecare-claims-'));
  const t = await buildTestApp({ clock, env: { STORAGE_DIR: storage, ...env } });
  await seedDemoRegistry(t.app.db, t.app.dialect, clock);
  await seedDemoNetwork(t.app.db, clock);
  const rows = await t.app.db.selectFrom('registry_members').select(['id', 'codice_fiscale']).execute();
  const registry = new Map<string, string>();
  for (const key of ['mario', 'giulia', 'luca', 'sofia', 'anna']) {
    const cf = demoMember(key).codiceFiscale;
    const row = rows.find((r) => r.codice_fiscale === cf);
    if (row) registry.set(key, row.id);
  }
  const facility = await t.app.db.selectFrom('facilities').select('id').executeTakeFirstOrThrow();
  return {
    t,
    clock,
    storage,
    registry,
    facilityId: facility.id,
    async close() {
      await t.close();
      rmSync(storage, { recursive: true, force: true });
    },
  };
}

export function api(c: Ctx, cookie: string) {
  const send = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = {}) =>
    c.t.app.inject({
      method,
      url,
      headers: { ...ORIGIN, cookie, ...headers },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    get: (url: string) => send('GET', url),
    post: (url: string, payload?: unknown) => send('POST', url, payload),
    put: (url: string, payload: unknown) => send('PUT', url, payload),
    del: (url: string) => send('DELETE', url),
    upload: (url: string, body: Buffer, contentType = 'application/octet-stream') =>
      c.t.app.inject({
        method: 'POST',
        url,
        headers: { ...ORIGIN, cookie, 'content-type': contentType },
        payload: body,
      }),
  };
}

export function codes(res: LightMyRequestResponse): string[] {
  return ((res.json() as { error: { details?: { code: string }[] } }).error.details ?? []).map((d) => d.code);
}

export function details(res: LightMyRequestResponse): { field: string; code: string; message: string }[] {
  return (
    (res.json() as { error: { details?: { field: string; code: string; message: string }[] } }).error
      .details ?? []
  );
}

export const invoice = (over: Record<string, unknown> = {}) => ({
  id: newId(),
  invoiceDate: '2026-05-20',
  invoiceNumber: 'FT-120',
  issuerName: 'Studio Medico Immaginario',
  issuerTaxId: '01234567890',
  amountCents: 12_000,
  channel: 'out_of_network',
  facilityId: null,
  ...over,
});

export const IBAN = 'IT60X0542811101000000123456';

/** A staff user with a live back-office session (tests/helpers/staff.ts). */
export function staffFor(c: Ctx, username: string, role: StaffRole) {
  return staffWithSession(c.t.app, username, role);
}

// ---------------------------------------------------------------------------------------------

/**
 * Claims in any state, for tests that need many of them (reports, the dashboard's caps): a claim
 * is inserted as sent (as the wizard leaves it), then moved on with the one real way a claim
 * changes state, `app.claims.transition`, at the test clock's time (a payment with its value date,
 * which the transition records); the back office's columns of a decision (amounts,
 * decided_at/decided_by) are then written as the back office would write them.
 */

let numbers = 0;

/** A member account with a live session for a registry member (no password: the cookie is enough). */
export async function memberWithSession(app: App, registryMemberId: string, now = new Date()) {
  const id = newId();
  const username = `socio.${id.slice(-8)}`;
  await app.db
    .insertInto('member_accounts')
    .values({
      id,
      registry_member_id: registryMemberId,
      username,
      email: `${username}@example.test`,
      locale: 'it',
      password_hash: 'not-used-here',
      must_change_password: 0,
      temp_password_expires_at: null,
      password_changed_at: now.toISOString(),
      failed_logins: 0,
      password_locked_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  const { token } = await app.sessions.create('member', id);
  return { id, username, cookie: `onecare_session=${token}` };
}

export interface ClaimLineSeed {
  invoiceDate: string;
  amountCents: number;
  /** The engine's estimate at submission. */
  estimatedCents: number;
}

export interface ClaimSeed {
  accountId: string;
  /** The holder's registry id. */
  familyId: string;
  beneficiaryId: string;
  planId: string;
  category: CategoryCode;
  /** ISO instant. */
  submittedAt: string;
  lines: ClaimLineSeed[];
}

/** A claim as sent by the member: state `submitted`, its lines, and its first event. */
export async function insertSubmittedClaim(app: App, seed: ClaimSeed): Promise<string> {
  const id = newId(Date.parse(seed.submittedAt));
  const plan = await app.db
    .selectFrom('plans')
    .select('code')
    .where('id', '=', seed.planId)
    .executeTakeFirstOrThrow();
  const sum = (pick: (l: ClaimLineSeed) => number) => seed.lines.reduce((s, l) => s + pick(l), 0);
  await app.db
    .insertInto('claims')
    .values({
      id,
      number: `RSM-${seed.submittedAt.slice(0, 4)}-${700_000 + ++numbers}`,
      account_id: seed.accountId,
      family_id: seed.familyId,
      beneficiary_id: seed.beneficiaryId,
      plan_id: seed.planId,
      plan_code: plan.code,
      plan_version: 1,
      category: seed.category,
      state: 'submitted',
      iban: 'IT60X0542811101000000123456',
      account_holder: 'Titolare Prova',
      idempotency_key: id,
      submitted_at: seed.submittedAt,
      expected_decision_on: seed.submittedAt.slice(0, 10),
      claimed_cents: sum((l) => l.amountCents),
      estimated_cents: sum((l) => l.estimatedCents),
      accepted_cents: null,
      paid_cents: null,
      last_reminder_at: null,
      draft: null,
      created_at: seed.submittedAt,
      updated_at: seed.submittedAt,
    })
    .execute();
  await app.db
    .insertInto('claim_invoices')
    .values(
      seed.lines.map((l, position) => ({
        id: newId(),
        claim_id: id,
        position,
        invoice_date: l.invoiceDate,
        invoice_number: `FT-${position + 1}`,
        issuer_name: 'Studio Medico Immaginario',
        issuer_tax_id: null,
        amount_cents: l.amountCents,
        channel: 'out_of_network' as const,
        facility_id: null,
        estimated_cents: l.estimatedCents,
        accepted_cents: null,
        paid_cents: null,
        reason: null,
        explanation: JSON.stringify({ it: [], en: [] }),
        probable_duplicate: 0,
      })),
    )
    .execute();
  await app.db
    .insertInto('claim_events')
    .values({
      id: newId(),
      claim_id: id,
      seq: 1,
      at: seed.submittedAt,
      from_state: 'draft',
      to_state: 'submitted',
      actor_kind: 'member',
      actor_id: seed.accountId,
      reason_code: null,
      note: null,
    })
    .execute();
  return id;
}

export type ClaimStep =
  | { to: 'in_review' | 'needs_documents'; at?: string }
  | {
      to: 'approved' | 'partially_approved' | 'rejected';
      at?: string;
      by: 'staff' | 'system';
      /** Accepted per line, in order; default: each line's estimate (0 when rejected). */
      acceptedCents?: number[];
      /** false: leave `decided_at`/`decided_by` empty (a decision known only from the timeline). */
      record?: boolean;
    }
  | { to: 'paid'; at?: string; paidOn: string };

/**
 * Moves a claim on, through `app.claims.transition` at `step.at` (the test clock is set to it when
 * given; without a clock the transition happens now and `at` only dates the columns written).
 * A decision from `submitted` passes through `in_review` first, at the same time.
 */
export async function driveClaim(app: App, claimId: string, step: ClaimStep, clock?: ManualClock) {
  if (clock && step.at) clock.set(step.at);
  const at = step.at ?? app.clock.now().toISOString();
  const claim = await app.db
    .selectFrom('claims')
    .select(['state'])
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow();
  if (!('by' in step) && !('paidOn' in step)) {
    if (claim.state === 'submitted') await app.claims.transition(claimId, 'in_review', 'staff');
    if (step.to === 'needs_documents') {
      await app.claims.transition(claimId, 'needs_documents', 'staff', { reasonCode: 'documents_requested' });
    }
    return;
  }
  if ('paidOn' in step) {
    // The transition writes the value date and the paid amounts (the accepted ones).
    await app.claims.transition(claimId, 'paid', 'staff', { payment: { valueDate: step.paidOn } });
    return;
  }
  const actor: ClaimActor = step.by;
  if (claim.state === 'submitted') await app.claims.transition(claimId, 'in_review', actor);
  await app.claims.transition(claimId, step.to, actor);
  const lines = await app.db
    .selectFrom('claim_invoices')
    .select(['id', 'estimated_cents'])
    .where('claim_id', '=', claimId)
    .orderBy('position')
    .execute();
  let total = 0;
  for (const [index, line] of lines.entries()) {
    const accepted = step.to === 'rejected' ? 0 : (step.acceptedCents?.[index] ?? line.estimated_cents);
    total += accepted;
    await app.db
      .updateTable('claim_invoices')
      .set({ accepted_cents: accepted })
      .where('id', '=', line.id)
      .execute();
  }
  await app.db
    .updateTable('claims')
    .set({
      accepted_cents: total,
      ...(step.record === false ? {} : { decided_at: at, decided_by: step.by }),
      ...(step.by === 'system' && step.record !== false ? { auto_rule: 'test' } : {}),
      updated_at: at,
    })
    .where('id', '=', claimId)
    .execute();
}

/** The demo registry's ids by key (`mario`, `luca`, `anna`, …) and the demo plan's id. */
export async function demoRegistryIds(app: App): Promise<{ planId: string; ids: Map<string, string> }> {
  const rows = await app.db
    .selectFrom('registry_members')
    .select(['id', 'codice_fiscale', 'plan_id'])
    .execute();
  const ids = new Map<string, string>();
  for (const m of DEMO_MEMBERS) {
    const row = rows.find((r) => r.codice_fiscale === m.codiceFiscale);
    if (row) ids.set(m.key, row.id);
  }
  const plan = await app.db
    .selectFrom('plans')
    .select('id')
    .where('code', '=', DEMO_PLAN.code)
    .executeTakeFirstOrThrow();
  return { planId: plan.id, ids };
}
