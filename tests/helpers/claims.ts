/**
 * Claims in integration tests: the demo registry and network, member accounts with a session, an
 * API client with a member's or staff user's cookie, a claim sent through the member's routes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { StaffRole } from '#contracts/staff.codes.js';
import { seedDemoNetwork } from '../../server/demo/network.js';
import { demoMember, seedDemoRegistry } from '../../server/demo/registry.js';
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
