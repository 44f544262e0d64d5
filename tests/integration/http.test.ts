import { fileURLToPath } from 'node:url';
import { Gauge } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app.js';

const webDir = fileURLToPath(new URL('../fixtures/web', import.meta.url));

describe('HTTP foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ webDir });
  });
  afterAll(() => t.close());

  it('[anyone] /healthz answers 200 and /readyz says the database is migrated', async () => {
    const health = await t.app.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('[anyone] pages carry an enforced CSP without inline scripts, nosniff, and no x-powered-by', async () => {
    for (const url of ['/', '/registrazione']) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.body).toContain('<div id="root">');
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['content-security-policy-report-only']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('[anyone] hashed assets are cached for a year, without the headers that only govern a page', async () => {
    const res = await t.app.inject({ url: '/assets/app.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('immutable');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    for (const name of [
      'content-security-policy',
      'x-frame-options',
      'permissions-policy',
      'referrer-policy',
    ])
      expect(res.headers[name], name).toBeUndefined();
    // The page itself keeps them, and so does the 404 of a missing asset.
    const page = await t.app.inject({ url: '/', headers: { accept: 'text/html' } });
    expect(page.headers['permissions-policy']).toContain('camera=()');
    expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
    // A worker started from its URL is governed by its own response's CSP: it keeps it.
    const worker = await t.app.inject({ url: '/assets/sha.worker-abc123.js' });
    expect(worker.statusCode).toBe(200);
    expect(String(worker.headers['content-security-policy'])).toContain("default-src 'self'");
    const missing = await t.app.inject({ url: '/assets/missing.js' });
    expect(missing.statusCode).toBe(404);
    expect(String(missing.headers['content-security-policy'])).toContain("default-src 'self'");
  });

  it('[member] the page of an emailed link (ticket or token in the URL) is never kept in a cache', async () => {
    for (const url of [
      '/',
      '/index.html',
      '/attivazione?ticket=ABCD-EFGH-JKMN-PQRS',
      '/reimposta-password?token=abcdefghjkmn.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
      '/backoffice/attivazione?token=abcdefghjkmn.0123456789abcdefghijklmnopqrstuvwxyzABCDEFG',
    ]) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<div id="root">');
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('[anyone] every page path answers the app whatever the Accept header', async () => {
    const accepts = [undefined, '*/*', 'application/json', 'text/html,application/xhtml+xml'];
    for (const url of ['/', '/registrazione', '/backoffice/piani/ONECARE-DEMO', '/attivazione?ticket=a.b']) {
      for (const accept of accepts) {
        for (const method of ['GET', 'HEAD'] as const) {
          const res = await t.app.inject({ method, url, headers: accept ? { accept } : {} });
          expect(res.statusCode, `${method} ${url} ${accept}`).toBe(200);
          expect(res.headers['content-type']).toMatch(/text\/html/);
          expect(res.headers['cache-control']).toBe('no-store');
          if (method === 'GET') expect(res.body).toContain('<div id="root">');
        }
      }
    }
  });

  it('[prober] unknown API and /dev paths and missing files answer 404, even to a browser', async () => {
    for (const url of [
      '/api/v1/nothing-here',
      '/api',
      '/dev/nothing',
      '/missing.js',
      '/assets/missing.css',
    ]) {
      const res = await t.app.inject({ url, headers: { accept: 'text/html' }, remoteAddress: '10.2.2.2' });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('[anyone] API answers are never cached and carry the same security headers', async () => {
    const res = await t.app.inject({ url: '/api/v1/public-config' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'");
    expect(res.json()).toEqual({
      supportEmail: 'supporto@onecare.example',
      supportPhone: '800 000 000',
      mailbox: true,
      demo: false,
    });
  });

  it('[anyone] an unknown API path answers the one error shape, in Italian by default and in English on request', async () => {
    const it1 = await t.app.inject({ url: '/api/v1/nothing-here' });
    expect(it1.statusCode).toBe(404);
    expect(it1.headers['cache-control']).toBe('no-store');
    expect(it1.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'La risorsa richiesta non esiste.' } });
    const en = await t.app.inject({
      url: '/api/v1/nothing-here',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(en.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'The requested resource does not exist.' },
    });
  });

  it('[prober] 404s are rate limited well below the global limit', async () => {
    let last = 0;
    for (let i = 0; i < 130; i++)
      last = (await t.app.inject({ url: `/api/v1/probe-${i}`, remoteAddress: '10.1.1.1' })).statusCode;
    expect(last).toBe(429);
  });

  it('[anyone] invalid input gets VALIDATION_FAILED with the field named', async () => {
    const res = await t.app.inject({ url: `/dev/mailbox/${'x'.repeat(100)}` });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details[0].field).toBe('params.id');
  });

  it('[anyone] a schema refusal names the field and the rule, in Italian by default and in English on request', async () => {
    const send = (payload: string, locale?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: {
          'content-type': 'application/json',
          ...(locale ? { 'accept-language': locale } : {}),
        },
        payload,
      });
    const missing = await send(JSON.stringify({ username: 'mario.rossi' }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details).toContainEqual({
      field: 'password',
      code: 'required',
      message: 'Campo obbligatorio.',
    });
    const english = await send(JSON.stringify({ username: 'mario.rossi' }), 'en-GB,en;q=0.8');
    expect(english.json().error.details).toContainEqual({
      field: 'password',
      code: 'required',
      message: 'This field is required.',
    });
    const broken = await send('{"username":', 'en');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.details).toEqual([
      { field: 'body', code: 'json', message: 'The body is not valid JSON.' },
    ]);
  });

  it('[attacker] a cross-site POST is refused before any handler runs', async () => {
    const bySite = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(bySite.statusCode).toBe(403);
    expect(bySite.json().error.code).toBe('CSRF_REJECTED');
    const byOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      payload: '{}',
    });
    expect(byOrigin.statusCode).toBe(403);
    expect(byOrigin.json().error.code).toBe('CSRF_REJECTED');
    const sameOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: {
        origin: 'http://localhost:3000',
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json',
      },
      payload: '{}',
    });
    // Same origin reaches the handler, which validates the (empty) body.
    expect(sameOrigin.statusCode).toBe(400);
    expect(sameOrigin.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('[anyone] GET requests are not subject to the origin check', async () => {
    const res = await t.app.inject({
      url: '/api/v1/public-config',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('[operator] /metrics exposes Prometheus metrics with routes by pattern', async () => {
    await t.app.inject({ url: '/healthz' });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toContain('onecare_http_request_duration_seconds_bucket');
    expect(res.body).toContain('route="/healthz"');
    expect(res.body).toMatch(/onecare_outbox_emails\{status="pending"\} \d+/);
    expect(res.body).toContain('process_cpu_user_seconds_total');
  });

  it('[developer] /api/docs serves the OpenAPI document of the JSON API with the error shape', async () => {
    const res = await t.app.inject({ url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/public-config');
    expect(Object.keys(doc.paths)).not.toContain('/dev/mailbox');
    expect(doc.components.schemas.ErrorResponse).toBeDefined();
    const ui = await t.app.inject({ url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('[anyone] a body that is not JSON gets a clear error, not a crash', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/xml' },
      payload: '<x/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ webDir, env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => t.close());

  it('[client] past the per-address limit the API answers 429 RATE_LIMITED with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await t.app.inject({ url: '/api/v1/public-config' })).statusCode);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const res = await t.app.inject({ url: '/api/v1/public-config' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.json().error.code).toBe('RATE_LIMITED');
  });

  it('[operator] health probes are never rate limited', async () => {
    for (let i = 0; i < 10; i++) expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('an instance reachable from other machines', () => {
  const token = 'metrics-token-metrics-token-0123456789';
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({
      webDir,
      env: {
        HOST: '0.0.0.0',
        PUBLIC_URL: 'https://onecare.example',
        MAIL_TRANSPORT: 'smtp',
        SMTP_URL: 'smtp://127.0.0.1:1',
        METRICS_TOKEN: token,
      },
    });
  });
  afterAll(() => t.close());

  it('[prober] the API docs are not served unless API_DOCS turns them on', async () => {
    for (const url of ['/api/docs', '/api/docs/json', '/api/docs/static/index.html']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });

  it('[prober] /metrics answers only with the bearer token', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const wrong = await t.app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(401);
    const ok = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('onecare_http_request_duration_seconds');
  });

  it('[prober] there is no built-in mailbox', async () => {
    const res = await t.app.inject({ url: '/dev/mailbox', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
  });
});

describe('API docs switched on explicitly', () => {
  it('[developer] API_DOCS=true serves them outside the local setup too', async () => {
    const t = await buildTestApp({
      env: {
        HOST: '0.0.0.0',
        API_DOCS: 'true',
        MAIL_TRANSPORT: 'smtp',
        SMTP_URL: 'smtp://127.0.0.1:1',
        METRICS_TOKEN: 'metrics-token-metrics-token-0123456789',
      },
    });
    try {
      const res = await t.app.inject({ url: '/api/docs/json' });
      expect(res.statusCode).toBe(200);
      expect(res.json().openapi).toBe('3.1.0');
    } finally {
      await t.close();
    }
  });
});

describe('metrics that fail to collect', () => {
  const logLines: string[] = [];
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ logLines });
  });
  afterAll(() => t.close());

  it('[operator] a failing collector or metric is left out and logged by kind; the rest is served', async () => {
    const secret = 'RSSMRA85T10A562S mario.rossi@example.test';
    t.app.metrics.addCollector(async () => {
      throw new Error(secret);
    });
    new Gauge({
      name: 'onecare_test_broken',
      help: 'A metric whose collection fails',
      registers: [t.app.metrics.registry],
      collect() {
        throw new TypeError(secret);
      },
    });
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({ url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('# TYPE onecare_http_request_duration_seconds histogram');
      expect(res.body).toContain('process_cpu_user_seconds_total');
      expect(res.body).not.toContain('onecare_test_broken');
    }
    const errors = logLines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
    expect(errors.some((l) => l.includes('"metric":"onecare_test_broken"'))).toBe(true);
    expect(errors.some((l) => l.includes('metrics collector failed'))).toBe(true);
    expect(logLines.join('\n')).not.toContain('RSSMRA85T10A562S');
    expect(logLines.join('\n')).not.toContain('mario.rossi');
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
