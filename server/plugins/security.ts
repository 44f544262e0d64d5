import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { AppConfig } from '../config/config.js';
import { sendError } from '../errors/error-handler.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Security headers on every answer (an enforced CSP with no inline script), no caching of API
 * answers, and the CSRF defence: session cookies are SameSite=Lax, and an unsafe request whose
 * Sec-Fetch-Site or Origin shows another site is refused before any handler runs.
 */
export async function installSecurity(app: FastifyInstance, config: AppConfig): Promise<void> {
  const headers = {
    ...staticHeaders(helmetOptions(config)),
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    if (!UNSAFE.has(request.method)) return done();
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
      return sendError(request, reply, 'CSRF_REJECTED');
    }
    const origin = request.headers.origin;
    if (typeof origin === 'string' && origin !== config.publicUrl.origin && origin !== ownOrigin(request)) {
      return sendError(request, reply, 'CSRF_REJECTED');
    }
    done();
  });
}

function helmetOptions(config: AppConfig): HelmetOptions {
  const https = config.publicUrl.protocol === 'https:';
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'worker-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : { 'upgrade-insecure-requests': null }),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  };
}

/**
 * Helmet's headers, worked out once at start. They depend on the configuration only, and the
 * Fastify plugin around Helmet built all of its middleware again on every request (the CSP parsed
 * anew each time: a few percent of a short API request's time, `npm run bench:api`).
 */
function staticHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

function ownOrigin(request: { protocol: string; host: string }): string {
  return `${request.protocol}://${request.host}`;
}
