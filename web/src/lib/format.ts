import { isEmailAddress } from '#contracts/email.codes.js';

/** Formatting and checks shared by the forms; pure functions, tested in format.test.ts. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** `2026-03-09` or `2026-03-09T…` → `09/03/2026` (the date as written, no time-zone shift); anything else unchanged. */
export function formatDate(value: string): string {
  const match = ISO_DATE.exec(value);
  if (!match) return value;
  const [, year, month, day] = match;
  return `${day}/${month}/${year}`;
}

/** A real calendar day written `YYYY-MM-DD` (what `<input type="date">` gives). */
export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The server's own address rule, checked as the member types. */
export function looksLikeEmail(value: string): boolean {
  return isEmailAddress(value.trim());
}

/** Codice fiscale as typed → as sent: upper case, no spaces. */
export function normaliseCodiceFiscale(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

/** 16 letters and digits: the server checks the check character, omocodia and coherence. */
export function looksLikeCodiceFiscale(value: string): boolean {
  return /^[A-Z0-9]{16}$/.test(value);
}

/**
 * A wait in words, in the interface language: under two minutes in seconds, otherwise in minutes
 * (rounded up), e.g. "45 secondi", "3 minuti", "1 minute".
 */
export function formatWait(seconds: number, language: string): string {
  const safe = Math.max(1, Math.ceil(seconds));
  const [value, unit] = safe < 120 ? [safe, 'second'] : [Math.ceil(safe / 60), 'minute'];
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

/** `14:05`, the local clock time of an instant, for "your session ends at …". */
export function formatClockTime(epochMs: number, language: string): string {
  return new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hour12: false }).format(
    new Date(epochMs),
  );
}

/** `1:45`: minutes and seconds left, for a visible countdown. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** An instant (`2026-05-04T08:05:00Z`) as `04/05/2026 10:05` on the local clock; anything unreadable unchanged. */
export function formatDateTime(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getDate())}/${two(date.getMonth() + 1)}/${date.getFullYear()} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** A base32 key grouped by four for typing: `JBSW Y3DP EHPK 3PXP`. */
export function groupByFour(value: string): string {
  return value.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}
