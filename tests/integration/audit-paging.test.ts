import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_COUNT_CAP, AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX, type AuditPage } from '#contracts/audit.js';
import { ManualClock } from '../../server/lib/clock.js';
import { newId } from '../../server/lib/ids.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { ORIGIN } from '../helpers/member-flow.js';
import { enrolledStaff, staffCookie, staffLogin, totpCode } from '../helpers/staff.js';

const MIN = 60_000;
const MEMBER_A = '0190a000-0000-7000-8000-00000000000a';
const MEMBER_B = '0190b000-0000-7000-8000-00000000000b';

describe('audit trail by pages', () => {
  let t: TestApp;
  let auditor = '';
  const clock = new ManualClock('2026-08-03T08:00:00.000Z');

  beforeAll(async () => {
    t = await buildTestApp({ clock });
    const a = await enrolledStaff(t.app, clock, 'pages.auditor', 'auditor');
    clock.advance(30_000);
    auditor = staffCookie(await staffLogin(t.app, a.username, totpCode(a.secret, clock.now())));
  });
  afterAll(() => t.close());

  async function get(query: Record<string, string | number>, locale = 'it') {
    const qs = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    return t.app.inject({
      url: `/api/v1/staff/audit-events?${qs}`,
      headers: { ...ORIGIN, cookie: auditor, 'accept-language': locale },
    });
  }

  async function page(query: Record<string, string | number>): Promise<AuditPage> {
    const res = await get(query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AuditPage;
  }

  /** Events as the app writes them, `count` of them, one minute apart (or all at once). */
  async function record(
    count: number,
    event: string,
    options: { sameInstant?: boolean; actorId?: string; subjectId?: string } = {},
  ): Promise<void> {
    for (let i = 0; i < count; i++) {
      if (!options.sameInstant) clock.advance(MIN);
      await t.app.audit.record(t.app.db, null, {
        event,
        outcome: 'success',
        actorType: options.actorId ? 'staff' : 'system',
        actorId: options.actorId ?? null,
        subjectId: options.subjectId ?? null,
        details: { n: i },
      });
    }
  }

  const ids = (p: AuditPage) => p.events.map((e) => e.id);
  const newestFirst = (p: AuditPage) =>
    p.events.every((e, i, all) => {
      const before = all[i - 1];
      return (
        !before ||
        before.occurredAt > e.occurredAt ||
        (before.occurredAt === e.occurredAt && before.id > e.id)
      );
    });

  it('[auditor] pages neither overlap nor skip while new events arrive between the requests', async () => {
    await record(12, 'paging_probe');
    // Several events of the same instant: the id keeps their order, across page boundaries too.
    await record(8, 'paging_probe', { sameInstant: true });
    await record(5, 'paging_probe');

    const first = await page({ event: 'paging_probe', limit: 10 });
    expect(first.events).toHaveLength(10);
    expect(first.newer).toBeNull();
    expect(first.older).toEqual(expect.any(String));
    expect(first.total).toBe(25);
    expect(newestFirst(first)).toBe(true);

    // Meanwhile, three newer events.
    await record(3, 'paging_probe');

    const second = await page({ event: 'paging_probe', limit: 10, cursor: first.older ?? '' });
    expect(second.events).toHaveLength(10);
    expect(newestFirst(second)).toBe(true);
    const third = await page({ event: 'paging_probe', limit: 10, cursor: second.older ?? '' });
    expect(third.events).toHaveLength(5);
    expect(third.older).toBeNull();
    expect(third.total).toBe(28);

    // The 25 events that existed at the first request, each once, in order.
    const walked = [...ids(first), ...ids(second), ...ids(third)];
    expect(new Set(walked).size).toBe(25);
    const all = await t.app.db
      .selectFrom('audit_events')
      .select('id')
      .where('event', '=', 'paging_probe')
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(walked).toEqual(all.slice(3).map((r) => r.id));

    // And back: "newer" gives the same pages again, then the events that arrived meanwhile.
    const back2 = await page({ event: 'paging_probe', limit: 10, cursor: third.newer ?? '' });
    expect(ids(back2)).toEqual(ids(second));
    expect(back2.older).toEqual(expect.any(String));
    const back1 = await page({ event: 'paging_probe', limit: 10, cursor: back2.newer ?? '' });
    expect(ids(back1)).toEqual(ids(first));
    expect(back1.newer).toEqual(expect.any(String));
    const latest = await page({ event: 'paging_probe', limit: 10, cursor: back1.newer ?? '' });
    expect(ids(latest)).toEqual(all.slice(0, 3).map((r) => r.id));
    expect(latest.newer).toBeNull();
    const again = await page({ event: 'paging_probe', limit: 10, cursor: latest.older ?? '' });
    expect(ids(again)).toEqual(ids(first));
  });

  it('[auditor] filters hold on every page: actor, member, event and time together', async () => {
    const actor = newId(clock.now().getTime());
    const startMs = clock.now().getTime();
    // Interleaved: only "filter_probe" by this actor about member A matches.
    for (let round = 0; round < 7; round++) {
      await record(1, 'filter_probe', { actorId: actor, subjectId: MEMBER_A });
      await record(1, 'filter_probe', { actorId: actor, subjectId: MEMBER_B });
      await record(1, 'other_probe', { actorId: actor, subjectId: MEMBER_A });
      await record(1, 'filter_probe', { subjectId: MEMBER_A });
    }
    // The matching events are at minutes 1, 5, 9 … 25: from the first (inclusive) to the last
    // (exclusive), six of them.
    const start = new Date(startMs + MIN).toISOString();
    const end = new Date(startMs + 25 * MIN).toISOString();

    const query = { actor, member: MEMBER_A, event: 'filter_probe', from: start, to: end, limit: 3 };
    const seen: AuditPage['events'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p: AuditPage = await page(cursor ? { ...query, cursor } : query);
      expect(p.total).toBe(6);
      seen.push(...p.events);
      cursor = p.older;
      pages++;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(6);
    expect(new Set(seen.map((e) => e.id)).size).toBe(6);
    for (const e of seen) {
      expect(e).toMatchObject({ event: 'filter_probe', actorId: actor, subjectId: MEMBER_A });
      expect(e.occurredAt >= start && e.occurredAt < end).toBe(true);
    }
  });

  it('[auditor] an invalid cursor is refused with a clear validation error', async () => {
    const garbage = [
      'not a cursor!',
      'bm90IGEgY3Vyc29y', // base64url of "not a cursor"
      Buffer.from('x|2026-08-03T08:00:00.000Z|0190a000-0000-7000-8000-00000000000a').toString('base64url'),
      Buffer.from('o|yesterday|0190a000-0000-7000-8000-00000000000a').toString('base64url'),
      Buffer.from("o|2026-08-03T08:00:00.000Z|' or 1=1 --").toString('base64url'),
    ];
    for (const cursor of garbage) {
      const res = await get({ cursor });
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json()).toEqual({
        error: {
          code: 'VALIDATION_FAILED',
          message: 'Alcuni dati non sono validi: controlla i campi indicati.',
          details: [
            {
              field: 'cursor',
              code: 'cursor_invalid',
              message: 'Il segnaposto di pagina non è valido: riparti dalla prima pagina dei risultati.',
            },
          ],
        },
      });
    }
    const en = await get({ cursor: 'bm90IGEgY3Vyc29y' }, 'en');
    expect(en.json().error.details[0].message).toBe(
      'The page cursor is not valid: start again from the first page of results.',
    );
    const long = await get({ cursor: 'a'.repeat(201) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.code).toBe('VALIDATION_FAILED');
    expect(long.json().error.details[0].field).toBe('querystring.cursor');
  });

  it('[auditor] the page size has a default and a maximum', async () => {
    await record(AUDIT_PAGE_MAX + 5, 'size_probe', { sameInstant: true });
    expect((await page({ event: 'size_probe' })).events).toHaveLength(AUDIT_PAGE_DEFAULT);
    expect((await page({ event: 'size_probe', limit: AUDIT_PAGE_MAX })).events).toHaveLength(AUDIT_PAGE_MAX);
    for (const limit of [0, AUDIT_PAGE_MAX + 1, 'many']) {
      const res = await get({ event: 'size_probe', limit });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ field: 'querystring.limit' })],
      });
    }
  });

  it('[auditor] the total is given up to the cap, then only "more" is said', async () => {
    const at = clock.now().toISOString();
    const rows = Array.from({ length: AUDIT_COUNT_CAP + 1 }, (_, i) => ({
      id: newId(clock.now().getTime()),
      occurred_at: at,
      event: 'count_probe',
      outcome: 'success' as const,
      actor_type: 'system' as const,
      actor_id: null,
      subject_id: null,
      ip: null,
      user_agent: null,
      details: JSON.stringify({ n: i }),
    }));
    for (let i = 0; i < rows.length; i += 250)
      await t.app.db
        .insertInto('audit_events')
        .values(rows.slice(i, i + 250))
        .execute();
    const over = await page({ event: 'count_probe', limit: 5 });
    expect(over.total).toBeNull();
    expect(over.older).toEqual(expect.any(String));
    const few = await page({ event: 'paging_probe', limit: 5 });
    expect(few.total).toBe(28);
  });
});
