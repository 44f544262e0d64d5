import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config/config.js';
import { sendError } from '../errors/error-handler.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Security headers on every answer (an enforced CSP with no inline script), no caching of API
 * answers, and the CSRF defence: session cookies are SameSite=Lax, and an unsafe request whose
 * Sec-Fetch-Site or Origin shows another site is refused before any handler runs.
 */
export async function installSecurity(app: FastifyInstance, config: AppConfig): Promise<void> {
  const https = config.publicUrl.protocol === 'https:';
  await app.register(helmet, {
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
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    if (!UNSAFE.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
      return sendError(request, reply, 'CSRF_REJECTED');
    }
    const origin = request.headers.origin;
    if (typeof origin === 'string' && origin !== config.publicUrl.origin && origin !== ownOrigin(request)) {
      return sendError(request, reply, 'CSRF_REJECTED');
    }
  });
}

function ownOrigin(request: { protocol: string; host: string }): string {
  return `${request.protocol}://${request.host}`;
}
