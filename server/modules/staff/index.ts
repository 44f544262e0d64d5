import fp from 'fastify-plugin';
import { LoginThrottle } from '../auth/index.js';
import { StaffRepository } from './staff.repository.js';
import { staffRoutes } from './staff.routes.js';
import { staffAdminRoutes } from './staff-admin.routes.js';
import { StaffEnrolmentService } from './staff-enrolment.service.js';
import { StaffLoginService } from './staff-login.service.js';
import { StaffUsersService } from './staff-users.service.js';

export { STAFF_ROLES, type StaffRole } from './staff.table.js';
export type { StaffPrincipal } from './staff-login.service.js';

/**
 * What the rest of the server uses of the staff module: the staff guard reads the principal; the
 * command line and the demo data create users and enrolment links; the tests act as administrators.
 */
export type StaffApi = Pick<StaffLoginService, 'principal'> &
  Pick<StaffUsersService, 'create' | 'disable' | 'enable' | 'changeRole' | 'resetTwoFactor'> &
  Pick<StaffEnrolmentService, 'enrolmentLink'>;

declare module 'fastify' {
  interface FastifyInstance {
    staff: StaffApi;
  }
}

/**
 * The back office's users: enrolment (password + authenticator), login with two factors, the
 * staff session, and the administrators' management of staff users.
 */
export const staffModule = fp(
  async (app) => {
    const common = { db: app.db, clock: app.clock, audit: app.audit, sessions: app.sessions };
    const repository = new StaffRepository();
    const secret = app.config.sessionSecret;
    const enrolment = new StaffEnrolmentService({
      ...common,
      repository,
      secret,
      publicUrl: app.config.publicUrl.origin,
    });
    const users = new StaffUsersService({ ...common, repository, outbox: app.outbox, enrolment });
    const login = new StaffLoginService({
      ...common,
      repository,
      outbox: app.outbox,
      secret,
      throttle: new LoginThrottle(app.db, app.clock, app.captcha),
    });
    app.decorate('staff', {
      principal: (token, touch) => login.principal(token, touch),
      create: (input) => users.create(input),
      enrolmentLink: (username) => enrolment.enrolmentLink(username),
      disable: (actor, id, origin) => users.disable(actor, id, origin),
      enable: (actor, id, origin) => users.enable(actor, id, origin),
      changeRole: (actor, id, role, origin) => users.changeRole(actor, id, role, origin),
      resetTwoFactor: (actor, id, origin) => users.resetTwoFactor(actor, id, origin),
    } satisfies StaffApi);
    await app.register(staffRoutes, { enrolment, login });
    await app.register(staffAdminRoutes, { users });
  },
  {
    name: 'staff',
    dependencies: ['audit', 'captcha', 'auth'],
    decorators: { fastify: ['db', 'clock', 'config', 'outbox'] },
  },
);
