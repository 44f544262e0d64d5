import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../../config/config.js';
import { AppError } from '../../errors/app-error.js';
import type { StaffPrincipal } from './staff.service.js';
import type { StaffRole } from './staff.table.js';

/** Who may call a route. Declared on every API route (`config.access`) and enforced centrally for staff. */
export type RouteAccess = 'public' | 'member' | { staff: readonly StaffRole[] | 'any'; touch?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    staff?: StaffPrincipal;
  }
}

/**
 * The back office has its own cookie: a member's session cookie means nothing here, and a staff
 * cookie means nothing on member routes.
 */
export function staffCookieName(config: AppConfig): string {
  return config.publicUrl.protocol === 'https:' ? '__Host-onecare_staff' : 'onecare_staff';
}

export function setStaffCookie(reply: FastifyReply, config: AppConfig, token: string): void {
  reply.setCookie(staffCookieName(config), token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: config.publicUrl.protocol === 'https:',
  });
}

export function clearStaffCookie(reply: FastifyReply, config: AppConfig): void {
  reply.clearCookie(staffCookieName(config), { path: '/', secure: config.publicUrl.protocol === 'https:' });
}

export function readStaffToken(request: FastifyRequest, config: AppConfig): string | undefined {
  const value = request.cookies[staffCookieName(config)];
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
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

export function staffOf(request: FastifyRequest): StaffPrincipal {
  if (!request.staff) throw new AppError('UNAUTHENTICATED');
  return request.staff;
}
