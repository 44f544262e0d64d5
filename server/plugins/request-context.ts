import type { FastifyRequest } from 'fastify';
import type { Locale } from '#contracts/errors.codes.js';

/** Where a request came from, for the audit trail (never for logs). */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

export function originOf(request: FastifyRequest): RequestOrigin {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua.slice(0, 200) : null };
}

/** The language the caller reads: English when the first Accept-Language is English, else Italian. */
export function requestLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return 'it';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'it';
}
