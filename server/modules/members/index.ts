import fp from 'fastify-plugin';
import { MembersRepository } from './members.repository.js';
import { membersRoutes } from './members.routes.js';
import { MembersService } from './members.service.js';
import { RegistrationService } from './registration.service.js';

export {
  type CfProblem,
  generateCodiceFiscale,
  nameCode,
  normalizeCf,
  surnameCode,
  validateCodiceFiscale,
} from './codice-fiscale.js';
export { MembersRepository } from './members.repository.js';
export type { MembersService } from './members.service.js';
export type { MemberAccount } from './members.table.js';
export { fieldError } from './messages.js';
export type { RegistrationService } from './registration.service.js';
export {
  MAX_FAILED_ATTEMPTS,
  matchesHash,
  newLinkToken,
  parseLinkToken,
  verificationHash,
} from './verifications.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Registration and activation; the registry's back office resends activation tickets through it. */
    registration: RegistrationService;
    /** The member's own data and the purge of dead member rows (the scheduled purge calls it). */
    members: MembersService;
  }
}

/**
 * Members: registration against the registry, activation with the emailed ticket, the back
 * office's queue of registrations to confirm, and the member's own data.
 */
export const membersModule = fp(
  async (app) => {
    const repository = new MembersRepository();
    const registration = new RegistrationService({
      db: app.db,
      clock: app.clock,
      outbox: app.outbox,
      audit: app.audit,
      captcha: app.captcha,
      repository,
      secret: app.config.sessionSecret,
    });
    const members = new MembersService(app.db, repository);
    app.decorate('registration', registration);
    app.decorate('members', members);
    await app.register(membersRoutes, { members, registration });
  },
  {
    name: 'members',
    dependencies: ['audit', 'captcha'],
    decorators: { fastify: ['db', 'clock', 'config', 'outbox'] },
  },
);
