import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '#contracts/staff.codes.js';
import { AppError } from '../errors/app-error.js';
import type { MemberPrincipal } from '../modules/auth/index.js';
import type { StaffPrincipal } from '../modules/staff/index.js';
import { clearSessionCookie, clearStaffCookie, readSessionToken, readStaffToken } from './session-cookies.js';

export interface MemberAccess {
  /** Routes a member with a temporary password may use (change it, log out, session). */
  allowPendingPasswordChange?: boolean;
  /** Read the session without extending it (the page polling for the expiry). */
  touch?: boolean;
}

/**
 * Who may call a route, declared on every API route (`config.access`, decision 017) and enforced
 * here, centrally: a route cannot be added without saying who may call it, and its guard comes
 * from that declaration, not from the route's own code.
 */
export type RouteAccess =
  | 'public'
  | 'member'
  | { member: MemberAccess }
  | { staff: readonly StaffRole[] | 'any'; touch?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    member?: MemberPrincipal;
    staff?: StaffPrincipal;
  }
  interface FastifyInstance {
    /** Every route with who may call it: what the authorization tests walk through. */
    routeCatalog: { method: string; url: string; access: RouteAccess | undefined }[];
  }
}

/** preValidation hook for member routes: a live member session, or 401; a pending password change, or 403. */
export function requireMember(options: MemberAccess = {}) {
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

/** preValidation hook: a live staff session (401) whose role is allowed on this route (403). */
export function requireStaff(roles: readonly StaffRole[] | 'any', touch = true) {
  return async function staffGuard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const app = request.server;
    const principal = await app.staff.principal(readStaffToken(request, app.config), touch);
    if (!principal) {
      clearStaffCookie(reply, app.config);
      throw new AppError('UNAUTHENTICATED');
    }
    if (roles !== 'any' && !roles.includes(principal.staff.role)) throw new AppError('FORBIDDEN');
    request.staff = principal;
  };
}

/** The member a guarded route serves. */
export function member(request: FastifyRequest): MemberPrincipal {
  if (!request.member) throw new AppError('UNAUTHENTICATED');
  return request.member;
}

/** The staff user a guarded route serves. */
export function staffOf(request: FastifyRequest): StaffPrincipal {
  if (!request.staff) throw new AppError('UNAUTHENTICATED');
  return request.staff;
}

/** True for the declarations of member routes ('member' or `{ member: … }`). */
export function isMemberAccess(access: RouteAccess | undefined): boolean {
  return access === 'member' || (typeof access === 'object' && 'member' in access);
}

/**
 * Records every route in `app.routeCatalog` and puts the guard its access declares in front of
 * its own hooks, before validation: a caller without the right session learns nothing about the
 * input expected.
 */
export function installRouteAccess(app: FastifyInstance): void {
  const catalog: FastifyInstance['routeCatalog'] = [];
  app.decorate('routeCatalog', catalog);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    for (const method of [route.method].flat()) catalog.push({ method, url: route.url, access });
    let guard: ReturnType<typeof requireMember> | undefined;
    if (access === 'member') guard = requireMember();
    else if (access && typeof access === 'object')
      guard =
        'member' in access ? requireMember(access.member) : requireStaff(access.staff, access.touch ?? true);
    if (!guard) return;
    const existing = route.preValidation ? [route.preValidation].flat() : [];
    route.preValidation = [guard, ...existing];
  });
}
