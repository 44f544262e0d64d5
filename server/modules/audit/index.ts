import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../../contracts/common.js';
import { AuditRepository } from './audit.repository.js';

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
        querystring: Type.Object({
          actor: Type.Optional(Type.String({ maxLength: 64 })),
          member: Type.Optional(Type.String({ maxLength: 64 })),
          event: Type.Optional(Type.String({ maxLength: 64 })),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: { 200: Type.Object({ events: Type.Array(AuditEvent) }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query;
      const rows = await repository.list(app.db, {
        actorId: q.actor,
        subjectId: q.member,
        event: q.event,
        from: q.from ? new Date(q.from).toISOString() : undefined,
        to: q.to ? new Date(q.to).toISOString() : undefined,
        limit: q.limit,
      });
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
};
