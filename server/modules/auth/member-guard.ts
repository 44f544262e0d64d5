import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import type { MemberPrincipal } from './auth.service.js';
import { clearSessionCookie, readSessionToken } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    member?: MemberPrincipal;
  }
}

export interface GuardOptions {
  /** Routes a member with a temporary password may use (change it, log out, session). */
  allowPendingPasswordChange?: boolean;
  /** Read the session without extending it (the page polling for the expiry). */
  touch?: boolean;
}

/** preValidation hook for member routes: a live member session, or 401; a pending password change, or 403. */
export function requireMember(options: GuardOptions = {}) {
  return async function memberGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const app = request.server;
    const principal = await app.auth.principal(readSessionToken(request, app.config), options.touch ?? true);
    if (!principal) {
      clearSessionCookie(reply, app.config);
      throw new AppError('UNAUTHENTICATED');
    }
    if (principal.account.must_change_password === 1 && !options.allowPendingPasswordChange) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED');
    }
    request.member = principal;
  };
}

export function member(request: FastifyRequest): MemberPrincipal {
  if (!request.member) throw new AppError('UNAUTHENTICATED');
  return request.member;
}
