import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ErrorResponse } from '#contracts/errors.js';

/**
 * The OpenAPI 3.1 document of the JSON API, built from the routes' own schemas: the UI at
 * /api/docs, the document at /api/docs/json. Routes outside /api are left out. Served only when
 * `serve` (API_DOCS) is on; the shared error schema is registered either way, routes use it.
 */
export async function installOpenApi(app: FastifyInstance, publicUrl: string, serve: boolean): Promise<void> {
  app.addSchema(ErrorResponse);
  if (!serve) return;
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'OneCare API',
        version: '1',
        description:
          'JSON API of the OneCare member portal and back office. Every failure answers with `ErrorResponse` and a stable code; messages follow Accept-Language (Italian by default).',
      },
      servers: [{ url: publicUrl }],
      tags: [
        { name: 'portal', description: 'Public information about this portal' },
        { name: 'operations', description: 'Health and readiness' },
      ],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === 'string' ? json.$id : `def-${i}`,
    },
    transform: ({ schema, url }) => ({
      schema: url.startsWith('/api/') ? schema : { ...(schema ?? {}), hide: true },
      url,
    }),
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list', deepLinking: false },
  });
}
