import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random secret for a cookie or an emailed link: 256 bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the database keeps of a token: a keyed hash. A copy of the database alone lets nobody
 * use or test a token, since the key (SESSION_SECRET) is not in it.
 */
export function hashToken(secret: string, token: string): string {
  return createHmac('sha256', secret).update(token, 'utf8').digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
