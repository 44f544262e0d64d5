import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { newId } from '../../server/lib/ids.js';
import { AuditRepository } from '../../server/modules/audit/audit.repository.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { ORIGIN } from '../helpers/member-flow.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

describe('audit trail export', () => {
  let t: TestApp;
  let auditor = '';
  const clock = new ManualClock('2026-07-01T08:00:00.000Z');
  beforeAll(async () => {
    t = await buildTestApp({ clock });
    const a = await enrolledStaff(t.app, clock, 'csv.auditor', 'auditor');
    clock.advance(30_000);
    auditor = staffCookie(await staffLogin(t.app, a.username, totpCode(a.secret, clock.now())));
  });
  afterAll(() => t.close());

  it('[auditor] exports the filtered trail as CSV that a spreadsheet cannot turn into formulas', async () => {
    await t.app.audit.record(
      t.app.db,
      { ip: '=cmd|calc', userAgent: null },
      {
        event: 'authn_login_fail',
        outcome: 'failure',
        actorType: 'anonymous',
        details: { reason: '@SUM(1+1)' },
      },
    );
    const res = await t.app.inject({
      url: '/api/v1/staff/audit-events.csv?event=authn_login_fail',
      headers: { ...ORIGIN, cookie: auditor },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="audit-2026-07-01.csv"');
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      '"occurred_at";"event";"outcome";"actor_type";"actor_id";"subject_id";"ip";"details"',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"\'=cmd|calc"');
    expect(lines[1]).toContain('"{""reason"":""@SUM(1+1)""}"');
    const exported = await t.app.db
      .selectFrom('audit_events')
      .select('event')
      .where('event', '=', 'audit_export')
      .execute();
    expect(exported).toHaveLength(1);
  });

  it('[auditor] the export holds every matching event, read in bounded batches and streamed', async () => {
    const total = 1234;
    const start = clock.now().getTime();
    const rows = Array.from({ length: total }, (_, i) => {
      // Groups of three share an instant: the order falls back on the id.
      const at = start + 60_000 + Math.floor(i / 3) * 1000;
      return {
        id: newId(at),
        occurred_at: new Date(at).toISOString(),
        event: 'bulk_probe',
        outcome: 'success' as const,
        actor_type: 'system' as const,
        actor_id: null,
        subject_id: null,
        ip: null,
        user_agent: null,
        details: JSON.stringify({ n: i }),
      };
    });
    for (let i = 0; i < rows.length; i += 250)
      await t.app.db
        .insertInto('audit_events')
        .values(rows.slice(i, i + 250))
        .execute();
    const reads = vi.spyOn(AuditRepository.prototype, 'page');
    const res = await t.app.inject({
      url: '/api/v1/staff/audit-events.csv?event=bulk_probe',
      headers: { ...ORIGIN, cookie: auditor },
    });
    const batches = reads.mock.calls.map((call) => call[4]);
    reads.mockRestore();
    expect(res.statusCode).toBe(200);
    // Streamed: no length known in advance.
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .slice(1);
    expect(lines).toHaveLength(total);
    const expected = [...rows]
      .sort((a, b) =>
        a.occurred_at === b.occurred_at
          ? b.id.localeCompare(a.id)
          : b.occurred_at.localeCompare(a.occurred_at),
      )
      .map((r) => r.details);
    const details = lines.map((l) => JSON.parse((l.split(';')[7] ?? '').slice(1, -1).replace(/""/g, '"')));
    expect(details.map((d) => JSON.stringify(d))).toEqual(expected);
    // Never the whole trail at once: batches of at most 500 rows.
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const size of batches) expect(size).toBeLessThanOrEqual(500);

    // Who exported what is on the record, with the filters used.
    const exports = await t.app.db
      .selectFrom('audit_events')
      .select('details')
      .where('event', '=', 'audit_export')
      .execute();
    expect(exports.map((e) => JSON.parse(e.details ?? '{}'))).toContainEqual({
      actor: null,
      member: null,
      event: 'bulk_probe',
      from: null,
      to: null,
    });
  });
});
