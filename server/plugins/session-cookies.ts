import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.js';

/**
 * The member session cookie: HttpOnly, SameSite=Lax, Path=/; over HTTPS also Secure with the
 * __Host- prefix (no Domain, so no subdomain can set or read it). It lives as long as the browser
 * session; the server enforces idle and absolute timeouts.
 */
export function sessionCookieName(config: AppConfig): string {
  return config.publicUrl.protocol === 'https:' ? '__Host-onecare_session' : 'onecare_session';
}

export function setSessionCookie(reply: FastifyReply, config: AppConfig, token: string): void {
  reply.setCookie(sessionCookieName(config), token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: config.publicUrl.protocol === 'https:',
  });
}

export function clearSessionCookie(reply: FastifyReply, config: AppConfig): void {
  reply.clearCookie(sessionCookieName(config), { path: '/', secure: config.publicUrl.protocol === 'https:' });
}

export function readSessionToken(request: FastifyRequest, config: AppConfig): string | undefined {
  const value = request.cookies[sessionCookieName(config)];
  return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
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
