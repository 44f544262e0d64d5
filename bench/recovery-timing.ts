/**
 * How long password recovery and username recovery take when the data belong together (a link
 * or a reminder is written to the outbox) and when they do not (nothing is sent), through the
 * real HTTP routes on a fresh SQLite database. The two must cost the same, so that timing reveals
 * nothing about who has an account with which address. Prints medians and their ratio.
 *   npm run bench:recovery [-- rounds]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
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
    MAIL_TRANSPORT: 'capture',
    RATE_LIMIT_PER_MINUTE: '1000000',
    FORM_RATE_LIMIT_PER_MINUTE: '1000000',
    // The captcha is solved before the clock starts; a cheap one keeps the run short.
    CAPTCHA_COST: '10',
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
const CF = 'RSSMRA85T10A562S';
const EMAIL = 'mario.rossi@example.test';
await app.db
  .insertInto('plans')
  .values({ id: planId, code: 'BENCH', name: 'Bench', created_at: now })
  .execute();
await app.db
  .insertInto('registry_members')
  .values({
    id: memberId,
    codice_fiscale: CF,
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
    email: EMAIL,
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

async function captcha(i: number): Promise<string> {
  // A different address each time, so the challenge route's own rate limit never kicks in.
  const got = await app.inject({
    url: '/api/v1/captcha/challenge',
    remoteAddress: `10.8.${i >> 8}.${i & 255}`,
  });
  if (got.statusCode !== 200) throw new Error(`challenge: ${got.statusCode} ${got.body}`);
  const challenge = got.json();
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 30_000 });
  if (!solution) throw new Error('captcha not solved');
  return Buffer.from(JSON.stringify({ challenge, solution })).toString('base64');
}

async function attempt(url: string, payload: Record<string, string>, i: number): Promise<number> {
  const altcha = await captcha(i);
  const start = process.hrtime.bigint();
  const res = await app.inject({
    method: 'POST',
    url,
    remoteAddress: `10.9.${i >> 8}.${i & 255}`,
    headers: { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' },
    payload: { ...payload, altcha },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.statusCode !== 202) throw new Error(`unexpected ${res.statusCode}: ${res.body}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function compare(
  label: string,
  url: string,
  matching: Record<string, string>,
  notMatching: (i: number) => Record<string, string>,
): Promise<void> {
  const yes: number[] = [];
  const no: number[] = [];
  await attempt(url, notMatching(0), 0);
  for (let i = 1; i <= rounds; i++) {
    // Interleaved, so machine noise hits both alike.
    yes.push(await attempt(url, matching, i * 2));
    no.push(await attempt(url, notMatching(i), i * 2 + 1));
  }
  const y = median(yes);
  const n = median(no);
  console.log(`${label}, data belong together: median ${y.toFixed(2)} ms over ${rounds}`);
  console.log(`${label}, data do not match:    median ${n.toFixed(2)} ms over ${rounds}`);
  console.log(
    `${label} timing: match/no-match ratio ${(y / n).toFixed(3)} (difference ${(y - n).toFixed(2)} ms)`,
  );
}

await compare(
  'password recovery',
  '/api/v1/auth/password-recovery',
  { username: 'mario.rossi', email: EMAIL },
  (i) =>
    // Half the misses name a real user with another address, half an unknown user.
    i % 2 === 0
      ? { username: 'mario.rossi', email: `someone.${i}@example.test` }
      : { username: `nobody.${i}`, email: EMAIL },
);
await compare(
  'username recovery',
  '/api/v1/auth/username-recovery',
  { email: EMAIL, codiceFiscale: CF },
  (i) =>
    i % 2 === 0
      ? { email: `someone.${i}@example.test`, codiceFiscale: CF }
      : { email: EMAIL, codiceFiscale: 'BNCGLI90A41H501X' },
);
await app.close();
await database.destroy();
rmSync(dir, { recursive: true, force: true });
