import fp from 'fastify-plugin';
import { MembersRepository } from '../members/index.js';
import { authRoutes } from './auth.routes.js';
import { AuthService, type MemberPrincipal } from './auth.service.js';
import { LoginThrottle } from './login-throttle.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { MemberTwoFactor } from './two-factor.js';

export { failureNotice, lockDurationMs, lockEnd } from './account-lock.js';
export { type MemberPrincipal, memberLockEnd } from './auth.service.js';
export { LoginThrottle, THROTTLE_MEMORY_MS } from './login-throttle.js';
export { blocklistSize, checkPassword, passwordProblem } from './password-policy.js';
export { SESSION_POLICY, type Session, type SessionsService } from './sessions.service.js';
export { type MemberTwoFactor, problem } from './two-factor.js';
export type { MemberTokenPurpose } from './two-factor.table.js';

/** What the member guard needs: the member behind a session token. */
export interface MemberAuthentication {
  principal(token: string | undefined, touch?: boolean): Promise<MemberPrincipal | undefined>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Server-side sessions of members and staff (one table, one cookie each). */
    sessions: SessionsService;
    /** The member behind a session token, for the member guard (plugins/route-access). */
    auth: MemberAuthentication;
    /** The members' authenticator and the one-time tokens of their space (decision 049). */
    memberTwoFactor: MemberTwoFactor;
  }
}

/**
 * Authentication: the sessions every signed-in user has (`app.sessions`), and the members' login,
 * session, password change and recovery. Registered after members (the accounts) and before staff.
 */
export const authModule = fp(
  async (app) => {
    const sessions = new SessionsService(
      app.db,
      new SessionsRepository(),
      app.clock,
      app.config.sessionSecret,
    );
    const twoFactor = new MemberTwoFactor({
      db: app.db,
      clock: app.clock,
      audit: app.audit,
      secret: app.config.sessionSecret,
    });
    const auth = new AuthService({
      twoFactor,
      db: app.db,
      clock: app.clock,
      outbox: app.outbox,
      audit: app.audit,
      captcha: app.captcha,
      repository: new MembersRepository(),
      sessions,
      throttle: new LoginThrottle(app.db, app.clock, app.captcha),
      secret: app.config.sessionSecret,
    });
    app.decorate('sessions', sessions);
    app.decorate('memberTwoFactor', twoFactor);
    app.decorate('auth', {
      principal: (token, touch) => auth.principal(token, touch),
    } satisfies MemberAuthentication);
    await app.register(authRoutes, { auth });
  },
  {
    name: 'auth',
    dependencies: ['audit', 'captcha', 'members'],
    decorators: { fastify: ['db', 'clock', 'config', 'outbox'] },
  },
);
