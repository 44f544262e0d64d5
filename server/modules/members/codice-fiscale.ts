/**
 * Italian codice fiscale for natural persons (DM 23/12/1976, from DPR 605/1973 and DM 12/03/1974).
 *
 * Layout of the 16 characters (0-based positions):
 *   0-2 surname · 3-5 given name · 6-7 year (YY) · 8 month letter · 9-10 day (+40 for women)
 *   11-14 Belfiore place code (letter + 3 digits) · 15 check character.
 * Omocodia: when two people would get the same code, the Agenzia delle Entrate replaces the digits
 * of positions 14, 13, 12, 10, 9, 7, 6 (rightmost first) with the letters L M N P Q R S T U V
 * (for 0-9) and recomputes the check character.
 *
 * Pure functions, no municipality table: the place code is only checked for syntax.
 */

export type CfProblem =
  | 'malformed'
  | 'check_character'
  | 'incoherent_surname'
  | 'incoherent_name'
  | 'incoherent_birth_date';

const MONTH_LETTERS = 'ABCDEHLMPRST';
const OMOCODIA_LETTERS = 'LMNPQRSTUV';
/** The seven numeric positions, rightmost first (the order in which omocodia replaces them). */
const NUMERIC_POSITIONS = [14, 13, 12, 10, 9, 7, 6] as const;
const SYNTAX = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/;
const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);
/** Values of characters in odd (1st, 3rd, … 15th) positions; digits take the value of A-J. */
const ODD_VALUES = [
  1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];
/** Letters that Unicode decomposition does not fold to A-Z. */
const SPECIAL_LETTERS: Record<string, string> = {
  Æ: 'AE',
  Œ: 'OE',
  Ø: 'O',
  Ð: 'D',
  Đ: 'D',
  Ł: 'L',
  Þ: 'TH',
  ẞ: 'SS',
};

/** Uppercases and removes spaces. */
export function normalizeCf(input: string): string {
  // Most codes arrive already clean: return them as they are, without building new strings.
  if (!NOT_NORMAL.test(input)) return input;
  return input.replace(/\s+/g, '').toUpperCase();
}
/** Whitespace, lower case or anything beyond ASCII: the code needs normalizing (or is not one). */
const NOT_NORMAL = /[\sa-z\u0080-\uffff]/;

/** Folds accents (À→A, Ç→C …), uppercases and keeps only the letters A-Z (apostrophes, spaces dropped). */
function foldLetters(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[ÆŒØÐĐŁÞẞ]/g, (c) => SPECIAL_LETTERS[c] ?? '')
    .replace(/[^A-Z]/g, '');
}

function splitLetters(text: string): { consonants: string[]; vowels: string[] } {
  const consonants: string[] = [];
  const vowels: string[] = [];
  for (const c of foldLetters(text)) (VOWELS.has(c) ? vowels : consonants).push(c);
  return { consonants, vowels };
}

/** 3 letters: consonants in order, then vowels in order, then X padding. */
export function surnameCode(surname: string): string {
  const { consonants, vowels } = splitLetters(surname);
  return [...consonants, ...vowels, 'X', 'X', 'X'].slice(0, 3).join('');
}

/** Like the surname, except that with 4 or more consonants the 1st, 3rd and 4th are taken. */
export function nameCode(name: string): string {
  const { consonants, vowels } = splitLetters(name);
  if (consonants.length >= 4) return `${consonants[0]}${consonants[2]}${consonants[3]}`;
  return [...consonants, ...vowels, 'X', 'X', 'X'].slice(0, 3).join('');
}

function charIndex(c: string): number {
  const code = c.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 65; // '0'-'9' → 0-9, 'A'-'Z' → 0-25
}

/** Check character of the first 15 characters (uppercase A-Z / 0-9). */
export function checkCharacter(first15: string): string {
  const s = normalizeCf(first15);
  if (!FIFTEEN.test(s)) throw new RangeError('checkCharacter needs 15 characters A-Z or 0-9');
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const v = charIndex(s.charAt(i));
    // Positions are counted from 1: odd positions are the even indexes.
    sum += i % 2 === 0 ? (ODD_VALUES[v] as number) : v;
  }
  return String.fromCharCode(65 + (sum % 26));
}

const FIFTEEN = /^[A-Z0-9]{15}$/;

/** Replaces omocodia letters with digits in the seven numeric positions. */
function decodeOmocodia(first15: string): string {
  if (!hasOmocodia(first15)) return first15;
  const chars = first15.split('');
  for (const pos of NUMERIC_POSITIONS) {
    const i = OMOCODIA_LETTERS.indexOf(chars[pos] as string);
    if (i >= 0) chars[pos] = String(i);
  }
  return chars.join('');
}

/** Whether a letter stands for a digit in one of the seven numeric positions (rare: homonyms). */
function hasOmocodia(first15: string): boolean {
  for (const pos of NUMERIC_POSITIONS) {
    const c = first15.charCodeAt(pos);
    if (c < 48 || c > 57) return true;
  }
  return false;
}

interface ParsedCf {
  cf: string;
  canonical: string;
  checkOk: boolean;
  sex: 'M' | 'F';
  birthYY: number;
  birthMonth: number;
  birthDay: number;
}

function parse(input: string): ParsedCf | null {
  const cf = normalizeCf(input);
  if (!SYNTAX.test(cf)) return null;
  const first15 = cf.slice(0, 15);
  const decoded = decodeOmocodia(first15);
  const birthMonth = MONTH_LETTERS.indexOf(decoded.charAt(8)) + 1;
  const rawDay = Number(decoded.slice(9, 11));
  const female = rawDay > 40;
  const birthDay = female ? rawDay - 40 : rawDay;
  if (birthMonth < 1 || birthDay < 1 || birthDay > 31 || (rawDay > 31 && rawDay < 41)) return null;
  const check = checkCharacter(first15);
  return {
    cf,
    canonical: decoded === first15 ? first15 + check : decoded + checkCharacter(decoded),
    checkOk: check === cf.charAt(15),
    sex: female ? 'F' : 'M',
    birthYY: Number(decoded.slice(6, 8)),
    birthMonth,
    birthDay,
  };
}

/** Syntax (16 chars, omocodia letters LMNPQRSTUV allowed in the 7 numeric positions), valid month letter, day 1-31 or 41-71, check character. */
export function validateCodiceFiscale(input: string):
  | {
      ok: true;
      cf: string;
      canonical: string;
      sex: 'M' | 'F';
      birthYY: number;
      birthMonth: number;
      birthDay: number;
    }
  | { ok: false; problem: 'malformed' | 'check_character' } {
  const parsed = parse(input);
  if (!parsed) return { ok: false, problem: 'malformed' };
  if (!parsed.checkOk) return { ok: false, problem: 'check_character' };
  const { cf, canonical, sex, birthYY, birthMonth, birthDay } = parsed;
  return { ok: true, cf, canonical, sex, birthYY, birthMonth, birthDay };
}

/** Parses a real calendar date YYYY-MM-DD, or null. */
function parseIsoDate(date: string): { year: number; month: number; day: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/**
 * Coherence of a valid code with surname, given name and birth date (YYYY-MM-DD); sex comes from the day.
 * Returns [] when coherent, else the problems found. A malformed code gives only ['malformed']; a wrong
 * check character gives 'check_character' first, followed by any incoherent fields. Names: accents folded
 * (À→A etc.), apostrophes, spaces and other non-letters ignored, case-insensitive. Omocodic codes are
 * compared after decoding. A birth date that is not a real YYYY-MM-DD date is incoherent.
 */
export function checkCoherence(
  input: string,
  person: { surname: string; name: string; birthDate: string },
): CfProblem[] {
  const parsed = parse(input);
  if (!parsed) return ['malformed'];
  const problems: CfProblem[] = [];
  if (!parsed.checkOk) problems.push('check_character');
  if (surnameCode(person.surname) !== parsed.cf.slice(0, 3)) problems.push('incoherent_surname');
  if (nameCode(person.name) !== parsed.cf.slice(3, 6)) problems.push('incoherent_name');
  const date = parseIsoDate(person.birthDate);
  if (
    !date ||
    date.year % 100 !== parsed.birthYY ||
    date.month !== parsed.birthMonth ||
    date.day !== parsed.birthDay
  ) {
    problems.push('incoherent_birth_date');
  }
  return problems;
}

/**
 * Builds a valid code (for demo data, tests and benchmarks). placeCode is the 4-char Belfiore code
 * (e.g. 'H501' Roma, 'F205' Milano). omocodia: how many of the rightmost numeric positions to replace (0-7).
 * Throws RangeError on an impossible date, a malformed place code or omocodia outside 0-7.
 */
export function generateCodiceFiscale(p: {
  surname: string;
  name: string;
  birthDate: string;
  sex: 'M' | 'F';
  placeCode: string;
  omocodia?: number;
}): string {
  const date = parseIsoDate(p.birthDate);
  if (!date) throw new RangeError(`Invalid birth date: ${p.birthDate}`);
  const place = p.placeCode.trim().toUpperCase();
  if (!/^[A-Z]\d{3}$/.test(place)) throw new RangeError(`Invalid place code: ${p.placeCode}`);
  const omocodia = p.omocodia ?? 0;
  if (!Number.isInteger(omocodia) || omocodia < 0 || omocodia > 7) {
    throw new RangeError(`omocodia must be an integer 0-7, got ${omocodia}`);
  }
  const yy = String(date.year % 100).padStart(2, '0');
  const day = String(p.sex === 'F' ? date.day + 40 : date.day).padStart(2, '0');
  const chars = [
    ...surnameCode(p.surname),
    ...nameCode(p.name),
    ...yy,
    MONTH_LETTERS.charAt(date.month - 1),
    ...day,
    ...place,
  ];
  for (const pos of NUMERIC_POSITIONS.slice(0, omocodia)) {
    chars[pos] = OMOCODIA_LETTERS.charAt(Number(chars[pos]));
  }
  const first15 = chars.join('');
  return first15 + checkCharacter(first15);
}
