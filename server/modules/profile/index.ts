import fp from 'fastify-plugin';
import { DataExportService } from './data-export.service.js';
import { profileRoutes } from './profile.routes.js';
import { ProfileService } from './profile.service.js';

export type { DataExportService } from './data-export.service.js';
export { type AppointmentInput, appointmentResource, everythingBundle } from './fhir.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The members' data exports: the purge job deletes their expired files. */
    dataExports: DataExportService;
  }
}

/**
 * The member's own space (decisions 048–051): profile, IBAN, sessions, two-step verification,
 * access log, the yearly statement, the data export; and the FHIR R4 export for administrators.
 */
export const profileModule = fp(
  async (app) => {
    const profile = new ProfileService({
      db: app.db,
      clock: app.clock,
      outbox: app.outbox,
      audit: app.audit,
      sessions: app.sessions,
      twoFactor: app.memberTwoFactor,
    });
    const exports = new DataExportService({
      db: app.db,
      clock: app.clock,
      outbox: app.outbox,
      audit: app.audit,
      documents: app.documents,
      claims: app.claims,
      bookings: app.bookings,
      profile,
      secret: app.config.sessionSecret,
      log: app.log,
    });
    app.decorate('dataExports', exports);
    await app.register(profileRoutes, { profile, exports });
  },
  {
    name: 'profile',
    dependencies: ['audit', 'auth', 'claims', 'bookings'],
    decorators: { fastify: ['db', 'clock', 'config', 'outbox', 'documents'] },
  },
);
