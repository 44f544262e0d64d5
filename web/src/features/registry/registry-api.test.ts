import { describe, expect, it } from 'vitest';
import { REGISTRY_ROW_PROBLEM_CODES, REGISTRY_WARNING_CODES } from '#contracts/registry.codes.js';
import i18next, { loadPageCatalogue } from '../../i18n';
import en from '../../i18n/en.json';
import itCatalogue from '../../i18n/it.json';
import { facilitiesQuery } from '../network/facility-search';
import { estimateRows, importErrorText, registryProblemText, registryWarningText } from './registry-api';

// The back office's wording comes with its pages, as in the browser (web/src/app.tsx).
await loadPageCatalogue();

describe('estimateRows', () => {
  it('counts the rows of a file read whole (the header is not a row)', () => {
    const text = 'a;b\n1;2\n3;4\n';
    expect(estimateRows(text, text.length, text.length)).toBe(2);
  });
  it('extrapolates from the beginning of a larger file', () => {
    const sample = 'a;b\n1;2\n3;4\n5;6\n';
    expect(estimateRows(sample, sample.length, sample.length * 10)).toBe(39);
  });
  it('cannot tell from a sample without rows', () => {
    expect(estimateRows('a;b', 3, 1000)).toBeNull();
  });
});

describe('facilitiesQuery', () => {
  it('sends the filters filled in, the province in capitals, the page and its size', () => {
    expect(facilitiesQuery({ service: '', province: 'mi', city: '', cap: '20121' }, 2)).toBe(
      'province=MI&cap=20121&page=2&pageSize=10',
    );
  });
});

describe('registry row problems', () => {
  const column = (name: string) => `<${name}>`;

  it.each([
    ['it', itCatalogue],
    ['en', en],
  ])('every problem and warning code has its text in %s.json', (_lng, catalogue) => {
    const registry = catalogue.backoffice.registry as unknown as {
      problems: Record<string, string>;
      warnings: Record<string, string>;
    };
    expect(Object.keys(registry.problems).sort()).toEqual([...REGISTRY_ROW_PROBLEM_CODES].sort());
    expect(Object.keys(registry.warnings).sort()).toEqual([...REGISTRY_WARNING_CODES].sort());
    for (const text of [...Object.values(registry.problems), ...Object.values(registry.warnings)]) {
      expect(text.trim()).not.toBe('');
    }
  });

  it('gives each problem its key, the column in the page language and the values its text needs', () => {
    expect(registryProblemText({ code: 'empty', column: 'cognome' }, column)).toEqual({
      key: 'backoffice.registry.problems.empty',
      values: { column: '<cognome>' },
    });
    expect(registryProblemText({ code: 'field_count', values: ['10', '9'] }, column)?.values).toEqual({
      column: '',
      expected: '10',
      found: '9',
    });
    expect(
      registryProblemText({ code: 'role_invalid', column: 'ruolo', values: ['titolare', 'figlio'] }, column)
        ?.values.values,
    ).toBe('titolare, figlio');
    expect(
      registryProblemText({ code: 'holder_required', column: 'titolare_cf', values: ['figlio'] }, column)
        ?.values.role,
    ).toBe('figlio');
  });

  it('knows no text for a code it does not know (the page shows the English reason)', () => {
    expect(registryProblemText({ code: 'something_new' }, column)).toBeNull();
    expect(registryWarningText({})).toBeNull();
    expect(registryWarningText({ code: 'something_new' })).toBeNull();
  });

  it('words the warnings from their codes', () => {
    expect(registryWarningText({ code: 'duplicate_cf', values: ['3'] })).toEqual({
      key: 'backoffice.registry.warnings.duplicate_cf',
      values: { first: '3' },
    });
    expect(registryWarningText({ code: 'orphan_dependants', values: ['2'] })?.values).toEqual({ total: '2' });
  });
});

describe('importErrorText', () => {
  const t = i18next.getFixedT('it');

  it('words the coded reasons of a refused file and joins them, as the network upload shows them', () => {
    const text = importErrorText(t, {
      kind: 'header',
      line: 1,
      problems: [
        { code: 'file_header', params: { line: 1, columns: 'codice_fiscale;cognome' } },
        { code: 'file_columns_unknown_more', params: { names: 'a, b', more: 41 } },
      ],
    });
    expect(text).toBe(
      "Riga 1: l'intestazione deve contenere esattamente queste colonne, in qualsiasi ordine: codice_fiscale;cognome. Non riconosciute: a, b, …e altre 41.",
    );
  });

  it('says an import stopped; shows the English text of a refusal stored before codes', () => {
    expect(importErrorText(t, { kind: 'apply_failed', problems: [] })).toBe(
      "l'importazione si è interrotta per un errore imprevisto",
    );
    expect(importErrorText(t, { kind: 'unknown', problems: [], message: 'line 1: bad header' })).toBe(
      'line 1: bad header',
    );
    expect(importErrorText(t, null)).toBe('');
  });
});
