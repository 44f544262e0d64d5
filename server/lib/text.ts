/** Folds a name for comparison: accents removed, upper case, only letters (spaces, apostrophes, dashes ignored). */
export function foldName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

export function normalizeEmail(value: string): string {
  return value.trim().toLowerCase();
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Today's date in Italy (YYYY-MM-DD), where coverage dates live. */
export function italianToday(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(now);
}

/**
 * A card number (numero di tessera) as stored and compared: upper case, without spaces or dashes,
 * which people add or leave out when they copy it from the card.
 */
export function normalizeCardNumber(value: string): string {
  return value.replace(/[\s-]+/g, '').toUpperCase();
}

/** A normalised card number: 4 to 40 letters and digits, with dots or slashes inside. */
export function isCardNumber(value: string): boolean {
  return /^[A-Z0-9][A-Z0-9./]{2,38}[A-Z0-9]$/.test(value);
}
