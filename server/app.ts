import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AppConfig } from './config/config.js';
import { type Db, type DbHandle, type Dialect, openDatabase } from './db/database.js';
import { OutboxRepository } from './email/outbox.repository.js';
import { Outbox } from './email/outbox.service.js';
import { OutboxWorker } from './email/outbox-worker.js';
import { createTransport, type MailTransport } from './email/transport.js';
import { installErrorHandler, sendError } from './errors/error-handler.js';
import { bookingProposalExpiryJob } from './jobs/booking-proposal-expiry.job.js';
import { bookingRemindersJob } from './jobs/booking-reminders.job.js';
import { claimDocumentsSweepJob } from './jobs/claim-documents-sweep.job.js';
import { claimIntegrationExpiryJob } from './jobs/claim-integration-expiry.job.js';
import { dataExportsJob } from './jobs/data-exports.job.js';
import { JobRunner } from './jobs/job-runner.js';
import { purgeExpiredJob } from './jobs/purge-expired.job.js';
import { finiteKeyword } from './lib/ajv-finite.js';
import { type Clock, systemClock } from './lib/clock.js';
import { auditModule } from './modules/audit/index.js';
import { authModule } from './modules/auth/index.js';
import { bookingsModule } from './modules/bookings/index.js';
import { captchaModule } from './modules/captcha/index.js';
import { claimsModule } from './modules/claims/index.js';
import { healthModule } from './modules/health/index.js';
import { mailboxModule } from './modules/mailbox/index.js';
import { membersModule } from './modules/members/index.js';
import { networkModule } from './modules/network/index.js';
import { paymentsModule } from './modules/payments/index.js';
import { plansModule } from './modules/plans/index.js';
import { profileModule } from './modules/profile/index.js';
import { publicConfigModule } from './modules/public-config/index.js';
import { registryModule } from './modules/registry/index.js';
import { reportsModule } from './modules/reports/index.js';
import { staffModule } from './modules/staff/index.js';
import { installDocumentStore } from './plugins/document-store/index.js';
import { installMetrics, type Metrics } from './plugins/metrics.js';
import { installOpenApi } from './plugins/openapi.js';
import { installRateLimit } from './plugins/rate-limit.js';
import { installRouteAccess } from './plugins/route-access.js';
import { installSecurity } from './plugins/security.js';
import { installWeb } from './plugins/web.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    db: Db;
    database: DbHandle;
    dialect: Dialect;
    clock: Clock;
    outbox: Outbox;
    outboxWorker: OutboxWorker;
    /** Periodic jobs run once across instances (the purge of expired rows, …). */
    jobs: JobRunner;
    metrics: Metrics;
    /**
     * Set when shutdown begins (decision 054): /readyz answers 503 so the load balancer sends no
     * new requests, while the requests under way and those already routed here are still served.
     */
    lifecycle: { draining: boolean };
  }
}

export type App = FastifyInstance;

export interface BuildOptions {
  config: AppConfig;
  /** An open database; by default one is opened from config and closed with the app. */
  database?: DbHandle;
  clock?: Clock;
  /** Start the outbox worker when the app is ready (default true). */
  startWorker?: boolean;
  /** Start the scheduled jobs when the app is ready (default: as `startWorker`). */
  startJobs?: boolean;
  transport?: MailTransport;
  logger?: FastifyServerOptions['logger'];
  /** The built web app to serve; null for no web app (the command line). */
  webDir?: string | null;
}

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../web/dist', import.meta.url));

/** JSON logs without personal data: no query strings, no addresses, no cookies, no bodies. */
export function loggerOptions(level: AppConfig['logLevel']): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
      remove: true,
    },
    serializers: {
      req: (req) => ({ method: req.method, path: (req.url ?? '').split('?')[0], id: req.id }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
  };
}

/**
 * Builds the application: external plugins, then ours, then the modules; the error and 404
 * handlers last. Nothing listens until the caller says so.
 */
export async function buildApp(options: BuildOptions): Promise<App> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
    ajv: {
      // strictNumbers: a JSON number that is not finite (1e999 reads as Infinity) is not a number.
      customOptions: {
        allErrors: true,
        removeAdditional: false,
        coerceTypes: 'array',
        useDefaults: true,
        strictNumbers: true,
      },
      plugins: [finiteKeyword],
    },
    // A body key `__proto__`, or `constructor` holding `prototype`, is refused (400) rather than
    // removed: no client of ours sends one (decision 025).
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // A path parameter longer than the router reads (100 characters), or a URL that cannot be
    // decoded, names nothing here: the one error shape, not the framework's own (found by the fuzzer).
    frameworkErrors: (_error, request, reply) => {
      sendError(request, reply, 'NOT_FOUND');
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const database = options.database ?? openDatabase(config.database);
  const ownsDatabase = options.database === undefined;
  // A dead idle connection is dropped by the pool (database.ts); the log says it happened.
  const onIdleError = (err: Error) =>
    app.log.warn(
      { err: { message: err.message, code: (err as { code?: string }).code } },
      'database connection lost',
    );
  database.pgPool?.on('error', onIdleError);
  app.addHook('onClose', async () => {
    database.pgPool?.off('error', onIdleError);
  });
  const outboxRepository = new OutboxRepository(database.dialect);
  const outbox = new Outbox(outboxRepository, config, clock);
  const transport = options.transport ?? createTransport(config, database.db, clock);
  const metrics = installMetrics(app, config);
  installDocumentStore(app, config);
  const worker = new OutboxWorker({
    db: database.db,
    repository: outboxRepository,
    transport,
    clock,
    log: app.log,
    from: config.mailFrom,
    pollMs: config.outboxPollMs,
    onResult: (result) => metrics.emails.inc({ result }),
  });
  outbox.onEnqueue(() => worker.wake());
  metrics.addCollector(async (set) => {
    const counts = await outboxRepository.countByStatus(database.db);
    for (const status of ['pending', 'sent', 'failed'])
      set('onecare_outbox_emails', counts[status] ?? 0, { status });
  });

  app.decorate('config', config);
  app.decorate('db', database.db);
  app.decorate('database', database);
  app.decorate('dialect', database.dialect);
  app.decorate('clock', clock);
  app.decorate('outbox', outbox);
  app.decorate('outboxWorker', worker);
  app.decorate('metrics', metrics);
  app.decorate('lifecycle', { draining: false });
  const jobs = new JobRunner({
    db: database.db,
    clock,
    log: app.log,
    onRun: (job, result) => metrics.jobRuns.inc({ job, result }),
  });
  app.decorate('jobs', jobs);

  // Authorization is declared on each route (`config.access`) and enforced centrally (decision 017).
  installRouteAccess(app);

  // The Date header tells the app's clock, the one sessions expire by: the web app places expiry
  // instants on its own clock with it (decision 024).
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('date', clock.now().toUTCString());
  });
  installErrorHandler(app);
  await installSecurity(app, config);
  await installRateLimit(app, config);
  await app.register(cookie);
  await installOpenApi(app, config.publicUrl.origin, config.apiDocs);

  // The infrastructure closes last: onClose hooks run in reverse order, so the modules' own (the
  // registry waits for its imports under way) run before the database goes.
  app.addHook('onClose', async () => {
    await jobs.stop();
    await worker.stop();
    transport.close();
    if (ownsDatabase) await database.destroy();
  });

  await app.register(healthModule);
  await app.register(publicConfigModule);
  // Each module builds its own services and decorates the app with what others use: the audit
  // trail and the captcha first, then the accounts (members), authentication, staff.
  await app.register(auditModule);
  await app.register(captchaModule);
  await app.register(membersModule);
  await app.register(authModule);
  await app.register(staffModule);
  jobs.add(
    purgeExpiredJob({
      sessions: app.sessions,
      captcha: app.captcha,
      members: app.members,
      log: app.log,
      onPurged: (table, rows) => metrics.purgedRows.inc({ table }, rows),
    }),
  );

  // Then the registry, the network and the plans, which use them.
  await app.register(registryModule);
  await app.register(networkModule);
  await app.register(plansModule);
  // Claims read the registry, the plans' rules and the network's facilities.
  await app.register(claimsModule);
  jobs.add(
    claimDocumentsSweepJob({
      documents: app.documents,
      claims: app.claims,
      // The bookings' prescriptions are in the same store (the module is registered just below).
      others: [(keys) => app.bookings.referencedKeys(keys)],
      log: app.log,
    }),
  );
  jobs.add(claimIntegrationExpiryJob({ claims: app.claims, log: app.log }));
  // Bookings make direct claims through the claims module.
  await app.register(bookingsModule);
  jobs.add(bookingRemindersJob({ bookings: app.bookings, log: app.log }));
  jobs.add(bookingProposalExpiryJob({ bookings: app.bookings, log: app.log }));
  // Payments move claims through the claims module.
  await app.register(paymentsModule);
  // Reports read the claims' tables.
  await app.register(reportsModule);
  // The member's own space reads the claims (statement, data export, FHIR export).
  await app.register(profileModule);
  jobs.add(dataExportsJob({ exports: app.dataExports, log: app.log }));
  if (config.mail.transport === 'capture') await app.register(mailboxModule);

  if (options.webDir !== null) await installWeb(app, options.webDir ?? DEFAULT_WEB_DIR);

  if (options.startWorker !== false) app.addHook('onReady', async () => worker.start());
  if ((options.startJobs ?? options.startWorker) !== false) app.addHook('onReady', async () => jobs.start());
  return app;
}
