import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config/config.js';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';
import { newId } from '../../server/lib/ids.js';
import { hashPassword } from '../../server/lib/password-hashing.js';
import { generateCodiceFiscale } from '../../server/modules/members/index.js';

/** The one member the timing benchmarks log in as or recover (fictitious). */
export const BENCH_MEMBER = {
  codiceFiscale: 'RSSMRA85T10A562S',
  username: 'mario.rossi',
  email: 'mario.rossi@example.test',
  password: 'the real password of mario rossi',
} as const;

/**
 * The app on a fresh SQLite database in a temporary folder (no worker, no logs, rate limits out
 * of the way), holding one plan and one active member with an account; `close` removes it all.
 */
export async function benchAppWithMember(
  env: Record<string, string> = {},
): Promise<{ app: App; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'onecare-bench-'));
  const config = loadConfig(
    {
      DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
      SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0',
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'false',
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...env,
    },
    { dataDir: dir },
  );
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  const app = await buildApp({ config, database, startWorker: false, logger: false });
  await app.ready();

  const now = new Date().toISOString();
  const planId = newId();
  await app.db
    .insertInto('plans')
    .values({ id: planId, code: 'BENCH', name: 'Bench', created_at: now })
    .execute();
  await insertMember(app, {
    planId,
    codiceFiscale: BENCH_MEMBER.codiceFiscale,
    surname: 'Rossi',
    givenName: 'Mario',
    birthDate: '1985-12-10',
    username: BENCH_MEMBER.username,
    email: BENCH_MEMBER.email,
    passwordHash: await hashPassword(BENCH_MEMBER.password),
  });
  return {
    app,
    async close() {
      await app.close();
      await database.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * More active members with accounts on the bench plan (fictitious), for benchmarks that need
 * several people at once (one open claim draft per account). Returns their usernames; they share
 * BENCH_MEMBER's password.
 */
export async function addBenchMembers(app: App, count: number): Promise<string[]> {
  const plan = await app.db
    .selectFrom('plans')
    .select('id')
    .where('code', '=', 'BENCH')
    .executeTakeFirstOrThrow();
  const passwordHash = await hashPassword(BENCH_MEMBER.password);
  const usernames: string[] = [];
  for (let i = 0; i < count; i++) {
    const username = `bench.member${i + 2}`;
    await insertMember(app, {
      planId: plan.id,
      codiceFiscale: generateCodiceFiscale({
        surname: 'Bianchi',
        name: `Luca${'bcdfglmnpr'[i % 10]}`.repeat(1 + Math.floor(i / 10)),
        birthDate: '1980-05-10',
        sex: 'M',
        placeCode: 'H501',
      }),
      surname: 'Bianchi',
      givenName: 'Luca',
      birthDate: '1980-05-10',
      username,
      email: `${username}@example.test`,
      passwordHash,
    });
    usernames.push(username);
  }
  return usernames;
}

/** An active holder on `planId` with an account that may log in at once (fictitious data). */
async function insertMember(
  app: App,
  m: {
    planId: string;
    codiceFiscale: string;
    surname: string;
    givenName: string;
    birthDate: string;
    username: string;
    email: string;
    passwordHash: string;
  },
): Promise<void> {
  const now = new Date().toISOString();
  const memberId = newId();
  await app.db
    .insertInto('registry_members')
    .values({
      id: memberId,
      codice_fiscale: m.codiceFiscale,
      surname: m.surname,
      given_name: m.givenName,
      birth_date: m.birthDate,
      email: null,
      plan_id: m.planId,
      role: 'titolare',
      holder_cf: null,
      coverage_start: '2020-01-01',
      coverage_end: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await app.db
    .insertInto('member_accounts')
    .values({
      id: newId(),
      registry_member_id: memberId,
      username: m.username,
      email: m.email,
      locale: 'it',
      password_hash: m.passwordHash,
      must_change_password: 0,
      temp_password_expires_at: null,
      password_changed_at: now,
      failed_logins: 0,
      password_locked_at: null,
      created_at: now,
    })
    .execute();
}
