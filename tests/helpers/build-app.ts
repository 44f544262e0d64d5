import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type App, type BuildOptions, buildApp, loggerOptions } from '../../server/app.js';
import { type AppConfig, loadConfig } from '../../server/config/config.js';
import type { Clock } from '../../server/lib/clock.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

export interface TestApp {
  app: App;
  db: TestDatabase;
  config: AppConfig;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: Clock;
  startWorker?: boolean;
  /** Reuse a database (e.g. a second instance on the same PostgreSQL schema). */
  database?: TestDatabase;
  webDir?: string;
  /** Receives every JSON log line (level info and above), to check what the logs reveal. */
  logLines?: string[];
}

/** The config tests use: the given variables over quiet, deterministic defaults. */
export function testConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig(
    {
      SESSION_SECRET: 'test-secret-test-secret-test-secret-0123',
      LOG_LEVEL: 'silent',
      MAIL_TRANSPORT: 'capture',
      DEMO_DATA: 'false',
      PUBLIC_URL: 'http://localhost:3000',
      OUTBOX_POLL_MS: '50',
      CAPTCHA_COST: '10',
      FORM_RATE_LIMIT_PER_MINUTE: '1000',
      ...env,
    },
    { dataDir: join(process.cwd(), 'data', 'test') },
  );
}

/**
 * An app on a fresh database for one test file. `close` stops the app and drops the database it
 * created; call it in afterAll.
 */
export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.database ?? (await createTestDatabase());
  const config = testConfig(options.env);
  const handle = options.database ? db.open() : db.handle;
  const buildOptions: BuildOptions = { config, database: handle, startWorker: options.startWorker ?? false };
  if (options.clock) buildOptions.clock = options.clock;
  if (options.webDir) buildOptions.webDir = options.webDir;
  if (options.logLines) {
    const lines = options.logLines;
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    buildOptions.logger = { ...(loggerOptions('info') as object), stream };
  }
  const app = await buildApp(buildOptions);
  await app.ready();
  return {
    app,
    db,
    config,
    async close() {
      await app.close();
      if (options.database) await handle.destroy();
      else await db.drop();
    },
  };
}
