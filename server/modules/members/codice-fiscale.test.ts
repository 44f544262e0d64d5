import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCharacter,
  checkCoherence,
  generateCodiceFiscale,
  nameCode,
  normalizeCf,
  surnameCode,
  validateCodiceFiscale,
} from './codice-fiscale.js';

// Published examples. Every check character below was also recomputed with an independent script.
// - RSSMRA85T10A562S: Mario Rossi, 10/12/1985, M, San Giuliano Terme (A562) — the classic example.
// - MRTMTT25D09F205Z: Matteo Moretti, 09/04/1925, M, Milano (F205) — Wikipedia's example.
// - MRNLCU00A01H501J: Luca Moreno, 01/01/2000, M, Roma (H501) — codice-fiscale-js test suite.
// - BNZVCN32S10E573Z with its omocodic forms BNZVCN32S10E57PV and BNZVCNPNSMLERTPX — same suite.
const ROSSI = 'RSSMRA85T10A562S';
const ROSSI_PERSON = { surname: 'Rossi', name: 'Mario', birthDate: '1985-12-10' };

describe('surnameCode', () => {
  it.each([
    ['Rossi', 'RSS'],
    ['Moretti', 'MRT'],
    ['Bertolotti', 'BRT'], // surnames take the first three consonants, never 1st/3rd/4th
    ['Fo', 'FOX'],
    ['Bò', 'BOX'],
    ['Ai', 'AIX'],
    ['O', 'OXX'],
    ["D'Amico", 'DMC'],
    ['De Luca', 'DLC'],
    ['Dell’Òrto', 'DLL'],
    ['  rossi  ', 'RSS'],
  ])('%s → %s', (surname, code) => {
    expect(surnameCode(surname)).toBe(code);
  });
});

describe('nameCode', () => {
  it.each([
    ['Giovanni', 'GNN'], // G,V,N,N: 1st, 3rd, 4th
    ['Filippo', 'FPP'], // F,L,P,P: 1st, 3rd, 4th
    ['Vincenzo', 'VCN'], // V,N,C,N,Z: 1st, 3rd, 4th
    ['Marco', 'MRC'], // exactly 3 consonants: taken in order
    ['Matteo', 'MTT'],
    ['Mario', 'MRA'], // 2 consonants + first vowel
    ['Luca', 'LCU'],
    ['Ugo', 'GUO'],
    ['Eva', 'VEA'],
    ['Al', 'LAX'],
    ['Io', 'IOX'],
    ['Nicolò', 'NCL'],
    ['Niccolò', 'NCL'], // N,C,C,L: 1st, 3rd, 4th
    ['Anna Maria', 'NMR'], // N,N,M,R: the whole given name counts
    ['GIOVANNI', 'GNN'],
  ])('%s → %s', (name, code) => {
    expect(nameCode(name)).toBe(code);
  });
});

describe('checkCharacter', () => {
  it.each([
    ['RSSMRA85T10A562', 'S'],
    ['MRTMTT25D09F205', 'Z'],
    ['MRNLCU00A01H501', 'J'],
    ['BNZVCN32S10E573', 'Z'],
    ['BNZVCN32S10E57P', 'V'],
    ['BNZVCNPNSMLERTP', 'X'],
  ])('%s → %s', (first15, check) => {
    expect(checkCharacter(first15)).toBe(check);
  });

  it('refuses input that is not 15 alphanumeric characters', () => {
    expect(() => checkCharacter('RSSMRA85T10A56')).toThrow(RangeError);
    expect(() => checkCharacter('RSSMRA85T10A56-')).toThrow(RangeError);
  });
});

describe('normalizeCf', () => {
  it('uppercases and removes spaces', () => {
    expect(normalizeCf(' rssmra 85t10 a562s ')).toBe(ROSSI);
  });
});

describe('validateCodiceFiscale', () => {
  it('accepts the classic Rossi Mario example and decodes it', () => {
    expect(validateCodiceFiscale(ROSSI)).toEqual({
      ok: true,
      cf: ROSSI,
      canonical: ROSSI,
      sex: 'M',
      birthYY: 85,
      birthMonth: 12,
      birthDay: 10,
    });
  });

  it('accepts other published codes', () => {
    for (const cf of ['MRTMTT25D09F205Z', 'MRNLCU00A01H501J', 'MRNLCU00A01Z100P', 'BNZVCN32S10E573Z']) {
      expect(validateCodiceFiscale(cf).ok, cf).toBe(true);
    }
  });

  it('normalizes lower case and spaces', () => {
    const result = validateCodiceFiscale('rssmra85t10a562s ');
    expect(result).toMatchObject({ ok: true, cf: ROSSI, canonical: ROSSI });
  });

  it('reads a woman from day + 40', () => {
    // Anna Bianchi, 15/03/1990, F, Milano.
    expect(validateCodiceFiscale('BNCNNA90C55F205O')).toEqual({
      ok: true,
      cf: 'BNCNNA90C55F205O',
      canonical: 'BNCNNA90C55F205O',
      sex: 'F',
      birthYY: 90,
      birthMonth: 3,
      birthDay: 15,
    });
  });

  it('accepts published omocodic codes and decodes them to the base code', () => {
    for (const cf of ['BNZVCN32S10E57PV', 'BNZVCNPNSMLERTPX']) {
      expect(validateCodiceFiscale(cf)).toEqual({
        ok: true,
        cf,
        canonical: 'BNZVCN32S10E573Z',
        sex: 'M',
        birthYY: 32,
        birthMonth: 11,
        birthDay: 10,
      });
    }
  });

  it('accepts the omocodic variants of the Rossi code (rightmost digits replaced, check recomputed)', () => {
    const variants = [
      'RSSMRA85T10A56NH',
      'RSSMRA85T10A5SNT',
      'RSSMRA85T10ARSNO',
      'RSSMRA85T1LARSNR',
      'RSSMRA85TMLARSNC',
      'RSSMRA8RTMLARSNO',
      'RSSMRAURTMLARSNL',
    ];
    for (const [i, cf] of variants.entries()) {
      expect(cf.slice(0, 15) + checkCharacter(cf.slice(0, 15))).toBe(cf);
      expect(validateCodiceFiscale(cf)).toMatchObject({ ok: true, cf, canonical: ROSSI, birthDay: 10 });
      expect(generateCodiceFiscale({ ...ROSSI_PERSON, sex: 'M', placeCode: 'A562', omocodia: i + 1 })).toBe(
        cf,
      );
    }
  });

  it('reports a wrong check character', () => {
    expect(validateCodiceFiscale('RSSMRA85T10A562T')).toEqual({ ok: false, problem: 'check_character' });
    expect(validateCodiceFiscale('VNDLDL87D07B963G')).toEqual({ ok: false, problem: 'check_character' });
    // An omocodic code whose check character was not recomputed.
    expect(validateCodiceFiscale('RSSMRA85T10A56NS')).toEqual({ ok: false, problem: 'check_character' });
  });

  it.each([
    ['empty', ''],
    ['15 characters', 'RSSMRA85T10A562'],
    ['17 characters', 'RSSMRA85T10A562SX'],
    ['bad month letter F', 'RSSMRA85F10A562S'],
    ['month given as a digit', 'RSSMRA85110A562S'],
    ['day 00', 'RSSMRA85T00A562S'],
    ['day 32', 'RSSMRA85T32A562S'],
    ['day 40', 'RSSMRA85T40A562S'],
    ['day 72', 'RSSMRA85T72A562S'],
    ['letter outside LMNPQRSTUV in the year', 'RSSMRA8AT10A562S'],
    ['letter outside LMNPQRSTUV in the place code', 'RSSMRA85T10A5B2S'],
    ['digit in the surname', 'R5SMRA85T10A562S'],
    ['digit as place letter', 'RSSMRA85T101562S'],
    ['digit as check character', 'RSSMRA85T10A5620'],
    ['punctuation', 'RSSMRA-85T10A562'],
  ])('refuses as malformed: %s', (_label, cf) => {
    expect(validateCodiceFiscale(cf)).toEqual({ ok: false, problem: 'malformed' });
  });
});

describe('generateCodiceFiscale', () => {
  it.each([
    [{ surname: 'Rossi', name: 'Mario', birthDate: '1985-12-10', sex: 'M', placeCode: 'A562' }, ROSSI],
    [
      { surname: 'Moretti', name: 'Matteo', birthDate: '1925-04-09', sex: 'M', placeCode: 'F205' },
      'MRTMTT25D09F205Z',
    ],
    [
      { surname: 'Moreno', name: 'Luca', birthDate: '2000-01-01', sex: 'M', placeCode: 'H501' },
      'MRNLCU00A01H501J',
    ],
    [
      { surname: 'Moreno', name: 'Luca', birthDate: '2000-01-01', sex: 'M', placeCode: 'Z100' },
      'MRNLCU00A01Z100P',
    ],
    [
      { surname: 'Bianchi', name: 'Anna', birthDate: '1990-03-15', sex: 'F', placeCode: 'F205' },
      'BNCNNA90C55F205O',
    ],
    [
      { surname: "D'Amico", name: 'Nicolò', birthDate: '2001-07-04', sex: 'M', placeCode: 'H501' },
      'DMCNCL01L04H501K',
    ],
  ] as const)('builds %o', (person, cf) => {
    expect(generateCodiceFiscale(person)).toBe(cf);
  });

  it('applies omocodia from the rightmost numeric position', () => {
    const base = {
      surname: 'Benzi',
      name: 'Vincenzo',
      birthDate: '1932-11-10',
      sex: 'M',
      placeCode: 'E573',
    } as const;
    expect(generateCodiceFiscale(base)).toBe('BNZVCN32S10E573Z');
    expect(generateCodiceFiscale({ ...base, omocodia: 1 })).toBe('BNZVCN32S10E57PV');
    expect(generateCodiceFiscale({ ...base, omocodia: 7 })).toBe('BNZVCNPNSMLERTPX');
  });

  it('refuses impossible input', () => {
    const base = {
      surname: 'Rossi',
      name: 'Mario',
      birthDate: '1985-12-10',
      sex: 'M',
      placeCode: 'A562',
    } as const;
    expect(() => generateCodiceFiscale({ ...base, birthDate: '1985-02-30' })).toThrow(RangeError);
    expect(() => generateCodiceFiscale({ ...base, birthDate: '10/12/1985' })).toThrow(RangeError);
    expect(() => generateCodiceFiscale({ ...base, placeCode: 'A56' })).toThrow(RangeError);
    expect(() => generateCodiceFiscale({ ...base, omocodia: 8 })).toThrow(RangeError);
  });
});

describe('checkCoherence', () => {
  it('is coherent with the right person', () => {
    expect(checkCoherence(ROSSI, ROSSI_PERSON)).toEqual([]);
    expect(
      checkCoherence('rssmra85t10a562s', { surname: 'ROSSI', name: 'mario', birthDate: '1985-12-10' }),
    ).toEqual([]);
  });

  it('folds accents and ignores apostrophes and spaces', () => {
    const person = { surname: "D'Amico", name: 'Nicolò', birthDate: '2001-07-04' };
    expect(checkCoherence('DMCNCL01L04H501K', person)).toEqual([]);
    expect(checkCoherence('DMCNCL01L04H501K', { ...person, surname: 'd amico', name: 'NICOLO' })).toEqual([]);
    expect(checkCoherence('DMCNCL01L04H501K', { ...person, surname: 'D’Àmico' })).toEqual([]);
  });

  it('reads the day of a woman (+40)', () => {
    expect(
      checkCoherence('BNCNNA90C55F205O', { surname: 'Bianchi', name: 'Anna', birthDate: '1990-03-15' }),
    ).toEqual([]);
  });

  it('is coherent through omocodia', () => {
    for (const cf of ['RSSMRA85T10A56NH', 'RSSMRA85T10A5SNT', 'RSSMRAURTMLARSNL']) {
      expect(checkCoherence(cf, ROSSI_PERSON)).toEqual([]);
    }
  });

  it('reports each incoherent field', () => {
    expect(checkCoherence(ROSSI, { ...ROSSI_PERSON, surname: 'Bianchi' })).toEqual(['incoherent_surname']);
    expect(checkCoherence(ROSSI, { ...ROSSI_PERSON, name: 'Luigi' })).toEqual(['incoherent_name']);
    expect(checkCoherence(ROSSI, { ...ROSSI_PERSON, birthDate: '1985-12-11' })).toEqual([
      'incoherent_birth_date',
    ]);
    expect(checkCoherence(ROSSI, { ...ROSSI_PERSON, birthDate: '1985-11-10' })).toEqual([
      'incoherent_birth_date',
    ]);
    expect(checkCoherence(ROSSI, { ...ROSSI_PERSON, birthDate: '1986-12-10' })).toEqual([
      'incoherent_birth_date',
    ]);
    expect(checkCoherence(ROSSI, { ...ROSSI_PERSON, birthDate: '1985-12-50' })).toEqual([
      'incoherent_birth_date',
    ]);
    expect(checkCoherence(ROSSI, { ...ROSSI_PERSON, birthDate: '' })).toEqual(['incoherent_birth_date']);
    expect(checkCoherence(ROSSI, { surname: 'Verdi', name: 'Luigi', birthDate: '1990-01-01' })).toEqual([
      'incoherent_surname',
      'incoherent_name',
      'incoherent_birth_date',
    ]);
  });

  it('only compares codes: other people with the same letters are coherent', () => {
    // Russo → RSS like Rossi; Maria → MRA like Mario. The code cannot tell them apart.
    expect(checkCoherence(ROSSI, { surname: 'Russo', name: 'Maria', birthDate: '1985-12-10' })).toEqual([]);
  });

  it('does not compare sex: a woman’s code (day + 40) decodes to the same birth day', () => {
    const female = generateCodiceFiscale({ ...ROSSI_PERSON, sex: 'F', placeCode: 'A562' });
    expect(female).toBe(`RSSMRA85T50A562${checkCharacter('RSSMRA85T50A562')}`);
    expect(checkCoherence(female, ROSSI_PERSON)).toEqual([]);
  });

  it('puts syntax problems first', () => {
    expect(checkCoherence('RSSMRA85T32A562S', ROSSI_PERSON)).toEqual(['malformed']);
    expect(checkCoherence('RSSMRA85T10A562T', ROSSI_PERSON)).toEqual(['check_character']);
    expect(checkCoherence('RSSMRA85T10A562T', { ...ROSSI_PERSON, name: 'Luigi' })).toEqual([
      'check_character',
      'incoherent_name',
    ]);
  });
});

describe('property: generated codes validate and are coherent', () => {
  const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzàèéìòùÀÈÉÌÒÙçÇäöüñ'];
  const word = fc.string({ unit: fc.constantFrom(...letters), minLength: 1, maxLength: 12 });
  const namePart = fc
    .tuple(word, fc.option(fc.tuple(fc.constantFrom(' ', "'", '’', '-'), word), { nil: undefined }))
    .map(([a, rest]) => (rest ? a + rest[0] + rest[1] : a));
  const isoDate = fc
    .date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));
  const placeCode = fc
    .tuple(fc.constantFrom(...'ABCDEFGHIJKLMZ'), fc.integer({ min: 1, max: 999 }))
    .map(([l, n]) => l + String(n).padStart(3, '0'));

  it('generateCodiceFiscale → validateCodiceFiscale ok and checkCoherence === []', () => {
    fc.assert(
      fc.property(
        namePart,
        namePart,
        isoDate,
        fc.constantFrom('M' as const, 'F' as const),
        placeCode,
        fc.integer({ min: 0, max: 7 }),
        (surname, name, birthDate, sex, place, omocodia) => {
          const cf = generateCodiceFiscale({ surname, name, birthDate, sex, placeCode: place, omocodia });
          const result = validateCodiceFiscale(cf);
          const base = generateCodiceFiscale({ surname, name, birthDate, sex, placeCode: place });
          expect(result).toEqual({
            ok: true,
            cf,
            canonical: base,
            sex,
            birthYY: Number(birthDate.slice(2, 4)),
            birthMonth: Number(birthDate.slice(5, 7)),
            birthDay: Number(birthDate.slice(8, 10)),
          });
          expect(checkCoherence(cf, { surname, name, birthDate })).toEqual([]);
          expect(checkCoherence(cf.toLowerCase(), { surname, name, birthDate })).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
