import fp from 'fastify-plugin';
import { AuditRepository } from './audit.repository.js';
import { auditRoutes } from './audit.routes.js';
import { AuditService } from './audit.service.js';

export type { AuditEntry, AuditService } from './audit.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The security audit trail: every module records its events through it, in its own transaction. */
    audit: AuditService;
  }
}

/**
 * The audit trail: `app.audit` for every module that records events, and the auditors' pages and
 * CSV export. Registered before the modules that record.
 */
export const auditModule = fp(
  async (app) => {
    const audit = new AuditService(new AuditRepository(), app.clock);
    app.decorate('audit', audit);
    await app.register(auditRoutes, { audit });
  },
  { name: 'audit', decorators: { fastify: ['db', 'clock'] } },
);
