import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, buildApp, DEFAULT_WEB_DIR } from '../../server/app.js';
import type { AppConfig } from '../../server/config/config.js';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrator.js';
import type { Clock } from '../../server/lib/clock.js';
import { testConfig } from './build-app.js';

export interface RunningServer {
  app: App;
  url: string;
  config: AppConfig;
  /** The environment that points another process (the CLI) at the same database and mail. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The real app, built web app included, listening on a free port of 127.0.0.1 with its own SQLite
 * file and its outbox worker running: what a person would get from `npm start`.
 */
export async function startServer(env: Record<string, string> = {}, clock?: Clock): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'onecare-e2e-'));
  const fullEnv = { DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`, ...env };
  // The public URL must be the served one (links in emails): take a free port first.
  const port = await freePort();

  const url = `http://127.0.0.1:${port}`;
  const allEnv = { ...fullEnv, PUBLIC_URL: url };
  const config = testConfig(allEnv);
  const database = openDatabase(config.database);
  await migrateToLatest(database);
  const app = await buildApp({ config, database, webDir: DEFAULT_WEB_DIR, ...(clock ? { clock } : {}) });
  await app.listen({ port, host: '127.0.0.1' });
  return {
    app,
    url,
    config,
    env: {
      ...allEnv,
      SESSION_SECRET: config.sessionSecret,
      LOG_LEVEL: 'warn',
      MAIL_TRANSPORT: config.mail.transport,
    },
    async stop() {
      await app.close();
      await database.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
