/** How claims' values are shown and sent back: masked IBANs, file names. Pure. */

/** `IT** **** … 4567`: the country, then only the last four characters. */
export function maskIban(iban: string | null): string {
  if (!iban) return '';
  return `${iban.slice(0, 2)}** **** … ${iban.slice(-4)}`;
}

/**
 * A file name safe to show and to send back in Content-Disposition: no path, no control
 * characters, no bidirectional overrides (`fattura\u202Efdp.exe` would read `fatturaexe.pdf`).
 */
export function displayName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = base.replace(/[\u0000-\u001f\u007f"\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return clean.slice(0, 200) || 'documento';
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266; or `inline`, shown in the page): an ASCII fallback with anything
 * outside printable ASCII, quotes, backslashes and semicolons replaced, and the name as typed,
 * percent-encoded. Nothing of the name can end the header or add another.
 */
export function contentDisposition(
  name: string,
  disposition: 'attachment' | 'inline' = 'attachment',
): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
