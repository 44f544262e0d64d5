import fp from 'fastify-plugin';
import { LoginThrottle } from '../auth/index.js';
import { StaffRepository } from './staff.repository.js';
import { staffRoutes } from './staff.routes.js';
import { StaffService } from './staff.service.js';
import { staffAdminRoutes } from './staff-admin.routes.js';

export type { StaffPrincipal, StaffService } from './staff.service.js';
export { STAFF_ROLES, type StaffRole } from './staff.table.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Staff users: the staff guard reads the principal; the command line creates users and links. */
    staff: StaffService;
  }
}

/**
 * The back office's users: enrolment (password + authenticator), login with two factors, the
 * staff session, and the administrators' management of staff users.
 */
export const staffModule = fp(
  async (app) => {
    const staff = new StaffService({
      db: app.db,
      clock: app.clock,
      audit: app.audit,
      sessions: app.sessions,
      throttle: new LoginThrottle(app.db, app.clock, app.captcha),
      repository: new StaffRepository(),
      outbox: app.outbox,
      secret: app.config.sessionSecret,
      publicUrl: app.config.publicUrl.origin,
    });
    app.decorate('staff', staff);
    await app.register(staffRoutes, { staff });
    await app.register(staffAdminRoutes, { staff });
  },
  {
    name: 'staff',
    dependencies: ['audit', 'captcha', 'auth'],
    decorators: { fastify: ['db', 'clock', 'config', 'outbox'] },
  },
);
