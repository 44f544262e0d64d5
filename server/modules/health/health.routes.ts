import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ping } from '../../db/database.js';
import { pendingMigrations } from '../../db/migrator.js';

const Status = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.String())),
});

/**
 * /healthz: the process answers. /readyz: the process is not shutting down, the database answers
 * and every migration is applied. A draining process stays healthy (it is finishing its work) but
 * is no longer ready: the load balancer takes it out of rotation before it stops listening.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], response: { 200: Status } } },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return { status: 'ok' };
    },
  );

  app.get(
    '/readyz',
    { schema: { tags: ['operations'], response: { 200: Status, 503: Status } } },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      if (app.lifecycle.draining)
        return reply.code(503).send({ status: 'unavailable', checks: { shutdown: 'draining' } });
      try {
        await ping(app.db);
      } catch (err) {
        request.log.warn({ err: { message: (err as Error).message } }, 'database not reachable');
        return reply.code(503).send({ status: 'unavailable', checks: { database: 'unreachable' } });
      }
      const pending = await pendingMigrations(app.database);
      if (pending.length > 0) {
        return reply.code(503).send({
          status: 'unavailable',
          checks: { database: 'ok', migrations: `${pending.length} pending` },
        });
      }
      return { status: 'ok', checks: { database: 'ok', migrations: 'ok' } };
    },
  );
};
