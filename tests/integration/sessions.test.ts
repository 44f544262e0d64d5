import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/lib/clock.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const MIN = 60_000;

describe('server-side sessions', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-05-04T10:00:00.000Z');
  beforeAll(async () => {
    t = await buildTestApp({ clock });
  });
  afterAll(() => t.close());

  it('[member] the database keeps only a keyed hash of the cookie token', async () => {
    const { token } = await t.app.sessions.create('member', 'm-1');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await t.app.db.selectFrom('sessions').selectAll().execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect((await t.app.sessions.resume(token))?.subjectId).toBe('m-1');
    expect(await t.app.sessions.resume(`${token}x`)).toBeUndefined();
  });

  it('[member] a session ends after 30 idle minutes, and activity keeps it alive', async () => {
    const { token } = await t.app.sessions.create('member', 'm-2');
    clock.advance(29 * MIN);
    expect(await t.app.sessions.resume(token)).toBeDefined();
    clock.advance(29 * MIN);
    expect(await t.app.sessions.resume(token)).toBeDefined();
    clock.advance(30 * MIN);
    expect(await t.app.sessions.resume(token)).toBeUndefined();
  });

  it('[member] a session ends after 8 hours however active; a staff one after 12', async () => {
    const member = await t.app.sessions.create('member', 'm-3');
    const staff = await t.app.sessions.create('staff', 's-1');
    for (let i = 0; i < 16; i++) {
      clock.advance(29 * MIN);
      await t.app.sessions.resume(member.token);
      await t.app.sessions.resume(staff.token);
    }
    // 7 h 44 min: both alive; at 8 h 13 min the member's has ended.
    clock.advance(29 * MIN);
    expect(await t.app.sessions.resume(member.token)).toBeUndefined();
    expect(await t.app.sessions.resume(staff.token)).toBeDefined();
  });

  it('[member] rotation gives a new token and kills the old one', async () => {
    const { token } = await t.app.sessions.create('member', 'm-4');
    const rotated = await t.app.sessions.rotate(token);
    expect(rotated?.token).not.toBe(token);
    expect(await t.app.sessions.resume(token)).toBeUndefined();
    expect((await t.app.sessions.resume(rotated?.token ?? ''))?.subjectId).toBe('m-4');
  });

  it('[member] ending all sessions but the current one signs out every other device', async () => {
    const a = await t.app.sessions.create('member', 'm-5');
    const b = await t.app.sessions.create('member', 'm-5');
    const other = await t.app.sessions.create('member', 'm-6');
    expect(await t.app.sessions.endAll('member', 'm-5', a.token)).toBe(1);
    expect(await t.app.sessions.resume(a.token)).toBeDefined();
    expect(await t.app.sessions.resume(b.token)).toBeUndefined();
    expect(await t.app.sessions.resume(other.token)).toBeDefined();
  });

  it('[staff] a member token is not accepted where a staff session is expected', async () => {
    const { token } = await t.app.sessions.create('member', 'm-7');
    expect(await t.app.sessions.resume(token, 'staff')).toBeUndefined();
    expect(await t.app.sessions.resume(token, 'member')).toBeDefined();
  });
});
