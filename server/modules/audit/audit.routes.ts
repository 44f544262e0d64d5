import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AuditFilterQuery, AuditPage, AuditPageQuery } from '#contracts/audit.js';
import { errorResponses } from '#contracts/common.js';
import { originOf } from '../../plugins/request-context.js';
import type { AuditFilter } from './audit.repository.js';
import type { AuditService } from './audit.service.js';

const toFilter = (q: AuditFilterQuery): AuditFilter => ({
  actorId: q.actor,
  subjectId: q.member,
  event: q.event,
  from: q.from ? new Date(q.from).toISOString() : undefined,
  to: q.to ? new Date(q.to).toISOString() : undefined,
});

/** The audit trail for auditors and administrators (read only). */
export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/api/v1/staff/audit-events',
    {
      config: { access: { staff: ['auditor', 'administrator'] } },
      schema: {
        tags: ['staff'],
        summary: 'Audit events, newest first, by pages (cursors), filtered by actor, member, event and time',
        querystring: AuditPageQuery,
        response: { 200: AuditPage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit, cursor, ...filters } = request.query;
      return audit.page(app.db, toFilter(filters), limit, cursor);
    },
  );

  app.get(
    '/api/v1/staff/audit-events.csv',
    {
      config: { access: { staff: ['auditor', 'administrator'] } },
      schema: {
        tags: ['staff'],
        summary:
          'Every event matching the filters as CSV, streamed (semicolon-separated, safe against formula injection)',
        querystring: AuditFilterQuery,
        produces: ['text/csv'],
        response: { 200: Type.String(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const lines = await audit.exportCsv(app.db, toFilter(request.query), {
        staffId: request.staff?.staff.id ?? null,
        origin: originOf(request),
      });
      const day = app.clock.now().toISOString().slice(0, 10);
      // The schema says "a string" for the OpenAPI document; the body is that string, streamed.
      const body = Readable.from(lines) as unknown as string;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${day}.csv"`)
        .send(body);
    },
  );
};
