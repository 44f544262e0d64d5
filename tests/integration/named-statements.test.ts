/**
 * PostgreSQL named statements (decision 055): the prepared queries' SQL is parsed and planned once
 * per connection. A rolling deploy migrates the database while old instances keep their
 * connections: a statement prepared before a column was added must keep answering. The test shows
 * it does for a prepared query (its columns named), and why a `select *` is never named.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { memberWithSession } from '../helpers/claims.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-db.js';

const onPostgres = testDialect() === 'postgres';
if (!onPostgres)
  console.info('named-statements: skipped on SQLite (runs in the PostgreSQL integration pass)');

describe.skipIf(!onPostgres)('PostgreSQL named statements across a migration (PostgreSQL only)', () => {
  let database: TestDatabase;
  let t: TestApp;
  let cookie: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection, so every request meets the statements prepared by the one before.
    t = await buildTestApp({
      database: {
        ...database,
        open: () =>
          openDatabase(
            { kind: 'postgres', url: process.env.TEST_DATABASE_URL ?? '' },
            { schema: database.schema ?? '', poolSize: 1 },
          ),
      },
    });
    const planId = await createPlan(t.app);
    const person = await createRegistryMember(t.app, planId);
    cookie = (await memberWithSession(t.app, person.id)).cookie;
  });

  afterAll(async () => {
    await t?.close();
    await database?.drop();
  });

  const list = () => t.app.inject({ url: '/api/v1/claims', headers: { cookie } });
  /** The statements prepared on the app's one connection, and how often each ran. */
  const prepared = async () =>
    (
      await sql<{ name: string; calls: string }>`select name, generic_plans + custom_plans as calls
        from pg_prepared_statements where name like 'p\_%'`.execute(t.app.db)
    ).rows;

  it('keeps answering with the statements it prepared when a migration adds columns', async () => {
    const before = await list();
    expect(before.statusCode).toBe(200);
    // The session, the account, the family, the counts (no page: the member has no claim yet).
    const first = await prepared();
    expect(first).toHaveLength(4);

    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      for (const table of ['sessions', 'member_accounts', 'registry_members', 'claims'])
        await admin.query(`alter table "${database.schema}"."${table}" add column added_later text`);
      const after = await list();
      expect(after.statusCode).toBe(200);
      expect(after.json()).toEqual(before.json());
      // The same four statements, each run once more: none prepared anew.
      const again = await prepared();
      expect(again.map((s) => s.name).sort()).toEqual(first.map((s) => s.name).sort());
      for (const s of again)
        expect(Number(s.calls)).toBe(Number(first.find((f) => f.name === s.name)?.calls) + 1);
    } finally {
      await admin.end();
    }
  });

  it('would fail with a named `select *`, which is why one is never named', async () => {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(`set search_path to "${database.schema}"`);
      await client.query('create table star_probe (id int)');
      const star = { name: 'star_probe_all', text: 'select * from star_probe' };
      await client.query(star);
      await client.query('alter table star_probe add column later text');
      await expect(client.query(star)).rejects.toThrow(/cached plan must not change result type/);
    } finally {
      await client.end();
    }
  });
});
