/**
 * Text and amounts as a SEPA credit transfer file may carry them (EPC's basic Latin set). Pure.
 */

/** Letters that have no decomposition into a base letter and an accent. */
const LETTERS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
  ŀ: 'l',
  Ŀ: 'L',
  ŋ: 'n',
  Ŋ: 'N',
  ĸ: 'k',
  // Punctuation people type for the allowed ones.
  '\u2018': "'",
  '\u2019': "'",
  '\u02bc': "'",
  '`': "'",
  '´': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  _: '-',
  '&': '+',
};

/** Anything outside the set: a-z A-Z 0-9 / - ? : ( ) . , ' + and space. */
const OUTSIDE_SET = /[^A-Za-z0-9/?:().,'+ -]/g;

/**
 * Text in the SEPA character set: accents dropped ("Niccolò Çelik" → "Niccolo Celik"), letters
 * without a decomposition spelt out (ß → ss), anything else outside the set replaced by a space;
 * spaces collapsed and trimmed; then cut to `max` characters.
 */
export function sepaText(value: string, max: number): string {
  const latin = [...value.normalize('NFKC')]
    .map((c) => LETTERS[c] ?? c)
    .join('')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
  return latin.replace(OUTSIDE_SET, ' ').replace(/\s+/g, ' ').trim().slice(0, max).trim();
}

/** Integer cents → `1234.50`: two decimals, a point, no grouping; computed on integers. */
export function sepaAmount(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0)
    throw new RangeError(`cents must be a whole number ≥ 0: ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
