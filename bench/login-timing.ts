/**
 * How long a failed login takes for a known username (wrong password) and for an unknown one,
 * through the real HTTP route on a fresh SQLite database. The two must cost the same, so that
 * timing reveals nothing about who has an account. Prints medians and their ratio.
 *   npm run bench:login [-- rounds]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config/config.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrator.js';
import { newId } from '../server/lib/ids.js';
import { hashPassword } from '../server/lib/password-hashing.js';

const rounds = Number(process.argv[2] ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'onecare-bench-'));
const config = loadConfig(
  {
    DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0',
    LOG_LEVEL: 'silent',
    DEMO_DATA: 'false',
    RATE_LIMIT_PER_MINUTE: '1000000',
  },
  { dataDir: dir },
);
const database = openDatabase(config.database);
await migrateToLatest(database);
const app = await buildApp({ config, database, startWorker: false, logger: false });
await app.ready();

const now = new Date().toISOString();
const planId = newId();
const memberId = newId();
await app.db
  .insertInto('plans')
  .values({ id: planId, code: 'BENCH', name: 'Bench', created_at: now })
  .execute();
await app.db
  .insertInto('registry_members')
  .values({
    id: memberId,
    codice_fiscale: 'RSSMRA85T10A562S',
    surname: 'Rossi',
    given_name: 'Mario',
    birth_date: '1985-12-10',
    email: null,
    plan_id: planId,
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
    username: 'mario.rossi',
    email: 'mario.rossi@example.test',
    locale: 'it',
    password_hash: await hashPassword('the real password of mario rossi'),
    must_change_password: 0,
    temp_password_expires_at: null,
    password_changed_at: now,
    failed_logins: 0,
    password_locked_at: null,
    created_at: now,
  })
  .execute();

async function attempt(username: string, i: number): Promise<number> {
  const start = process.hrtime.bigint();
  // A different address each time, so the per-address throttle never kicks in.
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress: `10.9.${i >> 8}.${i & 255}`,
    payload: { username, password: 'a wrong password of enough length' },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.statusCode !== 401) throw new Error(`unexpected ${res.statusCode}`);
  // Keep the per-username counter below the captcha threshold.
  await app.db.deleteFrom('login_throttles').execute();
  await app.db.updateTable('member_accounts').set({ failed_logins: 0 }).execute();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const known: number[] = [];
const unknown: number[] = [];
await attempt('warm.up', 0);
for (let i = 1; i <= rounds; i++) {
  // Interleaved, so machine noise hits both alike.
  known.push(await attempt('mario.rossi', i * 2));
  unknown.push(await attempt(`nobody.${i}`, i * 2 + 1));
}
await app.close();
await database.destroy();
rmSync(dir, { recursive: true, force: true });
const k = median(known);
const u = median(unknown);
console.log(`failed login, known username:   median ${k.toFixed(1)} ms over ${rounds}`);
console.log(`failed login, unknown username: median ${u.toFixed(1)} ms over ${rounds}`);
console.log(`login timing: unknown/known ratio ${(u / k).toFixed(2)}`);
