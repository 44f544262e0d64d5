import type { Locale } from '#contracts/errors.js';

/** "15 minuti", "1 ora", "16 ore" / "15 minutes", "1 hour", "16 hours". */
export function durationText(minutes: number, locale: Locale): string {
  if (minutes < 60) return locale === 'it' ? `${minutes} minuti` : `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (locale === 'it') return hours === 1 ? '1 ora' : `${hours} ore`;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}
