import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AppConfig } from '../config/config.js';
import { sendError } from '../errors/error-handler.js';
import { safeEqual } from '../lib/tokens.js';

export interface Metrics {
  registry: Registry;
  emails: Counter<'result'>;
  /** Runs of scheduled jobs on this instance by job and result (ok, failed). */
  jobRuns: Counter<'job' | 'result'>;
  /** Rows deleted by the purge job, by table. */
  purgedRows: Counter<'table'>;
  addCollector(
    collect: (set: (name: string, value: number, labels?: Record<string, string>) => void) => Promise<void>,
  ): void;
  /** The text exposition of every metric that could be collected (a failing one is left out and logged). */
  render(): Promise<string>;
}

/** What a log may say about a failure while collecting: its kind, never its message (it may quote data). */
const failure = (err: unknown) => ({ type: err instanceof Error ? err.name : typeof err });

/**
 * Prometheus metrics at /metrics: process defaults, HTTP duration by route pattern (never the raw
 * URL, which may hold ids), email delivery results and the outbox backlog. A METRICS_TOKEN, when
 * set, must come as a Bearer token; the configuration requires one when HOST is not loopback.
 * A failure while collecting or recording never fails a request nor ends the process: each
 * collector and each metric is caught on its own, logged by kind, and /metrics serves the rest.
 */
export function installMetrics(app: FastifyInstance, config: AppConfig): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: 'onecare_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const emails = new Counter({
    name: 'onecare_emails_total',
    help: 'Email delivery attempts by result (sent, retry, failed)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'onecare_scheduled_job_runs_total',
    help: 'Scheduled job runs on this instance by job and result (ok, failed)',
    labelNames: ['job', 'result'] as const,
    registers: [registry],
  });
  const purgedRows = new Counter({
    name: 'onecare_purged_rows_total',
    help: 'Expired rows deleted by the purge job, by table',
    labelNames: ['table'] as const,
    registers: [registry],
  });
  const collectors: Array<Parameters<Metrics['addCollector']>[0]> = [];
  new Gauge({
    name: 'onecare_outbox_emails',
    help: 'Emails in the outbox by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      for (const [index, c] of collectors.entries()) {
        try {
          await c((_name, value, labels) => this.set(labels ?? {}, value));
        } catch (err) {
          app.log.error({ collector: index, err: failure(err) }, 'metrics collector failed');
        }
      }
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'not_found';
    try {
      http.observe(
        { method: request.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    } catch (err) {
      request.log.error({ err: failure(err) }, 'request duration not recorded');
    }
  });

  async function render(): Promise<string> {
    const parts: string[] = [];
    for (const metric of registry.getMetricsAsArray()) {
      try {
        parts.push(await registry.getSingleMetricAsString(metric.name));
      } catch (err) {
        app.log.error({ metric: metric.name, err: failure(err) }, 'metric not collected');
      }
    }
    return `${parts.join('\n\n')}\n`;
  }

  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (config.metricsToken) {
      const auth = request.headers.authorization ?? '';
      if (!safeEqual(auth, `Bearer ${config.metricsToken}`))
        return sendError(request, reply, 'UNAUTHENTICATED');
    }
    reply.header('cache-control', 'no-store').type(registry.contentType);
    return render();
  });

  return { registry, emails, jobRuns, purgedRows, addCollector: (c) => collectors.push(c), render };
}
