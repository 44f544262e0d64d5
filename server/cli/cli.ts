import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { type App, buildApp } from '../app.js';
import { type AppConfig, ConfigError, loadConfig } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest, pendingMigrations } from '../db/migrator.js';
import { describeDemoSeed, seedDemoData } from '../demo/seed.js';
import { OutboxRepository } from '../email/outbox.repository.js';
import { AppError } from '../errors/app-error.js';
import { formatNetworkImportReport, importNetworkFile, NetworkFileError } from '../modules/network/index.js';
import { formatImportReport, importRegistryFile, RegistryFileError } from '../modules/registry/index.js';

/** Where one run of the command line reads its settings and writes its output. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Exit code of a configuration error (EX_CONFIG), as the server uses. */
export const EXIT_CONFIG = 78;

/** Ends a run with the given code after the message was written. */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

const locale = (value: string): 'it' | 'en' => {
  if (value !== 'it' && value !== 'en') throw new InvalidArgumentError('use it or en');
  return value;
};

/**
 * The admin command line: `npm run cli -- <command>`. It reads the same environment as the
 * server, so it acts on the same database and mail transport. It is a function of its arguments
 * and streams that returns the exit code, so tests run it in-process; `main.ts` is the process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const print = (line: string) => io.stdout.write(`${line}\n`);
  const refuse = (line: string) => {
    io.stderr.write(`${line}\n`);
    exitCode = 1;
  };

  function config(): AppConfig {
    try {
      return loadConfig(io.env);
    } catch (err) {
      if (err instanceof ConfigError) {
        io.stderr.write(`${err.message}\n`);
        throw new Exit(EXIT_CONFIG);
      }
      throw err;
    }
  }

  /** Opens the app (migrated, no HTTP listener, no background worker), runs `fn`, closes it. */
  async function withApp<T>(fn: (app: App) => Promise<T>): Promise<T> {
    const cfg = config();
    const database = openDatabase(cfg.database);
    try {
      await migrateToLatest(database);
      // Warnings go to stderr, so that stdout carries only the command's own output.
      const app = await buildApp({
        config: cfg,
        database,
        startWorker: false,
        webDir: null,
        logger: { level: 'warn', stream: { write: (line: string) => io.stderr.write(line) } },
      });
      try {
        await app.ready();
        return await fn(app);
      } finally {
        await app.close();
      }
    } finally {
      await database.destroy();
    }
  }

  const program = new Command()
    .name('npm run cli --')
    .description(
      'OneCare administration: database, mail, registry and network imports, staff users, demo data',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError();

  program
    .command('migrate')
    .description('apply every pending database migration (npm start does it too)')
    .action(async () => {
      const database = openDatabase(config().database);
      try {
        const applied = await migrateToLatest(database);
        print(applied.length ? `applied: ${applied.join(', ')}` : 'database already up to date');
        const pending = await pendingMigrations(database);
        if (pending.length) throw new Error(`still pending: ${pending.join(', ')}`);
      } finally {
        await database.destroy();
      }
    });

  const outbox = program.command('outbox').description('the queue of outgoing email');
  outbox
    .command('status')
    .description('count emails by status (pending, sent, failed)')
    .action(() =>
      withApp(async (app) => {
        const counts = await new OutboxRepository(app.dialect).countByStatus(app.db);
        for (const status of ['pending', 'sent', 'failed'])
          print(`${status.padEnd(8)} ${counts[status] ?? 0}`);
      }),
    );
  outbox
    .command('retry-failed')
    .description('put emails that failed for good back in the queue (after fixing the cause)')
    .action(() =>
      withApp(async (app) => {
        const n = await new OutboxRepository(app.dialect).requeueFailed(
          app.db,
          app.clock.now().toISOString(),
        );
        print(`${n} email(s) queued again`);
      }),
    );
  outbox
    .command('deliver')
    .description('deliver what is due now, once, and exit (the server does this continuously)')
    .action(() =>
      withApp(async (app) => {
        let total = 0;
        for (let n = await app.outboxWorker.runOnce(); n > 0; n = await app.outboxWorker.runOnce())
          total += n;
        print(`${total} email(s) handled`);
      }),
    );

  program
    .command('mail')
    .description('email tools')
    .command('test')
    .description('send a test message through the outbox and the configured transport')
    .requiredOption('--to <address>', 'recipient')
    .option('--lang <it|en>', 'language of the message', locale, 'it' as const)
    .action((options: { to: string; lang: 'it' | 'en' }) =>
      withApp(async (app) => {
        const id = await app.outbox.enqueue(app.db, {
          to: options.to,
          template: 'test-message',
          locale: options.lang,
          data: {},
        });
        await app.outboxWorker.runOnce();
        const row = await app.db
          .selectFrom('outbox_emails')
          .select(['status', 'last_error'])
          .where('id', '=', id)
          .executeTakeFirst();
        if (row?.status === 'sent') print(`sent (${app.config.mail.transport})`);
        else {
          print(`not sent yet: ${row?.last_error ?? 'unknown'}; it stays queued and the server will retry`);
          exitCode = 1;
        }
      }),
    );

  const staff = program.command('staff').description('back-office users (password + authenticator, always)');
  staff
    .command('create')
    .description(
      'create a staff user and print a one-time enrolment link (valid 24 hours); administrators can also do it from /backoffice/personale, which emails the link',
    )
    .requiredOption('--role <role>', 'claims_operator | booking_desk | administrator | auditor')
    .requiredOption('--username <name>', 'login name, e.g. giulia.operatrice')
    .requiredOption('--email <address>', 'work email')
    .action((options: { role: string; username: string; email: string }) =>
      withApp(async (app) => {
        let link: string;
        try {
          ({ link } = await app.staff.create(options));
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'CONFLICT')) throw err;
          refuse(`username already in use: ${options.username}; nothing created`);
          return;
        }
        print(`created ${options.username} (${options.role})`);
        print(`enrolment link, valid 24 hours, single use: ${link}`);
      }),
    );
  staff
    .command('enrol-link')
    .description('print a new enrolment link (the old one dies; enrolling again replaces the authenticator)')
    .requiredOption('--username <name>', 'login name')
    .action((options: { username: string }) =>
      withApp(async (app) => {
        print(
          `enrolment link, valid 24 hours, single use: ${await app.staff.enrolmentLink(options.username)}`,
        );
      }),
    );

  program
    .command('demo')
    .description('demo data (fictitious)')
    .command('seed')
    .description('load the demo data if this database does not have it yet')
    .action(() =>
      withApp(async (app) => {
        const seeded = await seedDemoData(app);
        print(seeded ? describeDemoSeed(seeded) : 'demo data already present');
      }),
    );

  program
    .command('registry')
    .description("the plan's member registry (anagrafica)")
    .command('import')
    .description(
      'import a registry CSV (UTF-8, ; or , separated, header codice_fiscale;cognome;nome;data_nascita;' +
        'email;piano;ruolo;titolare_cf;inizio_copertura;fine_copertura): new members inserted, changed ones ' +
        'updated. With rejected rows nothing is written and the exit code is 1, unless --allow-errors',
    )
    .argument('<file.csv>', 'the registry file')
    .option('--allow-errors', 'import the valid rows even if some are rejected (exit code 0)')
    .option('--dry-run', 'check the file and count what would change, write nothing')
    .action((file: string, options: { allowErrors?: boolean; dryRun?: boolean }) =>
      withApp(async (app) => {
        try {
          const { report, outcome } = await importRegistryFile(app.db, app.dialect, file, {
            clock: app.clock,
            handle: app.database,
            allowErrors: options.allowErrors === true,
            dryRun: options.dryRun === true,
            onProgress: (phase, n) => io.stderr.write(`${phase}: ${n} rows read\n`),
          });
          print(formatImportReport(report, outcome).join('\n'));
          if (report.rejectedTotal > 0 && !options.allowErrors) exitCode = 1;
        } catch (err) {
          if (!(err instanceof RegistryFileError)) throw err;
          refuse(`file refused, nothing written: ${err.message}`);
        }
      }),
    );

  program
    .command('network')
    .description('the provider network (strutture convenzionate)')
    .command('import')
    .description(
      'import a network CSV (UTF-8, ; or , separated, header codice;nome;indirizzo;citta;provincia;cap;' +
        'latitudine;longitudine;telefono;prestazioni, prestazioni separated by |): new codici inserted, ' +
        'changed facilities updated with their services replaced. With rejected rows nothing is written ' +
        'and the exit code is 1, unless --allow-errors',
    )
    .argument('<file.csv>', 'the network file')
    .option('--allow-errors', 'import the valid rows even if some are rejected (exit code 0)')
    .option('--dry-run', 'check the file and count what would change, write nothing')
    .action((file: string, options: { allowErrors?: boolean; dryRun?: boolean }) =>
      withApp(async (app) => {
        try {
          const { report, outcome } = await importNetworkFile(app.db, file, {
            clock: app.clock,
            allowErrors: options.allowErrors === true,
            dryRun: options.dryRun === true,
          });
          print(formatNetworkImportReport(report, outcome).join('\n'));
          if (report.rejectedTotal > 0 && !options.allowErrors) exitCode = 1;
        } catch (err) {
          if (!(err instanceof NetworkFileError)) throw err;
          refuse(`file refused, nothing written: ${err.message}`);
        }
      }),
    );

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof Exit) return err.code;
    // Help, version and usage errors: commander has already written its text.
    if (err instanceof CommanderError) return err.exitCode;
    io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
