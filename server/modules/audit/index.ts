import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AuditFilterQuery, AuditPage, AuditPageQuery } from '#contracts/audit.js';
import { errorResponses } from '#contracts/common.js';
import { csvLine } from '../../lib/csv.js';
import { originOf } from '../../plugins/request-context.js';
import type { AuditFilter } from './audit.repository.js';
import type { AuditEvent } from './audit.table.js';

const toFilter = (q: AuditFilterQuery): AuditFilter => ({
  actorId: q.actor,
  subjectId: q.member,
  event: q.event,
  from: q.from ? new Date(q.from).toISOString() : undefined,
  to: q.to ? new Date(q.to).toISOString() : undefined,
});

const CSV_COLUMNS = [
  'occurred_at',
  'event',
  'outcome',
  'actor_type',
  'actor_id',
  'subject_id',
  'ip',
  'details',
] as const;

/** The CSV text, line by line as the rows arrive: a byte-order mark and the header first. */
async function* csvLines(rows: AsyncIterable<AuditEvent>): AsyncGenerator<string> {
  yield `\uFEFF${csvLine([...CSV_COLUMNS])}`;
  for await (const r of rows)
    yield csvLine([
      r.occurred_at,
      r.event,
      r.outcome,
      r.actor_type,
      r.actor_id,
      r.subject_id,
      r.ip,
      r.details,
    ]);
}

/** The audit trail for auditors and administrators (read only). */
export const auditModule: FastifyPluginAsyncTypebox = async (app) => {
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
      return app.audit.page(app.db, toFilter(filters), limit, cursor);
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
      const filter = toFilter(request.query);
      // Recorded before the first row is read: an export cut short is still on the record.
      await app.audit.record(app.db, originOf(request), {
        event: 'audit_export',
        outcome: 'success',
        actorType: 'staff',
        actorId: request.staff?.staff.id ?? null,
        details: {
          actor: filter.actorId ?? null,
          member: filter.subjectId ?? null,
          event: filter.event ?? null,
          from: filter.from ?? null,
          to: filter.to ?? null,
        },
      });
      const day = app.clock.now().toISOString().slice(0, 10);
      // The schema says "a string" for the OpenAPI document; the body is that string, streamed.
      const body = Readable.from(csvLines(app.audit.exportRows(app.db, filter))) as unknown as string;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${day}.csv"`)
        .send(body);
    },
  );
};

export type { AuditService } from './audit.service.js';
