import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from '../errors/error-handler.js';

/**
 * Serves the built React app (web/dist): hashed assets cached for a year, and index.html for
 * every other GET that wants a page, so the client router handles the path. Anything else that
 * matches no route gets the JSON 404, rate limited so nobody can crawl for URLs.
 */
export async function installWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const hasApp = existsSync(join(webDir, 'index.html'));
  if (hasApp) {
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      wildcard: false,
      index: false,
      setHeaders(reply, path) {
        reply.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
        );
      },
    });
  } else {
    app.log.warn('web app not built: run "npm run build" (npm start does it for you)');
  }

  app.setNotFoundHandler(
    { preHandler: app.rateLimit({ max: 120, timeWindow: 60_000 }) },
    (request, reply) => {
      const wantsPage =
        (request.method === 'GET' || request.method === 'HEAD') &&
        !request.url.startsWith('/api/') &&
        !request.url.startsWith('/dev/') &&
        (request.headers.accept ?? '').includes('text/html');
      if (wantsPage && hasApp) {
        return reply
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .sendFile('index.html');
      }
      return sendError(request, reply, 'NOT_FOUND');
    },
  );
}
