/**
 * API benchmark: "Le mie pratiche" (GET /api/v1/claims) under load, on a database the size of a
 * large fund. Generates members (registry + accounts) and sent claims, fictitious and recognisable
 * as such (codice fiscale BENCH…, usernames bench.N, plan BENCH-API), on the real schema (the
 * migrations) with its real indexes, then loads the app's route with autocannon against a bare
 * route in the same process and run: a plain node:http server that answers the same JSON from the
 * same database through the bare driver (better-sqlite3 / pg with named prepared statements):
 * session by token hash, its member and family, count, 20 rows, years.
 *
 * Data: SQLite on a temporary file, filled with INSERT … SELECT over a recursive CTE in batches of
 * a transaction each; PostgreSQL in a fresh database `onecare_bench` (created from
 * TEST_DATABASE_URL, dropped at the end unless --keep), filled with INSERT … SELECT
 * generate_series on the server. The indexes that are not constraints are dropped before the
 * load and rebuilt after from their own definitions; PostgreSQL is then VACUUM ANALYZEd, as its
 * autovacuum would after a load. Each member is a holder; claims spread over six years, one in a
 * thousand going to a few heavy members (about 200 claims each), the rest hashed over the others
 * (about 10 each).
 *
 * Load: 1,000 sessions (ten of them heavy members), each request the next session, paths
 * cycling through no filter, a state filter and a year filter. The app runs as in production:
 * request logs at info (written to /dev/null), rate limits on (RATE_LIMIT_PER_MINUTE raised so
 * one load generator is not refused).
 *
 * Login storm: 200 logins kept in flight (real Argon2id hashes), each from its own client address
 * (X-Forwarded-For with TRUST_PROXY on, so the per-address login limit of 30 a minute does not
 * refuse them), while 10 connections load the claims list; its p99 with and without the storm.
 *
 *   npm run bench:api [-- --members 1000000 --claims 10000000 --seconds 20 --db sqlite|postgres|both --keep]
 *
 * PostgreSQL runs when TEST_DATABASE_URL is set (the database to connect to for CREATE DATABASE).
 * Last lines, one per database:
 *   api <sqlite|postgres>: <req/s> req/s, p99 <ms> ms, ratio <app ÷ bare>
 *   login storm: p99 of other routes <ms> ms
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CLAIM_STATES, type ClaimState } from '../contracts/claims.codes.js';
import { CATEGORY_CODES, CATEGORY_LABELS, type CategoryCode } from '../contracts/plans.codes.js';
import { buildApp, loggerOptions } from '../server/app.js';
import { loadConfig } from '../server/config/config.js';
import { openDatabase } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrator.js';
import { hashPassword } from '../server/lib/password-hashing.js';
import { hashToken } from '../server/lib/tokens.js';

const { values: opts } = parseArgs({
  options: {
    members: { type: 'string', default: '1000000' },
    claims: { type: 'string', default: '10000000' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '50' },
    db: { type: 'string', default: 'both' },
    keep: { type: 'boolean', default: false },
  },
});
const MEMBERS = Number(opts.members);
const CLAIMS = Number(opts.claims);
const SECONDS = Number(opts.seconds);
const CONNECTIONS = Number(opts.connections);
/** Members with a claim in every thousand: about 200 claims each. */
const HEAVY = Math.max(1, Math.round(CLAIMS / 1000 / 200));
const SESSIONS = Math.min(1000, MEMBERS - HEAVY);
const STORM_LOGINS = 200;
const STORM_CONNECTIONS = 10;
const PASSWORD = 'bench password of every fictitious member';
const SECRET = 'bench-secret-bench-secret-bench-secret-0';
const PLAN_ID = '00000000-0000-7000-8000-00000000b001';
/** Claims are submitted from 2021-01-01 over six years, in id order. */
const EPOCH = 1_609_459_200;
const STEP = Math.max(1, Math.floor((6 * 365 * 86_400) / CLAIMS));
/** Page 1 of 20 rows: no filter, paid ones, no filter, those of 2025. */
const PATHS = ['', '&state=paid', '', '&year=2025'].map((f) => `/api/v1/claims?pageSize=20${f}`);
const loadWorker = fileURLToPath(new URL('./api-load.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const dir = mkdtempSync(join(tmpdir(), 'onecare-bench-api-'));

if (!Number.isInteger(MEMBERS) || !Number.isInteger(CLAIMS) || MEMBERS < 2000 || CLAIMS < MEMBERS) {
  console.error('--members must be at least 2000 and --claims at least --members');
  process.exit(2);
}

const memberId = (m: number) => `00000001-0000-7000-8000-${m.toString(16).padStart(12, '0')}`;
const accountId = (m: number) => `00000002-0000-7000-8000-${m.toString(16).padStart(12, '0')}`;

// --- data ----------------------------------------------------------------------------------------

/** State of claim g by g % 20: mostly paid, some decided, a few open. */
const STATE_BY_20 = [
  ...Array<ClaimState>(8).fill('paid'),
  ...Array<ClaimState>(3).fill('approved'),
  ...Array<ClaimState>(2).fill('partially_approved'),
  ...Array<ClaimState>(2).fill('rejected'),
  ...Array<ClaimState>(2).fill('in_review'),
  'submitted',
  'needs_documents',
  'cancelled',
] as const;

function caseOf(expr: string, values: readonly string[]): string {
  return `case ${expr} ${values.map((v, i) => `when ${i} then '${v}'`).join(' ')} end`;
}

const CLAIM_COLUMNS = `id, number, account_id, family_id, beneficiary_id, plan_id, plan_code, plan_version,
  category, state, iban, account_holder, idempotency_key, submitted_at, expected_decision_on,
  claimed_cents, estimated_cents, accepted_cents, paid_cents, created_at, updated_at, kind`;

/** The claim columns from t(g, m, at, k, cents) in SQL both engines read alike, bar the few passed in. */
function claimSelect(hex: (e: string) => string, pad8: (e: string) => string, datePlus30: string): string {
  const state = caseOf('t.k', STATE_BY_20);
  return `select '00000003-0000-7000-8000-' || ${hex('t.g')},
    'RSM-' || substr(t.at, 1, 4) || '-' || ${pad8('t.g')},
    '00000002-0000-7000-8000-' || ${hex('t.m')}, '00000001-0000-7000-8000-' || ${hex('t.m')},
    '00000001-0000-7000-8000-' || ${hex('t.m')}, '${PLAN_ID}', 'BENCH-API', 1,
    ${caseOf('t.g % 8', CATEGORY_CODES.slice(0, 8))}, ${state},
    'IT60X0542811101000000123456', 'Membro Prova', 'bench-' || t.g, t.at, ${datePlus30},
    t.cents, t.cents * 8 / 10,
    case when t.k < 11 then t.cents * 8 / 10 when t.k < 13 then t.cents / 2 when t.k < 15 then 0 end,
    case when t.k < 8 then t.cents * 8 / 10 end, t.at, t.at, 'reimbursement'
    from t`;
}

/** Member of claim g: one in a thousand to a heavy member (1..HEAVY), the others hashed over the rest. */
const MEMBER_OF = `case when g % 1000 = 0 then 1 + (g / 1000) % ${HEAVY}
  else ${HEAVY + 1} + ((g * 2654435761) % 4294967296) % ${MEMBERS - HEAVY} end`;

function progress(label: string, done: number, total: number, started: number) {
  process.stdout.write(
    `\r  ${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${((performance.now() - started) / 1000).toFixed(0)} s)   `,
  );
  if (done === total) process.stdout.write('\n');
}

async function generateSqlite(file: string, passwordHash: string): Promise<number> {
  const started = performance.now();
  const handle = openDatabase({ kind: 'sqlite', path: file } as never);
  await migrateToLatest(handle);
  await handle.destroy();
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -2000000');
  db.pragma('temp_store = MEMORY');
  const indexes = db
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and sql is not null
       and tbl_name in ('claims', 'registry_members', 'member_accounts')`,
    )
    .all() as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`drop index "${i.name}"`);
  const now = new Date().toISOString();
  db.prepare('insert into plans (id, code, name, created_at) values (?, ?, ?, ?)').run(
    PLAN_ID,
    'BENCH-API',
    'Piano di prova del benchmark (fittizio)',
    now,
  );
  const series = `with recursive s(g) as (select cast(? as integer) union all select g + 1 from s where g < cast(? as integer))`;
  const members = db.prepare(
    `${series} insert into registry_members (id, codice_fiscale, surname, given_name, birth_date, email,
       plan_id, role, holder_cf, coverage_start, coverage_end, created_at, updated_at)
     select '00000001-0000-7000-8000-' || printf('%012x', g), printf('BENCH%011d', g), 'Prova',
       'Membro ' || g, printf('%04d-%02d-%02d', 1940 + g % 60, 1 + g % 12, 1 + g % 28), null, '${PLAN_ID}',
       'titolare', null, '2020-01-01', null, '${now}', '${now}' from s`,
  );
  const accounts = db.prepare(
    `${series} insert into member_accounts (id, registry_member_id, username, email, locale, password_hash,
       must_change_password, password_changed_at, failed_logins, created_at)
     select '00000002-0000-7000-8000-' || printf('%012x', g), '00000001-0000-7000-8000-' || printf('%012x', g),
       'bench.' || g, 'bench.' || g || '@example.test', 'it', ?, 0, '${now}', 0, '${now}' from s`,
  );
  const claims = db.prepare(
    `${series}, t as (select g, ${MEMBER_OF} as m,
       strftime('%Y-%m-%dT%H:%M:%fZ', ${EPOCH} + g * ${STEP}, 'unixepoch') as at, g % 20 as k,
       2000 + (g * 7919) % 48000 as cents from s)
     insert into claims (${CLAIM_COLUMNS}) ${claimSelect(
       (e) => `printf('%012x', ${e})`,
       (e) => `printf('%08d', ${e})`,
       `date(t.at, '+30 days')`,
     )}`,
  );
  const batch = 250_000;
  for (let a = 1; a <= MEMBERS; a += batch) {
    const b = Math.min(MEMBERS, a + batch - 1);
    db.transaction(() => {
      members.run(a, b);
      accounts.run(a, b, passwordHash);
    })();
    progress('members', b, MEMBERS, started);
  }
  for (let a = 1; a <= CLAIMS; a += 4 * batch) {
    const b = Math.min(CLAIMS, a + 4 * batch - 1);
    db.transaction(() => claims.run(a, b))();
    progress('claims', b, CLAIMS, started);
  }
  for (const i of indexes) db.exec(i.sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return (performance.now() - started) / 1000;
}

async function generatePostgres(adminUrl: string, url: string, passwordHash: string): Promise<number> {
  const started = performance.now();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('drop database if exists onecare_bench');
  await admin.query('create database onecare_bench');
  await admin.end();
  const handle = openDatabase({ kind: 'postgres', url } as never);
  await migrateToLatest(handle);
  await handle.destroy();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query("set synchronous_commit = off; set maintenance_work_mem = '1GB'");
  const { rows: indexes } = await db.query<{ indexname: string; indexdef: string }>(
    `select indexname, indexdef from pg_indexes where schemaname = current_schema()
     and tablename in ('claims', 'registry_members', 'member_accounts')
     and indexname not in (select conname from pg_constraint)`,
  );
  for (const i of indexes) await db.query(`drop index "${i.indexname}"`);
  // The claims' unique constraints too (a random key each: rebuilt by one sort, not 10M inserts).
  const { rows: uniques } = await db.query<{ conname: string; def: string }>(
    `select conname, pg_get_constraintdef(oid) as def from pg_constraint
     where conrelid = 'claims'::regclass and contype = 'u'`,
  );
  for (const u of uniques) await db.query(`alter table claims drop constraint "${u.conname}"`);
  // Foreign keys are not checked row by row during the load (the rows are made to match); they
  // are checked once after it, below.
  await db.query('set session_replication_role = replica');
  const now = new Date().toISOString();
  await db.query('insert into plans (id, code, name, created_at) values ($1, $2, $3, $4)', [
    PLAN_ID,
    'BENCH-API',
    'Piano di prova del benchmark (fittizio)',
    now,
  ]);
  const hex = (e: string) => `lpad(to_hex(${e}), 12, '0')`;
  const batch = 250_000;
  for (let a = 1; a <= MEMBERS; a += batch) {
    const b = Math.min(MEMBERS, a + batch - 1);
    await db.query(
      `insert into registry_members (id, codice_fiscale, surname, given_name, birth_date, email,
         plan_id, role, holder_cf, coverage_start, coverage_end, created_at, updated_at)
       select '00000001-0000-7000-8000-' || ${hex('g')}, 'BENCH' || lpad(g::text, 11, '0'), 'Prova',
         'Membro ' || g, lpad((1940 + g % 60)::text, 4, '0') || '-' || lpad((1 + g % 12)::text, 2, '0') || '-' || lpad((1 + g % 28)::text, 2, '0'),
         null, '${PLAN_ID}', 'titolare', null, '2020-01-01', null, '${now}', '${now}'
       from generate_series($1::bigint, $2::bigint) g`,
      [a, b],
    );
    await db.query(
      `insert into member_accounts (id, registry_member_id, username, email, locale, password_hash,
         must_change_password, password_changed_at, failed_logins, created_at)
       select '00000002-0000-7000-8000-' || ${hex('g')}, '00000001-0000-7000-8000-' || ${hex('g')},
         'bench.' || g, 'bench.' || g || '@example.test', 'it', $3, 0, '${now}', 0, '${now}'
       from generate_series($1::bigint, $2::bigint) g`,
      [a, b, passwordHash],
    );
    progress('members', b, MEMBERS, started);
  }
  for (let a = 1; a <= CLAIMS; a += 4 * batch) {
    const b = Math.min(CLAIMS, a + 4 * batch - 1);
    await db.query(
      `with t as (select g, ${MEMBER_OF} as m,
         to_char(to_timestamp(${EPOCH} + g * ${STEP}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at,
         g % 20 as k, 2000 + (g * 7919) % 48000 as cents
         from generate_series($1::bigint, $2::bigint) g)
       insert into claims (${CLAIM_COLUMNS}) ${claimSelect(
         hex,
         (e) => `lpad(${e}::text, 8, '0')`,
         `to_char(t.at::timestamptz + interval '30 days', 'YYYY-MM-DD')`,
       )}`,
      [a, b],
    );
    progress('claims', b, CLAIMS, started);
  }
  await db.query('set session_replication_role = origin');
  for (const u of uniques) await db.query(`alter table claims add constraint "${u.conname}" ${u.def}`);
  for (const i of indexes) await db.query(i.indexdef);
  for (const table of ['registry_members', 'member_accounts', 'claims', 'plans']) {
    await db.query(`vacuum analyze ${table}`);
  }
  // The foreign keys, checked once: two anti-joins (hashed), not an OR of two subqueries, which
  // PostgreSQL runs as two index lookups per claim (minutes at 10M claims).
  for (const [column, table] of [
    ['account_id', 'member_accounts'],
    ['beneficiary_id', 'registry_members'],
  ] as const) {
    const { rows: orphans } = await db.query<{ n: number }>(
      `select count(*)::int as n from claims c where not exists (select 1 from ${table} t where t.id = c.${column})`,
    );
    if (orphans[0]?.n !== 0) throw new Error(`${orphans[0]?.n} claims without their ${table} row`);
  }
  await db.end();
  return (performance.now() - started) / 1000;
}

// --- the bare route ------------------------------------------------------------------------------

interface BareQuery {
  state: string | undefined;
  year: number | undefined;
  page: number;
  pageSize: number;
}
interface BareSession {
  account_id: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  must_change_password: number;
  self_id: string;
  codice_fiscale: string;
  holder_cf: string | null;
}
interface BarePerson {
  id: string;
  given_name: string;
  surname: string;
  codice_fiscale: string;
}
interface BareRow {
  id: string;
  number: string;
  state: string;
  category: string;
  beneficiary_id: string;
  submitted_at: string;
  claimed_cents: number;
  estimated_cents: number;
  accepted_cents: number | null;
  paid_cents: number | null;
}
/** What the bare route asks the database: each a single hand-written statement. */
interface BareDriver {
  session(hash: string): Promise<BareSession | undefined>;
  family(holderCf: string): Promise<BarePerson[]>;
  count(familyId: string, accountId: string, persons: string[], q: BareQuery): Promise<number>;
  page(familyId: string, accountId: string, persons: string[], q: BareQuery): Promise<BareRow[]>;
  years(familyId: string, accountId: string, persons: string[]): Promise<number[]>;
  close(): Promise<void>;
}

const SESSION_SQL = `select s.subject_id as account_id, s.idle_expires_at, s.absolute_expires_at,
  a.must_change_password, r.id as self_id, r.codice_fiscale, r.holder_cf
  from sessions s join member_accounts a on a.id = s.subject_id join registry_members r on r.id = a.registry_member_id
  where s.token_hash = $1 and s.subject_type = 'member'`;
const FAMILY_SQL = `select id, given_name, surname, codice_fiscale from registry_members
  where codice_fiscale = $1 or holder_cf = $1 order by birth_date`;
const ROW_COLUMNS = `id, number, state, category, beneficiary_id, submitted_at, claimed_cents, estimated_cents,
  accepted_cents, paid_cents`;

/** The visible claims and the filters, with $1 family, $2 account, $3 persons, then $4… as used. */
function bareWhere(persons: string, q: Pick<BareQuery, 'state' | 'year'>): string {
  let where = `family_id = $1 and state != 'draft' and (account_id = $2 or beneficiary_id in ${persons})`;
  let n = 4;
  if (q.state) where += ` and state = $${n++}`;
  if (q.year !== undefined) where += ` and submitted_at >= $${n++} and submitted_at < $${n++}`;
  return where;
}
function filterValues(q: Pick<BareQuery, 'state' | 'year'>): (string | number)[] {
  return [
    ...(q.state ? [q.state] : []),
    ...(q.year !== undefined ? [`${q.year}-01-01`, `${q.year + 1}-01-01`] : []),
  ];
}
const variant = (q: Pick<BareQuery, 'state' | 'year'>) =>
  `${q.state ? 's' : ''}${q.year !== undefined ? 'y' : ''}`;

function bareSqlite(file: string): BareDriver {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  /** $n placeholders as anonymous ones, the values repeated in order. */
  const prepare = (text: string) => {
    const order: number[] = [];
    const stmt = db.prepare(
      text.replace(/\$(\d+)/g, (_, n: string) => {
        order.push(Number(n) - 1);
        return '?';
      }),
    );
    return {
      all: (...v: unknown[]) => stmt.all(...order.map((i) => v[i])),
      get: (...v: unknown[]) => stmt.get(...order.map((i) => v[i])),
    };
  };
  const persons = '(select value from json_each($3))';
  const cache = new Map<string, ReturnType<typeof prepare>>();
  const stmt = (key: string, text: () => string) => {
    const cached = cache.get(key);
    if (cached) return cached;
    const made = prepare(text());
    cache.set(key, made);
    return made;
  };
  const session = prepare(SESSION_SQL);
  const family = prepare(FAMILY_SQL);
  const years = prepare(
    `select distinct substr(submitted_at, 1, 4) as y from claims where ${bareWhere(persons, { state: undefined, year: undefined })} order by y desc`,
  );
  return {
    session: async (hash) => session.get(hash) as BareSession | undefined,
    family: async (cf) => family.all(cf) as BarePerson[],
    count: async (f, a, p, q) =>
      (
        stmt(`c${variant(q)}`, () => `select count(*) as n from claims where ${bareWhere(persons, q)}`).get(
          f,
          a,
          JSON.stringify(p),
          ...filterValues(q),
        ) as { n: number }
      ).n,
    page: async (f, a, p, q) => {
      const values = filterValues(q);
      const n = 4 + values.length;
      return stmt(
        `p${variant(q)}`,
        () =>
          `select ${ROW_COLUMNS} from claims where ${bareWhere(persons, q)} order by submitted_at desc, id desc limit $${n} offset $${n + 1}`,
      ).all(f, a, JSON.stringify(p), ...values, q.pageSize, (q.page - 1) * q.pageSize) as BareRow[];
    },
    years: async (f, a, p) => (years.all(f, a, JSON.stringify(p)) as { y: string }[]).map((r) => Number(r.y)),
    close: async () => {
      db.close();
    },
  };
}

function barePostgres(url: string): BareDriver {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const persons = '(select unnest($3::text[]))';
  const one = async <T>(name: string, text: string, values: unknown[]) =>
    (await pool.query<T & pg.QueryResultRow>({ name, text, values })).rows;
  return {
    session: async (hash) => (await one<BareSession>('session', SESSION_SQL, [hash]))[0],
    family: (cf) => one<BarePerson>('family', FAMILY_SQL, [cf]),
    count: async (f, a, p, q) =>
      Number(
        (
          await one<{ n: string }>(
            `c${variant(q)}`,
            `select count(*) as n from claims where ${bareWhere(persons, q)}`,
            [f, a, p, ...filterValues(q)],
          )
        )[0]?.n,
      ),
    page: (f, a, p, q) => {
      const values = filterValues(q);
      const n = 4 + values.length;
      return one<BareRow>(
        `p${variant(q)}`,
        `select ${ROW_COLUMNS} from claims where ${bareWhere(persons, q)} order by submitted_at desc, id desc limit $${n} offset $${n + 1}`,
        [f, a, p, ...values, q.pageSize, (q.page - 1) * q.pageSize],
      );
    },
    years: async (f, a, p) =>
      (
        await one<{ y: string }>(
          'years',
          `select distinct substr(submitted_at, 1, 4) as y from claims where ${bareWhere(persons, { state: undefined, year: undefined })} order by y desc`,
          [f, a, p],
        )
      ).map((r) => Number(r.y)),
    close: () => pool.end(),
  };
}

/** The same answer as GET /api/v1/claims, written by hand: no framework, no query builder. */
function bareServer(driver: BareDriver, cookieName: string): Server {
  const cookie = new RegExp(`(?:^|;\\s*)${cookieName}=([A-Za-z0-9_-]{43})`);
  const answer = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  return createServer((req, res) => {
    (async () => {
      const token = cookie.exec(req.headers.cookie ?? '')?.[1];
      const s = token ? await driver.session(hashToken(SECRET, token)) : undefined;
      const now = new Date().toISOString();
      if (!s || s.idle_expires_at <= now || s.absolute_expires_at <= now)
        return answer(res, 401, { error: { code: 'UNAUTHENTICATED', message: '' } });
      if (s.must_change_password === 1)
        return answer(res, 403, { error: { code: 'PASSWORD_CHANGE_REQUIRED', message: '' } });
      const params = new URL(req.url ?? '/', 'http://bare').searchParams;
      const state = params.get('state') ?? undefined;
      if (state && !(CLAIM_STATES as readonly string[]).includes(state))
        return answer(res, 400, { error: { code: 'VALIDATION_FAILED', message: '' } });
      const q: BareQuery = {
        state,
        year: params.has('year') ? Number(params.get('year')) : undefined,
        page: Number(params.get('page') ?? 1),
        pageSize: Number(params.get('pageSize') ?? 20),
      };
      const holderCf = s.holder_cf ?? s.codice_fiscale;
      const family = await driver.family(holderCf);
      const familyId = family.find((p) => p.codice_fiscale === holderCf)?.id ?? s.self_id;
      const persons = s.holder_cf === null ? family : family.filter((p) => p.id === s.self_id);
      const ids = persons.map((p) => p.id);
      const [total, rows, years] = [
        await driver.count(familyId, s.account_id, ids, q),
        await driver.page(familyId, s.account_id, ids, q),
        await driver.years(familyId, s.account_id, ids),
      ];
      answer(res, 200, {
        items: rows.map((r) => {
          const person = family.find((p) => p.id === r.beneficiary_id);
          return {
            id: r.id,
            number: r.number,
            state: r.state,
            kind: 'reimbursement',
            category: r.category,
            categoryLabel: CATEGORY_LABELS[r.category as CategoryCode],
            beneficiary: {
              id: r.beneficiary_id,
              givenName: person?.given_name ?? '',
              surname: person?.surname ?? '',
            },
            submittedAt: r.submitted_at,
            claimedCents: r.claimed_cents,
            estimatedCents: r.estimated_cents,
            acceptedCents: r.accepted_cents,
            paidCents: r.paid_cents,
          };
        }),
        total,
        page: q.page,
        pageSize: q.pageSize,
        years,
        beneficiaries: persons.map((p) => ({ id: p.id, givenName: p.given_name, surname: p.surname })),
      });
    })().catch((err: unknown) => {
      console.error(err);
      answer(res, 500, { error: { code: 'INTERNAL', message: '' } });
    });
  });
}

// --- load ----------------------------------------------------------------------------------------

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  logins?: number;
  loginNon2xx?: number;
  loginP99?: number;
  loginRps?: number;
}

async function load(plan: Record<string, unknown>): Promise<LoadResult> {
  const file = join(dir, `load-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(plan));
  const { stdout } = await promisify(execFile)(process.execPath, [tsx, loadWorker, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as LoadResult;
  if (r.errors > 0 || r.non2xx > 0) console.log(`  (!) ${r.non2xx} answers not 2xx, ${r.errors} errors`);
  return r;
}

const ROUNDS = 4;
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
function combine(rounds: LoadResult[]): LoadResult {
  return {
    rps: rounds.reduce((sum, r) => sum + r.rps, 0) / rounds.length,
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    total: rounds.reduce((sum, r) => sum + r.total, 0),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
  };
}

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );

async function benchDatabase(kind: 'sqlite' | 'postgres', passwordHash: string): Promise<string[]> {
  console.log(`\n== ${kind}: ${MEMBERS.toLocaleString('en')} members, ${CLAIMS.toLocaleString('en')} claims`);
  const sqliteFile = join(dir, 'bench.db');
  const adminUrl = process.env.TEST_DATABASE_URL ?? '';
  const pgUrl = (() => {
    const u = new URL(adminUrl || 'postgres://localhost');
    u.pathname = '/onecare_bench';
    return u.toString();
  })();
  const seconds =
    kind === 'sqlite'
      ? await generateSqlite(sqliteFile, passwordHash)
      : await generatePostgres(adminUrl, pgUrl, passwordHash);
  const generation = `generation ${kind}: ${seconds.toFixed(1)} s (${MEMBERS.toLocaleString('en')} members, ${CLAIMS.toLocaleString('en')} claims, indexes included)`;
  console.log(generation);

  const config = loadConfig(
    {
      DATABASE_URL: kind === 'sqlite' ? `sqlite:${sqliteFile}` : pgUrl,
      SESSION_SECRET: SECRET,
      DOCUMENT_KEY: Buffer.alloc(32, 7).toString('base64'),
      LOG_LEVEL: 'info',
      DEMO_DATA: 'false',
      MAIL_TRANSPORT: 'capture',
      RATE_LIMIT_PER_MINUTE: '1000000',
      TRUST_PROXY: 'true',
      STORAGE_DIR: join(dir, 'documents'),
    },
    { dataDir: dir },
  );
  // Request logs as in production, thrown away; errors counted and the first one shown.
  let logErrors = 0;
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString();
      if (/"level":(50|60)/.test(text) && logErrors++ === 0)
        console.log(`  (!) app error: ${text.slice(0, 500)}`);
      done();
    },
  });
  const app = await buildApp({
    config,
    startWorker: false,
    webDir: null,
    logger: { ...(loggerOptions('info') as object), stream: logs },
  });
  await app.ready();
  const appUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const cookieName = 'onecare_session';
  const driver = kind === 'sqlite' ? bareSqlite(sqliteFile) : barePostgres(pgUrl);
  const bare = bareServer(driver, cookieName);
  const bareUrl = await listen(bare);
  console.log(`app at ${appUrl}, bare at ${bareUrl}`);

  // 1,000 members' sessions through the app's own service: ten heavy members, the rest spread.
  const chosen = [
    ...Array.from({ length: Math.min(10, HEAVY) }, (_, i) => 1 + i),
    ...Array.from(
      { length: SESSIONS - Math.min(10, HEAVY) },
      (_, i) => HEAVY + 1 + Math.floor((i * (MEMBERS - HEAVY - STORM_LOGINS - 1)) / SESSIONS),
    ),
  ];
  const cookies: string[] = [];
  for (const m of chosen) cookies.push((await app.sessions.create('member', accountId(m))).token);
  const check = await app.inject({
    url: PATHS[0] as string,
    cookies: { [cookieName]: cookies[0] as string },
  });
  const bareCheck = await fetch(`${bareUrl}${PATHS[0]}`, {
    headers: { cookie: `${cookieName}=${cookies[0]}` },
  });
  const [a, b] = [check.json() as { total: number }, (await bareCheck.json()) as { total: number }];
  if (check.statusCode !== 200 || a.total !== b.total || JSON.stringify(a) !== JSON.stringify(b))
    throw new Error(
      `app and bare answers differ: ${check.statusCode}\n${check.body.slice(-400)}\n${JSON.stringify(b).slice(-400)}`,
    );
  console.log(`heavy member ${memberId(1)}: ${a.total} claims; answers of app and bare identical`);

  const base = { cookieName, paths: PATHS, cookies, connections: CONNECTIONS };
  // Warm both (caches, JIT, prepared statements), then measure each for the full time.
  await load({ ...base, url: bareUrl, seconds: 3 });
  await load({ ...base, url: appUrl, seconds: 3 });
  // Side by side in alternating rounds (the machine's other load hits both alike): the time is
  // split into ROUNDS rounds each; req/s over all rounds, p99 the median of the rounds'.
  const bareRounds: LoadResult[] = [];
  const appRounds: LoadResult[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bareRounds.push(await load({ ...base, url: bareUrl, seconds: SECONDS / ROUNDS }));
    appRounds.push(await load({ ...base, url: appUrl, seconds: SECONDS / ROUNDS }));
  }
  const bareRun = combine(bareRounds);
  const appRun = combine(appRounds);
  const ratio = appRun.rps / bareRun.rps;
  const show = (name: string, r: LoadResult) =>
    console.log(
      `${name}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (${r.total} requests in ${ROUNDS} rounds)`,
    );
  show(`bare ${kind} (node:http + ${kind === 'sqlite' ? 'better-sqlite3' : 'pg'})`, bareRun);
  show(`app ${kind} (GET /api/v1/claims)`, appRun);

  const stormBase = { ...base, connections: STORM_CONNECTIONS, url: appUrl, seconds: SECONDS };
  const calm = await load(stormBase);
  const storm = await load({
    ...stormBase,
    logins: {
      connections: STORM_LOGINS,
      usernames: Array.from({ length: STORM_LOGINS }, (_, i) => `bench.${MEMBERS - i}`),
      password: PASSWORD,
    },
  });
  console.log(
    `claims list at ${STORM_CONNECTIONS} connections: p99 ${calm.p99} ms without logins, ${storm.p99} ms with ${STORM_LOGINS} logins in flight` +
      ` (${storm.logins} logins, ${storm.loginRps?.toFixed(0)}/s, ${storm.loginNon2xx} not 2xx, login p99 ${storm.loginP99} ms;` +
      ` each from its own address via X-Forwarded-For, TRUST_PROXY=true, RATE_LIMIT_PER_MINUTE=1000000)`,
  );

  // Requests the load generator left in flight finish before the app closes.
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  if (logErrors > 0) console.log(`  (!) ${logErrors} errors logged by the app`);
  await app.close();
  bare.close();
  await driver.close();
  logs.end();
  if (kind === 'postgres' && !opts.keep) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query('drop database if exists onecare_bench');
    await admin.end();
  }
  return [
    generation,
    `api ${kind}: ${appRun.rps.toFixed(0)} req/s, p99 ${appRun.p99.toFixed(0)} ms, ratio ${ratio.toFixed(2)}`,
    `login storm: p99 of other routes ${storm.p99.toFixed(0)} ms`,
  ];
}

const passwordHash = await hashPassword(PASSWORD);
const databases = opts.db === 'both' ? ['sqlite', 'postgres'] : [opts.db];
const last: string[] = [];
try {
  for (const kind of databases) {
    if (kind === 'postgres' && !process.env.TEST_DATABASE_URL) {
      console.log('\npostgres skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
      continue;
    }
    if (kind !== 'sqlite' && kind !== 'postgres') throw new Error(`--db ${kind}: sqlite, postgres or both`);
    last.push(...(await benchDatabase(kind, passwordHash)));
  }
} finally {
  if (opts.keep)
    console.log(`kept: ${dir}${databases.includes('postgres') ? ' and the database onecare_bench' : ''}`);
  else rmSync(dir, { recursive: true, force: true });
}
console.log('');
for (const line of last) console.log(line);
