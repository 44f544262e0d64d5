import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURGE_EVERY_MS, PURGE_JOB } from '../../server/jobs/purge-expired.job.js';
import { ManualClock } from '../../server/lib/clock.js';
import { newId } from '../../server/lib/ids.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const START = '2026-06-01T08:00:00.000Z';
const ago = (ms: number) => new Date(new Date(START).getTime() - ms).toISOString();
const ahead = (ms: number) => new Date(new Date(START).getTime() + ms).toISOString();

async function keys(t: TestApp, table: 'login_throttles' | 'captcha_solutions' | 'verifications') {
  const column = table === 'login_throttles' ? 'key' : table === 'captcha_solutions' ? 'signature' : 'id';
  const rows = await t.app.db.selectFrom(table).select(`${column} as k`).execute();
  return rows.map((r) => String(r.k)).sort();
}

/** The purge's runs among the jobs run (other jobs, such as the claims' document sweep, run beside it). */
const purges = (names: string[]) => names.filter((name) => name === PURGE_JOB);

function purgedTotal(body: string, table: string): number {
  const m = new RegExp(`onecare_purged_rows_total\\{table="${table}"\\} (\\d+)`).exec(body);
  return Number(m?.[1] ?? 0);
}

describe('scheduled jobs on several instances', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  const clock = new ManualClock(START);
  const logs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await buildTestApp({ database, clock, logLines: logs });
    b = await buildTestApp({ database, clock, logLines: logs });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await database.drop();
  });

  it('[operator] a due purge runs on one instance only and deletes only what nobody can use', async () => {
    const db = a.app.db;
    // Sessions: one live, one idle past its expiry, one past its absolute expiry.
    const live = await a.app.sessions.create('member', 'm-live');
    await db
      .insertInto('sessions')
      .values([
        {
          token_hash: 'idle-expired',
          subject_type: 'member',
          subject_id: 'm-idle',
          created_at: ago(60 * MIN),
          last_seen_at: ago(40 * MIN),
          idle_expires_at: ago(10 * MIN),
          absolute_expires_at: ahead(7 * 60 * MIN),
        },
        {
          token_hash: 'absolute-expired',
          subject_type: 'staff',
          subject_id: 's-old',
          created_at: ago(13 * 60 * MIN),
          last_seen_at: ago(MIN),
          idle_expires_at: ahead(29 * MIN),
          absolute_expires_at: ago(MIN),
        },
      ])
      .execute();
    // Throttles: forgotten after a week without failures, kept before.
    await db
      .insertInto('login_throttles')
      .values([
        { key: 'u:mario.rossi', failures: 7, last_failure_at: ago(8 * DAY) },
        { key: 'a:203.0.113.9', failures: 3, last_failure_at: ago(2 * DAY) },
        { key: 'su:demo.operatore', failures: 5, last_failure_at: ago(MIN) },
      ])
      .execute();
    // Captcha solutions: kept until their challenge has expired.
    await db
      .insertInto('captcha_solutions')
      .values([
        { signature: 'expired', expires_at: ago(MIN) },
        { signature: 'live', expires_at: ahead(5 * MIN) },
      ])
      .execute();
    // Verifications: dead for more than 30 days go, but the newest activation of a member stays.
    const plan = await createPlan(a.app);
    const person = await createRegistryMember(a.app, plan, { email: 'giulia.verdi@example.test' });
    const verification = (
      id: string,
      purpose: 'activation' | 'password_reset',
      created: number,
      used: number | null,
    ) => ({
      id,
      purpose,
      lookup: id.slice(-6),
      token_hash: `hash-${id}`,
      registry_member_id: person.id,
      account_id: null,
      email: 'giulia.verdi@example.test',
      locale: 'it',
      created_at: ago(created),
      expires_at: ago(created - DAY),
      used_at: used === null ? null : ago(used),
      failed_attempts: 0,
    });
    const oldRevoked = newId();
    const oldExpired = newId();
    const newestActivation = newId();
    const usedReset = newId();
    const recentReset = newId();
    await db
      .insertInto('verifications')
      .values([
        verification(oldRevoked, 'activation', 90 * DAY, 80 * DAY),
        verification(oldExpired, 'activation', 80 * DAY, null),
        verification(newestActivation, 'activation', 70 * DAY, null),
        verification(usedReset, 'password_reset', 40 * DAY + MIN, 40 * DAY),
        verification(recentReset, 'password_reset', 3 * DAY, 3 * DAY - MIN),
      ])
      .execute();

    const [byA, byB] = await Promise.all([a.app.jobs.runDue(), b.app.jobs.runDue()]);
    expect(purges([...byA, ...byB])).toEqual([PURGE_JOB]);

    const sessions = await db.selectFrom('sessions').select('subject_id').execute();
    expect(sessions.map((s) => s.subject_id)).toEqual(['m-live']);
    expect(await a.app.sessions.resume(live.token)).toBeDefined();
    expect(await keys(a, 'login_throttles')).toEqual(['a:203.0.113.9', 'su:demo.operatore']);
    expect(await keys(a, 'captcha_solutions')).toEqual(['live']);
    expect(await keys(a, 'verifications')).toEqual([newestActivation, recentReset].sort());

    const ran = byA.includes(PURGE_JOB) ? a : b;
    const metrics = (await ran.app.inject({ url: '/metrics' })).body;
    expect(purgedTotal(metrics, 'sessions')).toBe(2);
    expect(purgedTotal(metrics, 'login_throttles')).toBe(1);
    expect(purgedTotal(metrics, 'captcha_solutions')).toBe(1);
    expect(purgedTotal(metrics, 'verifications')).toBe(3);
    expect(metrics).toContain(`onecare_scheduled_job_runs_total{job="${PURGE_JOB}",result="ok"} 1`);

    const lines = logs.filter((l) => l.includes('expired rows purged'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}').purged).toEqual({
      sessions: 2,
      login_throttles: 1,
      captcha_solutions: 1,
      verifications: 3,
    });
    const all = logs.join('\n');
    for (const personal of ['mario.rossi', '203.0.113.9', 'giulia.verdi', person.codiceFiscale])
      expect(all).not.toContain(personal);
  });

  it('[operator] the next run is due an interval later, and each due run happens once', async () => {
    expect(purges([...(await a.app.jobs.runDue()), ...(await b.app.jobs.runDue())])).toEqual([]);
    clock.advance(PURGE_EVERY_MS - MIN);
    expect(purges([...(await a.app.jobs.runDue()), ...(await b.app.jobs.runDue())])).toEqual([]);
    for (let round = 0; round < 10; round++) {
      clock.advance(PURGE_EVERY_MS + MIN);
      const [byA, byB] = await Promise.all([a.app.jobs.runDue(), b.app.jobs.runDue()]);
      expect(purges([...byA, ...byB])).toEqual([PURGE_JOB]);
    }
    const row = await a.app.db
      .selectFrom('scheduled_jobs')
      .selectAll()
      .where('name', '=', PURGE_JOB)
      .executeTakeFirstOrThrow();
    expect(row.locked_until).toBeNull();
    expect(row.last_error).toBeNull();
    expect(row.last_run_at).toBe(clock.now().toISOString());
    expect(row.next_run_at).toBe(new Date(clock.now().getTime() + PURGE_EVERY_MS).toISOString());
  });

  it('[operator] a run claimed by an instance that died is taken over when its lease ends', async () => {
    clock.advance(PURGE_EVERY_MS);
    await a.app.db
      .updateTable('scheduled_jobs')
      .set({ locked_by: 'gone', locked_until: new Date(clock.now().getTime() + 10 * MIN).toISOString() })
      .where('name', '=', PURGE_JOB)
      .execute();
    expect(purges([...(await a.app.jobs.runDue()), ...(await b.app.jobs.runDue())])).toEqual([]);
    clock.advance(10 * MIN + 1);
    const [byA, byB] = await Promise.all([a.app.jobs.runDue(), b.app.jobs.runDue()]);
    expect(purges([...byA, ...byB])).toEqual([PURGE_JOB]);
  });

  it('[operator] started with the app, the runner checks at once and stops with it', async () => {
    clock.advance(PURGE_EVERY_MS);
    a.app.jobs.start();
    try {
      for (let i = 0; i < 100; i++) {
        const row = await a.app.db
          .selectFrom('scheduled_jobs')
          .select('last_run_at')
          .where('name', '=', PURGE_JOB)
          .executeTakeFirstOrThrow();
        if (row.last_run_at === clock.now().toISOString()) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await a.app.jobs.stop();
    }
    const row = await a.app.db
      .selectFrom('scheduled_jobs')
      .select('last_run_at')
      .where('name', '=', PURGE_JOB)
      .executeTakeFirstOrThrow();
    expect(row.last_run_at).toBe(clock.now().toISOString());
  });
});
