import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../../contracts/common.js';
import { csvLine } from '../../lib/csv.js';
import { AuditRepository } from './audit.repository.js';
import { originOf } from './audit.service.js';

const AuditEvent = Type.Object({
  id: Type.String(),
  occurredAt: Type.String(),
  event: Type.String(),
  outcome: Type.String(),
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
});

const Filter = (max: number, fallback: number) =>
  Type.Object({
    actor: Type.Optional(Type.String({ maxLength: 64 })),
    member: Type.Optional(Type.String({ maxLength: 64 })),
    event: Type.Optional(Type.String({ maxLength: 64 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Integer({ minimum: 1, maximum: max, default: fallback }),
  });

type FilterQuery = {
  actor?: string;
  member?: string;
  event?: string;
  from?: string;
  to?: string;
  limit: number;
};
const toFilter = (q: FilterQuery) => ({
  actorId: q.actor,
  subjectId: q.member,
  event: q.event,
  from: q.from ? new Date(q.from).toISOString() : undefined,
  to: q.to ? new Date(q.to).toISOString() : undefined,
  limit: q.limit,
});

/** The audit trail for auditors and administrators (read only). */
export const auditModule: FastifyPluginAsyncTypebox = async (app) => {
  const repository = new AuditRepository();
  app.get(
    '/api/v1/staff/audit-events',
    {
      config: { access: { staff: ['auditor', 'administrator'] } },
      schema: {
        tags: ['staff'],
        summary: 'Audit events, newest first, filtered by actor, member, event and time',
        querystring: Filter(500, 100),
        response: { 200: Type.Object({ events: Type.Array(AuditEvent) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const rows = await repository.list(app.db, toFilter(request.query));
      return {
        events: rows.map((r) => ({
          id: r.id,
          occurredAt: r.occurred_at,
          event: r.event,
          outcome: r.outcome,
          actorType: r.actor_type,
          actorId: r.actor_id,
          subjectId: r.subject_id,
          ip: r.ip,
          details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : null,
        })),
      };
    },
  );

  app.get(
    '/api/v1/staff/audit-events.csv',
    {
      config: { access: { staff: ['auditor', 'administrator'] } },
      schema: {
        tags: ['staff'],
        summary: 'The same events as CSV (semicolon-separated, safe against formula injection)',
        querystring: Filter(50_000, 10_000),
        produces: ['text/csv'],
        response: { 200: Type.String(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const rows = await repository.list(app.db, toFilter(request.query));
      await app.audit.record(app.db, originOf(request), {
        event: 'audit_export',
        outcome: 'success',
        actorType: 'staff',
        actorId: request.staff?.staff.id ?? null,
        details: { rows: rows.length },
      });
      const header = csvLine([
        'occurred_at',
        'event',
        'outcome',
        'actor_type',
        'actor_id',
        'subject_id',
        'ip',
        'details',
      ]);
      const body = rows
        .map((r) =>
          csvLine([
            r.occurred_at,
            r.event,
            r.outcome,
            r.actor_type,
            r.actor_id,
            r.subject_id,
            r.ip,
            r.details,
          ]),
        )
        .join('');
      const day = app.clock.now().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${day}.csv"`)
        .send(`\uFEFF${header}${body}`);
    },
  );
};
