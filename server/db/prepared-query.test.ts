import SQLite from 'better-sqlite3';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteDialect,
  sql,
} from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { columnsOf, preparedQuery, statementName } from './prepared-query.js';

interface Db {
  t: { id: number; owner: string; state: string; at: string };
}

describe('preparedQuery', () => {
  let db: Kysely<Db>;
  beforeEach(async () => {
    db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    await sql`create table t (id integer primary key, owner text, state text, at text)`.execute(db);
    await db
      .insertInto('t')
      .values([
        { id: 1, owner: 'a', state: 'paid', at: '2025-03-01' },
        { id: 2, owner: 'a', state: 'open', at: '2026-01-02' },
        { id: 3, owner: 'b', state: 'paid', at: '2026-05-01' },
        { id: 4, owner: 'c', state: 'draft', at: '2026-06-01' },
      ])
      .execute();
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('builds each shape once and answers with each call’s own values', async () => {
    const build = vi.fn(
      (d: Kysely<Db>, p: { owners: string[]; state?: string | undefined; limit: number }) => {
        let q = d.selectFrom('t').select('id').where('owner', 'in', p.owners).where('state', '!=', 'draft');
        if (p.state !== undefined) q = q.where('state', '=', p.state);
        return q.orderBy('id').limit(p.limit);
      },
    );
    const list = preparedQuery(build);
    const ids = async (p: Parameters<typeof build>[1]) => (await list.execute(db, p)).map((r) => r.id);

    expect(await ids({ owners: ['a'], limit: 10 })).toEqual([1, 2]);
    expect(await ids({ owners: ['b'], limit: 10 })).toEqual([3]);
    expect(await ids({ owners: ['a'], limit: 1 })).toEqual([1]);
    expect(build).toHaveBeenCalledTimes(1);
    // Another shape: a filter given, a list of another length; then both again, from the cache.
    expect(await ids({ owners: ['a'], state: 'open', limit: 10 })).toEqual([2]);
    expect(await ids({ owners: ['a', 'b', 'c'], limit: 10 })).toEqual([1, 2, 3]);
    expect(await ids({ owners: ['b'], state: 'paid', limit: 10 })).toEqual([3]);
    expect(await ids({ owners: ['c', 'b', 'a'], limit: 2 })).toEqual([1, 2]);
    expect(build).toHaveBeenCalledTimes(3);
    // The constant of the query ('draft') stays in its place among the values.
    expect(list.compiled(db, { owners: ['x'], limit: 5 }).parameters).toEqual(['x', 'draft', 5]);
  });

  it('works inside a transaction, with the database’s compiled SQL', async () => {
    const byId = preparedQuery((d: Kysely<Db>, p: { id: number }) =>
      d.selectFrom('t').select('owner').where('id', '=', p.id),
    );
    expect(await byId.executeTakeFirst(db, { id: 3 })).toEqual({ owner: 'b' });
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('t').set({ owner: 'z' }).where('id', '=', 3).execute();
      expect(await byId.executeTakeFirst(trx, { id: 3 })).toEqual({ owner: 'z' });
    });
    expect(await byId.executeTakeFirst(db, { id: 99 })).toBeUndefined();
  });

  it('refuses a value that would change the SQL instead of being a value of it', async () => {
    const asText = preparedQuery((d: Kysely<Db>, p: { year: number }) =>
      d.selectFrom('t').select('id').where('at', '>=', `${p.year}-01-01`),
    );
    await expect(asText.execute(db, { year: 2026 })).rejects.toThrow(/parameter year used as/);
    const unused = preparedQuery((d: Kysely<Db>, _p: { id: number; owner: string }) =>
      d.selectFrom('t').select('id').where('id', '=', _p.id),
    );
    await expect(unused.execute(db, { id: 1, owner: 'a' })).rejects.toThrow(/parameter owner is not a value/);
    const inArithmetic = preparedQuery((d: Kysely<Db>, p: { limit: number }) =>
      d
        .selectFrom('t')
        .select('id')
        .limit(p.limit + 1),
    );
    await expect(inArithmetic.execute(db, { limit: 1 })).rejects.toThrow(/parameter limit used/);
  });

  it('names PostgreSQL statements only when their SQL names its columns', async () => {
    const pgDb = new Kysely<Db>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (d) => new PostgresIntrospector(d),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    const named = preparedQuery((d: Kysely<Db>, p: { id: number }) =>
      d
        .selectFrom('t')
        .select((eb) => ['owner', eb.fn.countAll().as('n')])
        .where('id', '=', p.id)
        .groupBy('owner'),
    );
    const star = preparedQuery((d: Kysely<Db>, p: { id: number }) =>
      d.selectFrom('t').selectAll().where('id', '=', p.id),
    );
    await named.execute(pgDb, { id: 1 });
    await star.execute(pgDb, { id: 1 });
    const namedSql = named.compiled(pgDb, { id: 1 }).sql;
    expect(namedSql).toContain('count(*)');
    expect(statementName(namedSql)).toMatch(/^p_[0-9a-f]{24}$/);
    expect(statementName(star.compiled(pgDb, { id: 1 }).sql)).toBeUndefined();
    // SQLite has no named statements: nothing is registered for its SQL.
    expect(statementName(named.compiled(db, { id: 1 }).sql)).toBeUndefined();

    // Past 64 shapes a query compiles each time and is not named: both stay bounded.
    const build = vi.fn((d: Kysely<Db>, p: { ids: number[] }) =>
      d.selectFrom('t').select('owner').where('id', 'in', p.ids),
    );
    const byIds = preparedQuery(build);
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    for (let n = 1; n <= 64; n++) byIds.compiled(pgDb, { ids: ids(n) });
    expect(statementName(byIds.compiled(pgDb, { ids: ids(64) }).sql)).toBeDefined();
    expect(build).toHaveBeenCalledTimes(64);
    byIds.compiled(pgDb, { ids: ids(65) });
    byIds.compiled(pgDb, { ids: ids(65) });
    expect(build).toHaveBeenCalledTimes(66);
    expect(statementName(byIds.compiled(pgDb, { ids: ids(65) }).sql)).toBeUndefined();
    await pgDb.destroy();
  });

  it('lists every column of a table, checked against its type', () => {
    expect(columnsOf<Db['t']>()(['id', 'owner', 'state', 'at'])).toEqual(['id', 'owner', 'state', 'at']);
    // @ts-expect-error a column of the type is missing
    columnsOf<Db['t']>()(['id', 'owner', 'state']);
  });
});
