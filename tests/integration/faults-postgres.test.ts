/**
 * PostgreSQL restarted under traffic (decision 057). The machine's PostgreSQL is shared with other
 * tests, so it is not restarted: the app reaches it through a TCP proxy in this process, and the
 * "restart" is the proxy destroying every connection and refusing new ones for a while. A
 * connection ended by the server itself (pg_terminate_backend) is tried too, on the proxy's own
 * connections only (matched by their port), so no other test's connection is touched.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database.js';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';
import { memberWithSession } from '../helpers/claims.js';
import { createPlan, createRegistryMember } from '../helpers/factories.js';
import { eventually, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { createTestDatabase, type TestDatabase, testDialect } from '../helpers/test-db.js';

const onPostgres = testDialect() === 'postgres';
if (!onPostgres) {
  // Visible in the SQLite pass: the fault needs a database server to lose.
  console.info('faults-postgres: skipped on SQLite (runs in the PostgreSQL integration pass)');
}

const UNAVAILABLE = {
  error: {
    code: 'SERVICE_UNAVAILABLE',
    message: 'Service temporarily unavailable: try again later.',
  },
};

describe.skipIf(!onPostgres)('faults: PostgreSQL restarted under traffic (PostgreSQL only)', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let cookie: string;
  const errors: unknown[] = [];
  const onUncaught = (err: unknown) => errors.push(err);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    database = await createTestDatabase();
    const url = new URL(process.env.TEST_DATABASE_URL ?? '');
    proxy = await startTcpProxy(Number(url.port || 5432), url.hostname);
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    // The app's own pool goes through the proxy; the schema was made and migrated directly.
    t = await buildTestApp({
      database: {
        ...database,
        open: () =>
          openDatabase(
            { kind: 'postgres', url: proxied.toString() },
            { schema: database.schema ?? '', poolSize: 5, connectTimeoutMs: 2_000 },
          ),
      },
    });
    const planId = await createPlan(t.app);
    const person = await createRegistryMember(t.app, planId);
    cookie = (await memberWithSession(t.app, person.id)).cookie;
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
    await database?.drop();
    process.off('uncaughtException', onUncaught);
  });

  const profile = () =>
    t.app.inject({ url: '/api/v1/profile', headers: { cookie, 'accept-language': 'en' } });
  const ready = () => t.app.inject({ url: '/readyz' });

  it('[member] a request in flight when the connections drop gets a clean 503 in the error shape', async () => {
    expect((await profile()).statusCode).toBe(200);
    proxy.hold(); // the next query is sent and never answered…
    const inFlight = profile();
    await new Promise((r) => setTimeout(r, 300));
    await proxy.cut(); // …then every connection drops and new ones are refused
    const res = await inFlight;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual(UNAVAILABLE);
  });

  it('[operator] during the outage requests get 503 and /readyz says not ready', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await profile();
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual(UNAVAILABLE);
    }
    const r = await ready();
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ status: 'unavailable', checks: { database: 'unreachable' } });
  });

  it('[operator] PostgreSQL back: the same app answers again within seconds, no restart', async () => {
    await proxy.restore();
    const took = await eventually('ready again', async () => (await ready()).statusCode === 200, 15_000);
    expect(took).toBeLessThan(15_000);
    await eventually('member answered again', async () => (await profile()).statusCode === 200, 15_000);
    expect(errors).toEqual([]);
  }, 60_000);

  it('[operator] connections ended by the server (pg_terminate_backend) are replaced by themselves', async () => {
    // Fill the pool with a few idle connections, then end them from the server side.
    await Promise.all([profile(), profile(), profile()]);
    expect(proxy.upstreamPorts().length).toBeGreaterThan(0);
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      const ended = await admin.query(
        `select pg_terminate_backend(pid) as ok from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and client_port = any($1::int[])`,
        [proxy.upstreamPorts()],
      );
      expect(ended.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await eventually(
      'member answered after the termination',
      async () => (await profile()).statusCode === 200,
    );
    expect((await ready()).statusCode).toBe(200);
    // The idle connections' errors were handled by the pool, not thrown at the process.
    expect(errors).toEqual([]);
  }, 60_000);
});
