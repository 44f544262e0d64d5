import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendError } from '../errors/error-handler.js';

/**
 * The app's HTML is never stored by a browser or a proxy: pages are opened from emailed links
 * whose URL carries a ticket or a token, and a shared cache must not keep them (nor an old
 * index.html pointing to assets that no longer exist after a deploy).
 */
const HTML_CACHE = 'no-store';

/**
 * Headers of every answer that a hashed script or style sheet has no use for: those that govern a
 * document (what it may load, frame, send as referrer, which browser features it may use), and the
 * rate limit's counters. The first page loads some twenty files, and each carried about 700 bytes
 * of them (decision 052). nosniff, CORP and HSTS stay: they do govern a script. Workers keep all.
 */
const NOT_FOR_ASSETS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
  'permissions-policy',
  // Counters of the per-address limit, which still applies: a script needs no reading of them.
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
];

/**
 * Whether a GET for a path that matched no route is a page of the client router: not under /api or
 * /dev, and no file extension in its last segment (a missing file answers 404, not the app).
 */
export function isPagePath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  const first = path.split('/')[1] ?? '';
  if (first === 'api' || first === 'dev') return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

/**
 * Serves the built React app (web/dist): hashed assets cached for a year, and index.html for
 * every other GET of a page path, whatever its Accept header, so the client router handles the
 * path. Anything else that matches no route gets the JSON 404, rate limited so nobody can crawl
 * for URLs.
 */
export async function installWeb(app: FastifyInstance, webDir: string): Promise<void> {
  const hasApp = existsSync(join(webDir, 'index.html'));
  if (hasApp) {
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      wildcard: false,
      index: false,
      // The build writes .br and .gz beside each text file (decision 052): the variant the
      // browser accepts is sent as it is, with Vary: Accept-Encoding; nothing is compressed here.
      preCompressed: true,
      // The ETag is enough to revalidate; byte ranges are for media, not scripts and pages.
      lastModified: false,
      acceptRanges: false,
      // Runs for every file sent, index.html from the 404 handler included: it has the last word.
      // `path` may be a compressed variant's (index.html.br): its rule is the original file's.
      setHeaders(reply, variant) {
        const path = variant.replace(/\.(?:br|gz)$/, '');
        // A worker (`*.worker-<hash>.js`, web/vite.config.ts) runs under its own response's CSP: it
        // keeps every header.
        if (/\/assets\/[^/]+\.(?:js|css)$/.test(path) && !/\.worker-[^/]+\.js$/.test(path)) {
          for (const name of NOT_FOR_ASSETS) reply.removeHeader(name);
        }
        reply.header(
          'cache-control',
          path.endsWith('.html')
            ? HTML_CACHE
            : path.includes('/assets/')
              ? 'public, max-age=31536000, immutable'
              : 'public, max-age=300',
        );
      },
    });
  } else {
    app.log.warn('web app not built: run "npm run build" (npm start does it for you)');
  }

  app.setNotFoundHandler(
    { preHandler: app.rateLimit({ max: 120, timeWindow: 60_000 }) },
    (request, reply) => {
      const wantsPage = (request.method === 'GET' || request.method === 'HEAD') && isPagePath(request.url);
      if (wantsPage && hasApp) {
        return reply
          .header('cache-control', HTML_CACHE)
          .type('text/html; charset=utf-8')
          .sendFile('index.html');
      }
      return sendError(request, reply, 'NOT_FOUND');
    },
  );
}
