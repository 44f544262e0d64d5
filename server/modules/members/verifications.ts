import { randomString, UNAMBIGUOUS } from '../../lib/random.js';
import { hashToken, newToken, safeEqual } from '../../lib/tokens.js';

/** Wrong tries after which a ticket or link is dead. */
export const MAX_FAILED_ATTEMPTS = 5;

/**
 * An activation ticket: 16 characters a person can read and type (no 0/O, 1/I/L), shown in groups
 * of four. The first six find the row; all sixteen are checked against the stored hash, and
 * wrong tries count against that row (≈ 49 bits stay secret after the lookup part).
 */
export function newTicket(): { ticket: string; lookup: string } {
  const raw = randomString(16, UNAMBIGUOUS);
  return { ticket: raw.match(/.{4}/g)?.join('-') ?? raw, lookup: raw.slice(0, 6) };
}

/** Uppercases and drops spaces and dashes; undefined when it cannot be a ticket at all. */
export function parseTicket(input: string): { normalized: string; lookup: string } | undefined {
  const normalized = input.toUpperCase().replace(/[\s-]/g, '');
  if (!new RegExp(`^[${UNAMBIGUOUS}]{16}$`).test(normalized)) return undefined;
  return { normalized, lookup: normalized.slice(0, 6) };
}

/** A link token: `<lookup>.<secret>`, both random; only the secret's keyed hash is stored. */
export function newLinkToken(): { token: string; lookup: string; secret: string } {
  const lookup = randomString(12, UNAMBIGUOUS.toLowerCase());
  const secret = newToken();
  return { token: `${lookup}.${secret}`, lookup, secret };
}

export function parseLinkToken(token: string): { lookup: string; secret: string } | undefined {
  const m = /^([a-z0-9]{12})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  return m?.[1] && m[2] ? { lookup: m[1], secret: m[2] } : undefined;
}

export function verificationHash(secretKey: string, value: string): string {
  return hashToken(secretKey, value);
}

export function matchesHash(secretKey: string, value: string, storedHash: string): boolean {
  return safeEqual(hashToken(secretKey, value), storedHash);
}
