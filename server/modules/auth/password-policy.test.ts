import { beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_PROBLEM_CODES } from '#contracts/auth.codes.js';
import {
  blocklistSize,
  checkPassword,
  normalizePassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordContext,
  type PasswordProblem,
  passwordProblem,
} from './password-policy.js';

// Dante, Inferno I: long, varied, in no password list.
const DANTE =
  'Nel mezzo del cammin di nostra vita mi ritrovai per una selva oscura, ché la diritta via era smarrita. ' +
  'Ahi quanto a dir qual era è cosa dura esta selva selvaggia e aspra e forte che nel pensier rinova la paura! ' +
  'Tant’è amara che poco è più morte; ma per trattar del ben ch’i’ vi trovai, dirò de l’altre cose ch’i’ v’ho scorte.';

const MARIO: PasswordContext = {
  username: 'mario.rossi85',
  names: ['Mario', 'Rossi'],
  codiceFiscale: 'RSSMRA85T10A562S',
  birthDate: '1985-12-10',
};

function problems(password: string, context?: PasswordContext): PasswordProblem[] {
  return checkPassword(password, context).problems;
}

const codePoints = (s: string) => [...s].length;

beforeAll(() => {
  blocklistSize(); // load the lists once (~0.5 s) outside the individual tests' time
});

describe('constants and messages', () => {
  it('follows NIST SP 800-63B lengths', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(15);
    expect(PASSWORD_MAX_LENGTH).toBeGreaterThanOrEqual(128);
    expect(PASSWORD_MAX_LENGTH).toBe(256);
  });

  it('each problem is a listed code; the length ones carry their limit', () => {
    expect([...PASSWORD_PROBLEM_CODES].sort()).toEqual(
      [
        'too_short',
        'too_long',
        'common',
        'contains_username',
        'contains_name',
        'contains_codice_fiscale',
        'contains_birth_date',
      ].sort(),
    );
    expect(passwordProblem('newPassword', 'too_short')).toEqual({
      field: 'newPassword',
      code: 'too_short',
      params: { min: 15 },
    });
    expect(passwordProblem('password', 'too_long').params).toEqual({ max: 256 });
    expect(passwordProblem('password', 'common')).toEqual({ field: 'password', code: 'common' });
  });
});

describe('length', () => {
  it('refuses a short password', () => {
    expect(checkPassword('Roma2024!')).toMatchObject({ acceptable: false, problems: ['too_short'] });
    expect(problems('fiume montagna')).toEqual(['too_short']); // 14
    expect(problems('fiume montagna!')).toEqual([]); // 15
  });

  it('refuses the empty password', () => {
    expect(checkPassword('')).toEqual({ acceptable: false, problems: ['too_short'], score: 0 });
  });

  it('accepts 128 and 256 characters, refuses 257', () => {
    const p128 = DANTE.slice(0, 128);
    const p256 = DANTE.slice(0, 256);
    expect(codePoints(p128)).toBe(128);
    expect(codePoints(p256)).toBe(256);
    expect(checkPassword(p128)).toMatchObject({ acceptable: true, problems: [] });
    expect(checkPassword(p256)).toMatchObject({ acceptable: true, problems: [] });
    expect(checkPassword(DANTE.slice(0, 257))).toMatchObject({ acceptable: false, problems: ['too_long'] });
  });

  it('refuses a huge input by its length alone', () => {
    expect(checkPassword('a'.repeat(1_000_000))).toEqual({
      acceptable: false,
      problems: ['too_long'],
      score: 0,
    });
  });

  it('counts code points, so emoji and accents are ordinary characters', () => {
    const password = 'Però🍕èGià🌞così!';
    expect(codePoints(password)).toBe(15);
    expect(password.length).toBe(17); // UTF-16 units
    expect(checkPassword(password)).toMatchObject({ acceptable: true, problems: [] });
    expect(problems('😀🙂'.repeat(7))).toEqual(['too_short']); // 14 code points, 28 UTF-16 units
  });

  it('allows spaces and every kind of character, with no composition rules', () => {
    for (const password of [
      'tutte lettere minuscole qui',
      '   spazi   anche   qui   ',
      'Ελληνικά και ελληνικά',
      '日本語のパスワードです十五文字',
    ]) {
      expect(checkPassword(password).problems, password).toEqual([]);
    }
  });
});

describe('NFKC normalisation', () => {
  it('normalises compatibility characters', () => {
    expect(normalizePassword('ﬁ')).toBe('fi');
    expect(normalizePassword('ｐａｓｓｗｏｒｄ')).toBe('password');
    expect(normalizePassword('caffe\u0300')).toBe('caff\u00e8'); // decomposed è → composed è
    expect(normalizePassword('Però 🍕')).toBe('Però 🍕');
  });

  it('counts length after normalisation and checks the normalised form', () => {
    const ligature = '\uFB01ume montagna!'; // ﬁ + 13 = 14 code points before, 15 after normalisation
    expect(codePoints(ligature)).toBe(14);
    expect(checkPassword(ligature)).toEqual(checkPassword('fiume montagna!'));
    expect(checkPassword(ligature).acceptable).toBe(true);
  });

  it('finds full-width forms of listed passwords', () => {
    expect(problems('ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ')).toEqual(['common']);
  });
});

describe('blocklist', () => {
  it('holds at least 100,000 distinct passwords', () => {
    expect(blocklistSize()).toBeGreaterThanOrEqual(100_000);
  });

  it.each([
    'passwordpassword',
    '1qaz2wsx3edc4rfv',
    'qwertyuiopasdfgh',
    '123456789012345',
    'abcdefghijklmnopqrstuvwxyz',
  ])('refuses the listed password %s', (password) => {
    expect(codePoints(password)).toBeGreaterThanOrEqual(15);
    expect(checkPassword(password)).toMatchObject({ acceptable: false, problems: ['common'] });
  });

  it('ignores case', () => {
    expect(problems('PasswordPassword')).toEqual(['common']);
    expect(problems('1QAZ2WSX3EDC4RFV')).toEqual(['common']);
  });

  it('refuses a listed password repeated', () => {
    expect(problems('sunshinesunshine')).toEqual(['common']);
    expect(problems('iloveyouiloveyouiloveyou')).toEqual(['common']);
    expect(problems('aaaaaaaaaaaaaaaaaaaa')).toEqual(['common']);
  });

  it('refuses one character repeated, and ignores surrounding whitespace', () => {
    expect(problems(' '.repeat(15))).toEqual(['common']);
    expect(problems('@'.repeat(20))).toEqual(['common']);
    expect(problems('🐈'.repeat(15))).toEqual(['common']);
    expect(problems('  passwordpassword  ')).toEqual(['common']);
  });

  it('refuses a listed password followed by at most 4 digits or punctuation', () => {
    expect(problems('password1234567!!')).toEqual(['common']); // password12345 + "67!!"
    expect(problems('fragolafragola1234')).toEqual(['common']); // fragola ×2 + "1234"
    expect(problems('supermansuperman!')).toEqual(['common']);
    expect(problems('fragolafragola12345')).toEqual([]); // 5 trailing digits: "fragolafragola1" is not listed
  });

  it('accepts passphrases that merely contain common words', () => {
    expect(problems('la mia fragola preferita')).toEqual([]);
    expect(problems('correct horse battery staple')).toEqual([]);
  });
});

describe('personal data', () => {
  it('refuses the username (3 characters or more)', () => {
    expect(problems('mario.rossi85 ama il mare', { username: 'mario.rossi85' })).toEqual([
      'contains_username',
    ]);
    expect(problems('Io sono GBianchi78 in vacanza', { username: 'gbianchi78' })).toEqual([
      'contains_username',
    ]);
    expect(problems('absolutely fabulous day', { username: 'ab' })).toEqual([]);
  });

  it('refuses any name part of 3 letters or more', () => {
    const context = { names: ['Maria Grazia', "D'Amico"] };
    expect(problems('la casa di grazia al mare', context)).toEqual(['contains_name']);
    expect(problems('il mio amico ha un gatto nero', context)).toEqual(['contains_name']); // D'Amico → amico
    expect(problems('un pomeriggio in montagna', context)).toEqual([]);
    expect(problems('libro della giungla bo', { names: ['Li Bo'] })).toEqual([]); // parts shorter than 3
  });

  it('folds accents and case when comparing names', () => {
    expect(problems('NICOLO va in montagna spesso', { names: ['Nicolò'] })).toEqual(['contains_name']);
    expect(problems('Nicolò va in montagna spesso', { names: ['Nicolo'] })).toEqual(['contains_name']);
  });

  it('refuses the codice fiscale, in any case', () => {
    expect(problems('rssmra85t10a562s-la-mia-chiave', { codiceFiscale: 'RSSMRA85T10A562S' })).toEqual([
      'contains_codice_fiscale',
    ]);
    expect(problems('chiave RSSMRA85T10A562S segreta', { codiceFiscale: 'rssmra85t10a562s' })).toEqual([
      'contains_codice_fiscale',
    ]);
  });

  it.each([
    'vacanze al mare 19851210',
    'vacanze al mare 10121985',
    'vacanze al mare 10/12/1985',
    'vacanze al mare 10-12-1985',
    'vacanze al mare 1985-12-10',
    'vacanze al mare 101285',
  ])('refuses the birth date in %s', (password) => {
    expect(problems(password, { birthDate: '1985-12-10' })).toEqual(['contains_birth_date']);
  });

  it('accepts other dates', () => {
    expect(problems('vacanze al mare 1986 12 10', { birthDate: '1985-12-10' })).toEqual([]);
    expect(problems('vacanze al mare 19851210', { birthDate: 'not a date' })).toEqual([]);
  });

  it('reports problems in a stable order', () => {
    expect(problems('Mario10121985', MARIO)).toEqual(['too_short', 'contains_name', 'contains_birth_date']);
    expect(problems('mario.rossi85 RSSMRA85T10A562S 1985-12-10', MARIO)).toEqual([
      'contains_username',
      'contains_name',
      'contains_codice_fiscale',
      'contains_birth_date',
    ]);
  });

  it('accepts a good passphrase for the same member', () => {
    expect(checkPassword('il mio gatto si chiama Briciola 🐈', MARIO)).toMatchObject({
      acceptable: true,
      problems: [],
    });
  });
});

describe('strength score', () => {
  it('is a zxcvbn score from 0 to 4', () => {
    expect(checkPassword('passwordpassword').score).toBeLessThanOrEqual(1);
    expect(checkPassword('correct horse battery staple').score).toBe(4);
  });

  it('uses the member’s data as user inputs', () => {
    // A codice fiscale looks random to zxcvbn, until it is given as the member's own data.
    expect(checkPassword('RSSMRA85T10A562S').score).toBe(4);
    expect(checkPassword('RSSMRA85T10A562S', { codiceFiscale: 'RSSMRA85T10A562S' }).score).toBe(0);
    expect(checkPassword('kwzrtpbxvnq2024!', { username: 'kwzrtpbxvnq' }).score).toBeLessThan(
      checkPassword('kwzrtpbxvnq2024!').score,
    );
  });

  it('does not decide acceptability', () => {
    const result = checkPassword('aaaaaaaaaaaaaaab');
    expect(result.score).toBeLessThanOrEqual(2);
    expect(result.acceptable).toBe(result.problems.length === 0);
  });
});
