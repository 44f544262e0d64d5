import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
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
});
