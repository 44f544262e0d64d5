/**
 * Money and percentages as integer hundredths (cents, basis points), read from and written as the
 * digits people type: never through floating point. Shared by the plan editor and the claims.
 */

function separators(language: string): { group: string; decimal: string } {
  return language.startsWith('en') ? { group: ',', decimal: '.' } : { group: '.', decimal: ',' };
}

/**
 * A number written with at most two decimals ("4.000,00", "12,5", "40" in Italian; "4,000.00" in
 * English) → the integer hundredths (400000, 1250, 4000), read from the digits: no floating point.
 * Spaces, "€" and "%" are ignored. Null when it is not such a number.
 */
export function parseHundredths(input: string, language: string): number | null {
  const text = input.replace(/[\s\u00a0€%]/g, '');
  const { group, decimal } = separators(language);
  const pattern = new RegExp(`^(\\d{1,3}(?:\\${group}\\d{3})+|\\d+)(?:\\${decimal}(\\d{1,2}))?$`);
  const match = pattern.exec(text);
  if (!match?.[1]) return null;
  const whole = match[1].split(group).join('');
  const value = Number(`${whole}${(match[2] ?? '').padEnd(2, '0')}`);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * An amount as a person types it: in the interface language's format, and in the Italian
 * one in any language ("1.234,50", as on the invoices), when that reading is the only one.
 */
export function parseAmount(input: string, language: string): number | null {
  const value = parseHundredths(input, language);
  if (value !== null || !language.startsWith('en')) return value;
  return parseHundredths(input, 'it');
}

/** Integer hundredths → "4.000,00" (it) / "4,000.00" (en); `trim` drops zero decimals ("20", "12,5"). */
export function formatHundredths(value: number, language: string, trim = false): string {
  const { group, decimal } = separators(language);
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(value));
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  let fraction = String(abs % 100).padStart(2, '0');
  if (trim) fraction = fraction.replace(/0+$/, '');
  return fraction ? `${sign}${whole}${decimal}${fraction}` : `${sign}${whole}`;
}

/** Cents → "50,00 €" (it) / "€50.00" (en). */
export function formatEuro(cents: number, language: string): string {
  const amount = formatHundredths(cents, language);
  return language.startsWith('en') ? `€${amount}` : `${amount} €`;
}

/** Basis points → "20 %" (it) / "20%" (en). */
export function formatPercent(basisPoints: number, language: string): string {
  const amount = formatHundredths(basisPoints, language, true);
  return language.startsWith('en') ? `${amount}%` : `${amount} %`;
}
