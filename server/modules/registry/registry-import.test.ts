import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { REGISTRY_ROW_PROBLEM_CODES } from '#contracts/registry.codes.js';
import { generateCodiceFiscale } from '../members/index.js';
import {
  detectDelimiter,
  formatImportReport,
  hasCardColumn,
  type ImportReport,
  parseDate,
  parseHeader,
  parseRegistryRow,
  REGISTRY_COLUMNS,
  RegistryFileError,
  type RegistryLine,
  type RegistryRowProblem,
  readRegistryCsv,
} from './registry-import.js';

const TODAY = '2026-11-27';
const HEADER = REGISTRY_COLUMNS.join(';');
const columns = parseHeader([...REGISTRY_COLUMNS]);
const holder = generateCodiceFiscale({
  surname: 'Esempio',
  name: 'Anna',
  birthDate: '1969-12-01',
  sex: 'F',
  placeCode: 'F205',
});
const child = generateCodiceFiscale({
  surname: 'Esempio',
  name: 'Marco',
  birthDate: '2001-09-17',
  sex: 'M',
  placeCode: 'F205',
});

type Fields = Record<(typeof REGISTRY_COLUMNS)[number], string>;
const valid: Fields = {
  codice_fiscale: child,
  cognome: 'Esempio',
  nome: 'Marco',
  data_nascita: '2001-09-17',
  email: 'marco.esempio@example.test',
  piano: 'ONECARE-DEMO',
  ruolo: 'figlio',
  titolare_cf: holder,
  inizio_copertura: '2025-01-01',
  fine_copertura: '',
};
const fields = (change: Partial<Fields> = {}) => REGISTRY_COLUMNS.map((c) => ({ ...valid, ...change })[c]);
const reasons = (change: Partial<Fields>) => {
  const result = parseRegistryRow(fields(change), columns, TODAY);
  return result.ok ? [] : result.reasons;
};

async function readAll(text: string | Buffer, chunkSize = 7): Promise<RegistryLine[]> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  const out: RegistryLine[] = [];
  for await (const line of readRegistryCsv(Readable.from(chunks), TODAY)) out.push(line);
  return out;
}

describe('registry row rules', () => {
  it('[operator] a valid row is normalised: trimmed, uppercase codes, lowercase email, ISO dates', () => {
    const result = parseRegistryRow(
      fields({
        codice_fiscale: ` ${child.toLowerCase()} `,
        cognome: ' Esempio ',
        nome: 'Marco  ',
        email: ' Marco.Esempio@Example.TEST ',
        piano: 'onecare-demo',
        ruolo: 'FIGLIO',
        titolare_cf: holder.toLowerCase(),
        inizio_copertura: '1/1/2025',
        fine_copertura: '31/12/2026',
      }),
      columns,
      TODAY,
    );
    expect(result).toEqual({
      ok: true,
      row: {
        codiceFiscale: child,
        surname: 'Esempio',
        givenName: 'Marco',
        birthDate: '2001-09-17',
        email: 'marco.esempio@example.test',
        planCode: 'ONECARE-DEMO',
        role: 'figlio',
        holderCf: holder,
        coverageStart: '2025-01-01',
        coverageEnd: '2026-12-31',
        cardNumber: null,
      },
    });
  });

  it('[operator] email and fine_copertura may be empty; a titolare has no titolare_cf', () => {
    const result = parseRegistryRow(
      fields({
        codice_fiscale: holder,
        nome: 'Anna',
        data_nascita: '01/12/1969',
        email: '',
        ruolo: 'titolare',
        titolare_cf: '',
      }),
      columns,
      TODAY,
    );
    expect(result.ok && result.row).toMatchObject({ email: null, holderCf: null, coverageEnd: null });
  });

  it('[operator] each broken rule has its reason, naming the column and never the value', () => {
    expect(reasons({ codice_fiscale: '' })).toEqual(['codice_fiscale is empty']);
    expect(reasons({ codice_fiscale: 'ABC' })).toEqual(['codice fiscale is malformed']);
    const wrongCheck = child.slice(0, 15) + (child.endsWith('A') ? 'B' : 'A');
    expect(reasons({ codice_fiscale: wrongCheck })).toEqual(['codice fiscale check character is wrong']);
    expect(reasons({ cognome: 'Prova' })).toEqual(['codice fiscale not coherent with surname']);
    expect(reasons({ nome: 'Luca' })).toEqual(['codice fiscale not coherent with name']);
    expect(reasons({ data_nascita: '2001-09-18' })).toEqual(['codice fiscale not coherent with birth date']);
    expect(reasons({ cognome: '' })).toEqual(['cognome is empty']);
    expect(reasons({ nome: 'Marco2' })).toEqual(['nome is not a valid name']);
    expect(reasons({ data_nascita: '' })).toEqual(['data_nascita is empty']);
    expect(reasons({ data_nascita: '2001-02-30' })).toEqual([
      'data_nascita is not a valid date (use YYYY-MM-DD or DD/MM/YYYY)',
    ]);
    expect(reasons({ data_nascita: '2030-01-01' })).toEqual(['data_nascita is in the future']);
    expect(reasons({ email: 'marco@' })).toEqual(['email is not a valid address']);
    expect(reasons({ email: 'marco esempio@example.test' })).toEqual(['email is not a valid address']);
    expect(reasons({ email: 'marco\u001f@example.test' })).toEqual(['email is not a valid address']);
    expect(reasons({ email: 'marco\u0000x@example.test' })).toEqual(['email is not a valid address']);
    expect(reasons({ piano: '' })).toEqual(['piano is empty']);
    expect(reasons({ piano: 'PIANO BASE' })).toEqual([
      'piano is not a valid plan code (letters, digits, . _ -, at most 40)',
    ]);
    expect(reasons({ ruolo: 'nonno' })).toEqual(['ruolo must be one of titolare, coniuge, figlio, altro']);
    expect(reasons({ titolare_cf: '' })).toEqual(['titolare_cf is required for a figlio']);
    expect(reasons({ titolare_cf: 'XYZ' })).toEqual(['titolare_cf is not a valid codice fiscale']);
    expect(reasons({ titolare_cf: child })).toEqual(["titolare_cf is the member's own codice fiscale"]);
    expect(reasons({ ruolo: 'titolare' })).toEqual(['titolare_cf must be empty for a titolare']);
    expect(reasons({ inizio_copertura: '' })).toEqual(['inizio_copertura is empty']);
    expect(reasons({ inizio_copertura: '2025-1-1' })).toEqual([
      'inizio_copertura is not a valid date (use YYYY-MM-DD or DD/MM/YYYY)',
    ]);
    expect(reasons({ fine_copertura: '2024-12-31' })).toEqual(['fine_copertura is before inizio_copertura']);
    expect(reasons({ fine_copertura: '2025-01-01' })).toEqual([]);
  });

  it('[operator] each rejection carries its stable code, column and values beside the reason', () => {
    const wrongCheck = child.slice(0, 15) + (child.endsWith('A') ? 'B' : 'A');
    const cases: [Partial<Fields>, RegistryRowProblem[]][] = [
      [{ codice_fiscale: '' }, [{ code: 'empty', column: 'codice_fiscale' }]],
      [{ codice_fiscale: 'ABC' }, [{ code: 'cf_malformed', column: 'codice_fiscale' }]],
      [{ codice_fiscale: wrongCheck }, [{ code: 'cf_check_character', column: 'codice_fiscale' }]],
      [{ cognome: 'Prova' }, [{ code: 'cf_incoherent_surname', column: 'codice_fiscale' }]],
      [{ nome: 'Luca' }, [{ code: 'cf_incoherent_name', column: 'codice_fiscale' }]],
      [{ data_nascita: '2001-09-18' }, [{ code: 'cf_incoherent_birth_date', column: 'codice_fiscale' }]],
      [{ cognome: '' }, [{ code: 'empty', column: 'cognome' }]],
      [{ nome: 'Marco2' }, [{ code: 'name_invalid', column: 'nome' }]],
      [{ data_nascita: '' }, [{ code: 'empty', column: 'data_nascita' }]],
      [{ data_nascita: '2001-02-30' }, [{ code: 'date_invalid', column: 'data_nascita' }]],
      [{ data_nascita: '2030-01-01' }, [{ code: 'birth_date_future', column: 'data_nascita' }]],
      [{ email: 'marco@' }, [{ code: 'email_invalid', column: 'email' }]],
      [{ piano: '' }, [{ code: 'empty', column: 'piano' }]],
      [{ piano: 'PIANO BASE' }, [{ code: 'plan_code_invalid', column: 'piano' }]],
      [
        { ruolo: 'nonno' },
        [{ code: 'role_invalid', column: 'ruolo', values: ['titolare', 'coniuge', 'figlio', 'altro'] }],
      ],
      [{ titolare_cf: '' }, [{ code: 'holder_required', column: 'titolare_cf', values: ['figlio'] }]],
      [{ titolare_cf: 'XYZ' }, [{ code: 'holder_invalid', column: 'titolare_cf' }]],
      [{ titolare_cf: child }, [{ code: 'holder_self', column: 'titolare_cf' }]],
      [{ ruolo: 'titolare' }, [{ code: 'holder_not_allowed', column: 'titolare_cf' }]],
      [{ inizio_copertura: '' }, [{ code: 'empty', column: 'inizio_copertura' }]],
      [{ inizio_copertura: '2025-1-1' }, [{ code: 'date_invalid', column: 'inizio_copertura' }]],
      [{ fine_copertura: '2024-12-31' }, [{ code: 'coverage_end_before_start', column: 'fine_copertura' }]],
    ];
    const seen = new Set<string>(['field_count', 'not_utf8', 'card_number_invalid']);
    for (const [change, expected] of cases) {
      const result = parseRegistryRow(fields(change), columns, TODAY);
      expect(result.ok ? [] : result.problems, JSON.stringify(change)).toEqual(expected);
      expect(result.ok ? [] : result.reasons).toHaveLength(expected.length);
      for (const p of expected) seen.add(p.code);
    }
    const withCard = { ...columns, numero_tessera: REGISTRY_COLUMNS.length };
    const card = parseRegistryRow([...fields(), '!!'], withCard, TODAY);
    expect(card.ok ? [] : card.problems).toEqual([{ code: 'card_number_invalid', column: 'numero_tessera' }]);
    // Every code of the closed list is produced by some rejection.
    expect([...seen].sort()).toEqual([...REGISTRY_ROW_PROBLEM_CODES].sort());
  });

  it('[operator] several problems of one row are all reported', () => {
    expect(reasons({ email: 'x', ruolo: 'nonno', fine_copertura: '2020-01-01' })).toEqual([
      'email is not a valid address',
      'ruolo must be one of titolare, coniuge, figlio, altro',
      'fine_copertura is before inizio_copertura',
    ]);
  });

  it('[operator] a row with too few or too many fields is rejected as such', () => {
    const short = parseRegistryRow(fields().slice(0, 9), columns, TODAY);
    expect(short).toEqual({
      ok: false,
      reasons: ['expected 10 fields, found 9 (check separators and quotes)'],
      problems: [{ code: 'field_count', values: ['10', '9'] }],
    });
    expect(parseRegistryRow([...fields(), ''], columns, TODAY).ok).toBe(false);
  });

  it('[operator] names with accents, apostrophes and spaces are accepted and coherent', () => {
    const cf = generateCodiceFiscale({
      surname: "D'Àngelo De Prova",
      name: 'Nicolò Maria',
      birthDate: '1990-02-03',
      sex: 'M',
      placeCode: 'H501',
    });
    const result = parseRegistryRow(
      fields({
        codice_fiscale: cf,
        cognome: "D'Àngelo  De Prova",
        nome: 'Nicolò Maria',
        data_nascita: '03/02/1990',
      }),
      columns,
      TODAY,
    );
    expect(result.ok && result.row.surname).toBe("D'Àngelo De Prova");
  });
});

describe('registry dates', () => {
  it('[operator] accepts YYYY-MM-DD and DD/MM/YYYY real dates only', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
    expect(parseDate('5/3/2024')).toBe('2024-03-05');
    expect(parseDate('2023-02-29')).toBeNull();
    expect(parseDate('31/04/2024')).toBeNull();
    expect(parseDate('2024/02/01')).toBeNull();
    expect(parseDate('02-01-2024')).toBeNull();
    expect(parseDate('1850-01-01')).toBeNull();
    expect(parseDate('')).toBeNull();
  });

  it('[operator] leap years and month lengths follow the calendar (the fast YYYY-MM-DD check included)', () => {
    expect(parseDate('2000-02-29')).toBe('2000-02-29');
    expect(parseDate('1900-02-29')).toBeNull();
    expect(parseDate('2100-02-29')).toBeNull();
    expect(parseDate('2024-04-31')).toBeNull();
    expect(parseDate('2024-12-31')).toBe('2024-12-31');
    expect(parseDate('2024-13-01')).toBeNull();
    expect(parseDate('2024-00-10')).toBeNull();
    expect(parseDate('2024-01-00')).toBeNull();
    expect(parseDate('2199-12-31')).toBe('2199-12-31');
    expect(parseDate('2200-01-01')).toBeNull();
    expect(parseDate('2024-0a-01')).toBeNull();
    expect(parseDate('２０２４-01-01')).toBeNull();
  });
});

describe('registry header', () => {
  it('[operator] the separator is the one of the header line', () => {
    expect(detectDelimiter(HEADER)).toBe(';');
    expect(detectDelimiter(REGISTRY_COLUMNS.join(','))).toBe(',');
    expect(() => detectDelimiter('codice_fiscale\tcognome')).toThrow(RegistryFileError);
  });

  it('[operator] columns may come in any order, in any case', () => {
    const shuffled = [...REGISTRY_COLUMNS].reverse().map((c) => c.toUpperCase());
    expect(parseHeader(shuffled).codice_fiscale).toBe(9);
  });

  it('[operator] unknown, missing or repeated columns refuse the file with a clear message', () => {
    expect(() => parseHeader([...REGISTRY_COLUMNS, 'telefono'])).toThrow(/unknown column\(s\): telefono/);
    expect(() => parseHeader(REGISTRY_COLUMNS.filter((c) => c !== 'email'))).toThrow(
      /^line 1: the header must name exactly these columns.*missing column\(s\): email/,
    );
    expect(() => parseHeader([...REGISTRY_COLUMNS, 'email'])).toThrow(/repeated column\(s\): email/);
  });

  it('[operator] numero_tessera is optional: anywhere in the header, or left out', () => {
    expect(hasCardColumn(columns)).toBe(false);
    const withCard = parseHeader(['NUMERO_TESSERA', ...REGISTRY_COLUMNS]);
    expect(hasCardColumn(withCard)).toBe(true);
    expect(withCard.numero_tessera).toBe(0);
    expect(withCard.codice_fiscale).toBe(1);
    expect(() => parseHeader([...REGISTRY_COLUMNS, 'numero_tessera', 'numero_tessera'])).toThrow(
      /repeated column\(s\): numero_tessera/,
    );
    expect(() => parseHeader(REGISTRY_COLUMNS.filter((c) => c !== 'email'))).toThrow(
      /\(and optionally numero_tessera\)/,
    );
  });

  it('[operator] a card number is normalised (spaces, dashes, case); an empty one is none; a bad one is refused', () => {
    const header = [...REGISTRY_COLUMNS, 'numero_tessera'];
    const withCard = parseHeader(header);
    const parse = (card: string) => parseRegistryRow([...fields(), card], withCard, TODAY);
    const card = (value: string) => {
      const result = parse(value);
      return result.ok ? result.row.cardNumber : result.reasons;
    };
    expect(card(' oc-2406 1990 ')).toBe('OC24061990');
    expect(card('')).toBeNull();
    expect(card('A1')).toEqual(['numero_tessera is not a valid card number (4 to 40 letters and digits)']);
    expect(card('OC!2406')).toEqual([
      'numero_tessera is not a valid card number (4 to 40 letters and digits)',
    ]);
    // Without the column, a row has one field fewer, and no card number.
    const plain = parseRegistryRow(fields(), columns, TODAY);
    expect(plain.ok && plain.row.cardNumber).toBeNull();
    expect(parseRegistryRow(fields(), withCard, TODAY)).toMatchObject({
      ok: false,
      reasons: ['expected 11 fields, found 10 (check separators and quotes)'],
    });
  });
});

describe('reading a registry file', () => {
  const row = fields().join(';');

  it('[operator] a BOM, CRLF line ends, blank lines and quoted fields are handled, with line numbers', async () => {
    const quoted = fields({ cognome: '"Esempio"' }).join(';');
    const text = `\uFEFF${HEADER}\r\n${row}\r\n\r\n;;;;;;;;;\r\n${quoted}\r\n${fields({ ruolo: 'zio' }).join(';')}`;
    const lines = await readAll(text);
    expect(lines.map((l) => [l.line, l.result.ok])).toEqual([
      [2, true],
      [5, true],
      [6, false],
    ]);
  });

  it('[operator] a comma-separated file with a multi-line quoted field keeps the line of the row start', async () => {
    const text = `${REGISTRY_COLUMNS.join(',')}\n${fields().join(',')}\n${fields({ email: '"marco\n@example.test"' }).join(',')}\n${fields().join(',')}\n`;
    const lines = await readAll(text, 3);
    expect(lines.map((l) => [l.line, l.result.ok])).toEqual([
      [2, true],
      [3, false],
      [5, true],
    ]);
  });

  it('[operator] text that is not UTF-8 (e.g. saved as Latin-1) is rejected, not stored garbled', async () => {
    const latin1 = Buffer.from(`${HEADER}\n${fields({ nome: 'Nicolò' }).join(';')}\n`, 'latin1');
    const [line] = await readAll(latin1);
    expect(line?.result).toEqual({
      ok: false,
      reasons: ['text is not valid UTF-8 (save the file as "CSV UTF-8")'],
      problems: [{ code: 'not_utf8' }],
    });
  });

  it('[operator] an empty file, a wrong header or a quote left open refuse the whole file', async () => {
    await expect(readAll('')).rejects.toThrow(/the file is empty/);
    await expect(readAll('\uFEFF\n')).rejects.toThrow(/the file is empty/);
    await expect(readAll(`${HEADER.replace('email', 'mail')}\n${row}\n`)).rejects.toThrow(
      /unknown column\(s\): mail; missing column\(s\): email/,
    );
    const open = `${HEADER}\n${row}\n"${row}\n${row}\n`;
    await expect(readAll(open)).rejects.toThrow(
      /^line 3: the file is not valid CSV: a quoted field starting on this line \(or a later one\) is never closed$/,
    );
  });

  it('[operator] plain lines and quoted ones mix: csv-parse takes over at the first quote, line numbers stay right', async () => {
    const plain = fields().join(';');
    const quoted = fields({ email: '"marco\n@example.test"', cognome: '"Esempio"' }).join(';');
    const text = `${HEADER}\n${plain}\n\n${plain}\n${quoted}\n${plain}\n;;;;;;;;;\n${fields({ ruolo: 'zio' }).join(';')}\n`;
    for (const chunk of [1, 5, 64, 1 << 16]) {
      const lines = await readAll(text, chunk);
      expect(lines.map((l) => [l.line, l.result.ok])).toEqual([
        [2, true],
        [4, true],
        [5, false],
        [7, true],
        [9, false],
      ]);
    }
  });

  it('[operator] in a CRLF file a lone LF does not end the row (as csv-parse reads it)', async () => {
    const text = `${HEADER}\r\n${row}\r\n${row}\n${row}\r\n${row}\r\n`;
    const lines = await readAll(text);
    expect(lines.map((l) => [l.line, l.result.ok])).toEqual([
      [2, true],
      [3, false],
      [5, true],
    ]);
  });

  it('[operator] a character split between two chunks of the stream is read whole', async () => {
    const text = `${HEADER}\n${fields({ cognome: 'Esempiò' }).join(';')}\n`;
    for (const chunk of [1, 2, 3]) {
      const [line] = await readAll(text, chunk);
      expect(line?.result).toMatchObject({ ok: true, row: { surname: 'Esempiò' } });
    }
  });

  it('[operator] a row longer than the limit refuses the file, on its line', async () => {
    const long = fields({ email: `${'x'.repeat(70_000)}@example.test` }).join(';');
    await expect(readAll(`${HEADER}\n${row}\n${long}\n${row}\n`, 4096)).rejects.toThrow(
      /^line 3: the file is not valid CSV: a row starting on this line \(or a later one\) is longer than/,
    );
  });

  it('[operator] the parser error never repeats file content', async () => {
    const bad = `${HEADER}\n${fields({ cognome: '"Esempio;Segreto' }).join(';')}\n`;
    const error = await readAll(bad).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RegistryFileError);
    expect(String(error)).not.toContain('Segreto');
  });
});

describe('import report lines', () => {
  const report: ImportReport = {
    dryRun: false,
    rowsRead: 5,
    inserted: 2,
    updated: 1,
    unchanged: 0,
    coverageEnding: 0,
    duplicates: 1,
    rejectedTotal: 1,
    rejected: [{ line: 3, reason: 'email is not a valid address' }],
    plansCreated: ['ONECARE-PLUS'],
    warningsTotal: 1,
    warnings: [{ line: 6, message: 'same codice fiscale as line 2; this later row replaces it' }],
  };

  it('[operator] counts first, then rejected rows and warnings by line, then what happened', () => {
    expect(formatImportReport(report, 'written')).toEqual([
      'rows read: 5',
      'inserted: 2',
      'updated: 1',
      'unchanged: 0',
      'rejected: 1',
      'duplicates: 1',
      'plans created: ONECARE-PLUS',
      'line 3: email is not a valid address',
      'warning: line 6: same codice fiscale as line 2; this later row replaces it',
    ]);
    expect(formatImportReport(report, 'dry-run').at(-1)).toBe('dry run: nothing was written');
    expect(formatImportReport(report, 'refused').at(-1)).toMatch(/^nothing was written: 1 row\(s\) rejected/);
  });

  it('[operator] beyond the listed rows, the report says how many more there are', () => {
    const many = { ...report, rejectedTotal: 10_001 };
    expect(formatImportReport(many, 'written')).toContain('… and 10000 more rejected rows not listed');
  });
});
