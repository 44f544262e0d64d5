import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import { describeDemoSeed, seedDemoData } from './demo/seed.js';
import { blocklistSize, checkPassword } from './modules/auth/index.js';

/** Entry point: configuration, migrations, demo data on a first start, listen, graceful shutdown. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`OneCare cannot start. ${err.message}\nSee .env.example for every variable.\n`);
      process.exit(78);
    }
    throw err;
  }

  const database = openDatabase(config.database);
  const applied = await migrateToLatest(database);
  const app = await buildApp({ config, database });
  if (applied.length > 0) app.log.info({ migrations: applied }, 'migrations applied');
  if (config.demoData) {
    const seeded = await seedDemoData(app);
    // To the console, not the log: the links are one-time secrets of the demo.
    if (seeded) process.stdout.write(`${describeDemoSeed(seeded)}\n`);
  }

  // Load the password blocklist and the strength estimator now, not on a member's first request.
  checkPassword('warm-up of the password checks');
  app.log.info({ entries: blocklistSize() }, 'password blocklist loaded');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    // Drain (decision 054): /readyz answers 503 at once, so a load balancer stops sending new
    // requests here; after SHUTDOWN_DRAIN_MS the server stops listening, finishes the requests
    // under way and closes.
    app.lifecycle.draining = true;
    app.log.info({ signal, drainMs: config.shutdownDrainMs }, 'shutting down');
    const force = setTimeout(() => {
      app.log.error('shutdown took too long, exiting');
      process.exit(1);
    }, config.shutdownDrainMs + 15_000);
    force.unref();
    try {
      if (config.shutdownDrainMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDrainMs));
      await app.close();
      await database.destroy();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { url: config.publicUrl.origin, database: config.database.kind, mail: config.mail.transport },
    'OneCare is ready',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(
    `OneCare failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
