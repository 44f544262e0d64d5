/**
 * The production topology of deploy/ on this machine: HAProxy (deploy/haproxy.cfg, unchanged)
 * in front of two real OneCare processes (`node scripts/start.mjs`, as `npm start` runs it) on
 * one PostgreSQL database, one Redis database, one S3 server (s3rver) and one SMTP server (in this
 * process). Everything listens on 127.0.0.1.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import S3rver from 's3rver';
import { freePort } from '../helpers/server.js';
import { startSmtpServer, type TestSmtp } from '../helpers/smtp.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const HAPROXY = process.env.HAPROXY_PATH ?? 'haproxy';
const DATABASE = 'onecare_cluster';
const REDIS_DB = '9';
const BUCKET = 'onecare-cluster';
/** Longer than HAProxy takes to see a 503 on /readyz (inter 1 s × fall 2, plus a check's time). */
export const DRAIN_MS = 4000;

export interface Instance {
  name: 'app1' | 'app2';
  port: number;
  child: ChildProcess | null;
  output: string[];
}

/** One line of HAProxy's request log (option httplog). */
export interface LbRequest {
  server: string;
  status: number;
  /** Connection retries; `redispatched` when a retry went to another instance. */
  retries: number;
  redispatched: boolean;
  method: string;
  path: string;
}

export interface Topology {
  url: string;
  smtp: TestSmtp;
  db: pg.Pool;
  instances: Record<'app1' | 'app2', Instance>;
  lbRequests: LbRequest[];
  lbEvents: string[];
  /** Starts an instance (again) and resolves once it answers /readyz with 200. */
  start(name: 'app1' | 'app2', env?: Record<string, string>): Promise<void>;
  /** Sends the signal and resolves with the exit code once the process is gone. */
  stop(name: 'app1' | 'app2', signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
  /** Resolves once HAProxy's health checks report the instance in this state (after `since` events). */
  waitForLb(name: 'app1' | 'app2', state: 'UP' | 'DOWN', since: number): Promise<void>;
  close(): Promise<void>;
}

export function haproxyAvailable(): boolean {
  return spawnSync(HAPROXY, ['-v'], { stdio: 'ignore' }).status === 0;
}

const LOG_LINE = /onecare_app\/(\S+) \S+ (-?\d+) .*? \d+\/\d+\/\d+\/\d+\/(\+?)(\d+) \d+\/\d+ "(\S+) (\S+)/;

export async function startTopology(): Promise<Topology> {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!databaseUrl || !redisUrl)
    throw new Error('the cluster test needs TEST_DATABASE_URL and TEST_REDIS_URL (PostgreSQL and Redis)');
  if (!haproxyAvailable()) throw new Error(`HAProxy not found (${HAPROXY}): apt-get install haproxy`);

  // A database and a Redis database of its own, fresh each run: apart from the integration tests.
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${DATABASE} with (force)`);
  await admin.query(`create database ${DATABASE}`);
  await admin.end();
  const clusterDb = new URL(databaseUrl);
  clusterDb.pathname = `/${DATABASE}`;
  const clusterRedis = new URL(redisUrl);
  clusterRedis.pathname = `/${REDIS_DB}`;
  const redis = new Redis(clusterRedis.toString());
  await redis.flushdb();
  redis.disconnect();

  const dir = mkdtempSync(join(tmpdir(), 'onecare-cluster-'));
  const s3 = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: join(dir, 's3'),
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const s3Address = await s3.run();
  const smtp = await startSmtpServer();
  const ports = new Set<number>();
  while (ports.size < 3) ports.add(await freePort());
  const [lbPort, port1, port2] = [...ports] as [number, number, number];
  const url = `http://127.0.0.1:${lbPort}`;

  const common: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATABASE_URL: clusterDb.toString(),
    REDIS_URL: clusterRedis.toString(),
    MAIL_TRANSPORT: 'smtp',
    SMTP_URL: smtp.url,
    STORAGE_DIR: join(dir, 'files'),
    STORAGE_DRIVER: 's3',
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: `http://127.0.0.1:${s3Address.port}`,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    DOCUMENT_KEY: randomBytes(32).toString('base64'),
    SESSION_SECRET: randomBytes(48).toString('base64url'),
    TRUST_PROXY: 'true',
    SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
    OUTBOX_POLL_MS: '250',
    // The poller of this test sends far more than a person would, all from 127.0.0.1.
    RATE_LIMIT_PER_MINUTE: '100000',
    CLAIM_AUTO_SAMPLE_BASIS_POINTS: '0',
    LOG_LEVEL: 'info',
    DEMO_DATA: 'false',
  };

  const instances: Topology['instances'] = {
    app1: { name: 'app1', port: port1, child: null, output: [] },
    app2: { name: 'app2', port: port2, child: null, output: [] },
  };

  async function start(name: 'app1' | 'app2', env: Record<string, string> = {}): Promise<void> {
    const instance = instances[name];
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: ROOT,
      env: { ...common, PORT: String(instance.port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    instance.child = child;
    const keep = (d: Buffer) => {
      // Request lines are HAProxy's to count; the rest (start, shutdown, errors) tells what happened.
      instance.output.push(
        ...d
          .toString()
          .split('\n')
          .filter((l) => l !== '' && !/"msg":"(incoming request|request completed)"/.test(l)),
      );
      if (instance.output.length > 400) instance.output.splice(0, instance.output.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`${name} exited with ${child.exitCode}:\n${instance.output.slice(-30).join('\n')}`);
      const ready = await fetch(`http://127.0.0.1:${instance.port}/readyz`)
        .then((r) => r.status)
        .catch(() => 0);
      if (ready === 200) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${name} not ready in 120 s:\n${instance.output.slice(-30).join('\n')}`);
  }

  async function stop(name: 'app1' | 'app2', signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null> {
    const child = instances[name].child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    const code = await exited;
    instances[name].child = null;
    return code;
  }

  // The first start applies the migrations and loads the demo registry, plan and network; the
  // second finds them there.
  await start('app1', { DEMO_DATA: 'true' });
  await start('app2');

  const lbRequests: LbRequest[] = [];
  const lbEvents: string[] = [];
  const waiters: Array<() => void> = [];
  const haproxy = spawn(HAPROXY, ['-db', '-f', join(ROOT, 'deploy/haproxy.cfg')], {
    env: {
      PATH: process.env.PATH ?? '',
      LB_BIND: `127.0.0.1:${lbPort}`,
      APP1: `127.0.0.1:${port1}`,
      APP2: `127.0.0.1:${port2}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onLog = (d: Buffer) => {
    for (const line of d.toString().split('\n')) {
      const m = LOG_LINE.exec(line);
      if (m) {
        lbRequests.push({
          server: m[1] ?? '',
          status: Number(m[2]),
          redispatched: m[3] === '+',
          retries: Number(m[4]),
          method: m[5] ?? '',
          path: (m[6] ?? '').split('?')[0] ?? '',
        });
      } else if (/Server onecare_app\/app\d is (UP|DOWN)/.test(line)) {
        lbEvents.push(line);
        for (const w of waiters.splice(0)) w();
      }
    }
  };
  haproxy.stdout.on('data', onLog);
  haproxy.stderr.on('data', onLog);
  const lbDeadline = Date.now() + 20_000;
  while ((await fetch(`${url}/lb-healthz`).catch(() => null))?.status !== 200) {
    if (haproxy.exitCode !== null || Date.now() > lbDeadline) throw new Error('HAProxy did not start');
    await new Promise((r) => setTimeout(r, 100));
  }

  function waitForLb(name: 'app1' | 'app2', state: 'UP' | 'DOWN', since: number): Promise<void> {
    const pattern = new RegExp(`Server onecare_app/${name} is ${state}`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`HAProxy never saw ${name} ${state}: ${lbEvents.join(' | ')}`)),
        60_000,
      );
      const check = () => {
        if (lbEvents.slice(since).some((e) => pattern.test(e))) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  }

  const db = new pg.Pool({ connectionString: clusterDb.toString(), max: 2 });
  return {
    url,
    smtp,
    db,
    instances,
    lbRequests,
    lbEvents,
    start,
    stop,
    waitForLb,
    async close() {
      await db.end();
      const lbExited = new Promise((r) => haproxy.once('exit', r));
      haproxy.kill('SIGTERM');
      await lbExited;
      await Promise.all([stop('app1', 'SIGTERM'), stop('app2', 'SIGTERM')]);
      await smtp.stop();
      await s3.close();
      const cleanup = new pg.Client({ connectionString: databaseUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${DATABASE} with (force)`);
      await cleanup.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
