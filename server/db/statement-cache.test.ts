import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withStatementCache } from './statement-cache.js';

describe('withStatementCache', () => {
  let sqlite: SQLite.Database;
  afterEach(() => {
    if (sqlite.open) sqlite.close();
  });

  it('prepares a query once, keeps the most recently used, and answers as before', async () => {
    sqlite = new SQLite(':memory:');
    const prepare = vi.spyOn(sqlite, 'prepare');
    const db = new Kysely<{ t: { id: number; v: string } }>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite, 2) }),
    });
    await sql`create table t (id integer primary key, v text)`.execute(db);
    for (let i = 1; i <= 3; i++)
      await db
        .insertInto('t')
        .values({ id: i, v: `v${i}` })
        .execute();
    const byId = (id: number) => db.selectFrom('t').select('v').where('id', '=', id).executeTakeFirst();
    expect(await byId(2)).toEqual({ v: 'v2' });
    expect(await byId(3)).toEqual({ v: 'v3' });
    const before = prepare.mock.calls.length;
    expect(await byId(1)).toEqual({ v: 'v1' });
    await db.insertInto('t').values({ id: 4, v: 'v4' }).execute();
    expect(prepare.mock.calls.length).toBe(before); // both kept
    await db.selectFrom('t').select('id').execute(); // a third: the least recent (the select by id) goes
    await db.selectFrom('t').select('id').execute();
    expect(prepare.mock.calls.length).toBe(before + 1);
    await byId(4);
    expect(prepare.mock.calls.length).toBe(before + 2);
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });

  it('hands out a fresh statement while the kept one is being iterated', async () => {
    sqlite = new SQLite(':memory:');
    const cached = withStatementCache(sqlite);
    cached.prepare('create table t (id integer)').run([]);
    for (let i = 0; i < 3; i++) cached.prepare('insert into t values (?)').run([i]);
    const outer = cached.prepare('select id from t order by id');
    const seen: unknown[] = [];
    for (const row of outer.iterate([])) {
      const inner = cached.prepare('select id from t order by id');
      expect(inner).not.toBe(outer);
      seen.push(row, inner.all([]).length);
    }
    expect(seen).toEqual([{ id: 0 }, 3, { id: 1 }, 3, { id: 2 }, 3]);
    expect(cached.prepare('select id from t order by id')).toBe(outer);
  });

  it('a kept statement follows a change of the schema', () => {
    sqlite = new SQLite(':memory:');
    const cached = withStatementCache(sqlite);
    cached.prepare('create table t (a integer)').run([]);
    cached.prepare('insert into t values (1)').run([]);
    expect(cached.prepare('select * from t').all([])).toEqual([{ a: 1 }]);
    sqlite.exec('alter table t add column b integer default 2');
    expect(cached.prepare('select * from t').all([])).toEqual([{ a: 1, b: 2 }]);
  });
});
