import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { AppConfig } from '../../server/config/config.js';
import { type DbHandle, openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';

export type TestDialect = 'sqlite' | 'postgres';

/** The dialect of this run: TEST_DB=postgres uses TEST_DATABASE_URL; anything else, SQLite. */
export function testDialect(): TestDialect {
  return process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
}

export interface TestDatabase {
  dialect: TestDialect;
  config: AppConfig['database'];
  /** PostgreSQL: the schema this file owns. */
  schema?: string;
  /** Opens another connection (pool) to the same database, e.g. for a second app instance. */
  open(): DbHandle;
  handle: DbHandle;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a temporary SQLite file, or a new schema in the
 * PostgreSQL database of TEST_DATABASE_URL. `drop` removes it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDialect() === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DB=postgres needs TEST_DATABASE_URL');
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const config = { kind: 'postgres' as const, url };
    const open = () => openDatabase(config, { schema, poolSize: 5 });
    const handle = open();
    await migrateToLatest(handle);
    return {
      dialect: 'postgres',
      config,
      schema,
      open,
      handle,
      async drop() {
        await handle.destroy();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop schema ${schema} cascade`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'onecare-test-'));
  const config = { kind: 'sqlite' as const, path: join(dir, 'test.db') };
  const open = () => openDatabase(config);
  const handle = open();
  await migrateToLatest(handle);
  return {
    dialect: 'sqlite',
    config,
    open,
    handle,
    async drop() {
      await handle.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
