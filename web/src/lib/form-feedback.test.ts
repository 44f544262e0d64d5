import { describe, expect, it } from 'vitest';
import i18next, { loadLanguage } from '../i18n';
import { ApiError } from './api';
import { fieldErrorsOf, problemItems } from './form-feedback';

const t = i18next.getFixedT('it');
await loadLanguage('en');
const tEn = i18next.getFixedT('en');

describe('fieldErrorsOf', () => {
  it('words the first detail per field by its code, with or without a leading slash', () => {
    const error = new ApiError('VALIDATION_FAILED', 400, 'x', [
      { field: 'email', code: 'email_invalid', message: 'Not a valid email address.' },
      { field: '/email', message: 'second' },
      { field: '/birthDate', code: 'required', message: 'This field is required.' },
      { field: 'surname', code: 'minLength', params: { limit: 2 }, message: 'Enter at least 2 characters.' },
    ]);
    expect(fieldErrorsOf(error, t)).toEqual({
      email: 'Indirizzo email non valido.',
      birthDate: 'Campo obbligatorio.',
      surname: 'Inserisci almeno 2 caratteri.',
    });
    expect(fieldErrorsOf(error, tEn).surname).toBe('Enter at least 2 characters.');
  });

  it("keeps the server's message for a code the web does not word yet, or no code", () => {
    const error = new ApiError('VALIDATION_FAILED', 400, 'x', [
      { field: 'iban', code: 'a_code_from_tomorrow', message: 'Testo del server.' },
      { field: 'name', message: 'Senza codice.' },
    ]);
    expect(fieldErrorsOf(error, t)).toEqual({ iban: 'Testo del server.', name: 'Senza codice.' });
  });

  it('has nothing for other errors', () => {
    expect(fieldErrorsOf(new Error('x'), t)).toEqual({});
  });
});

describe('problemItems', () => {
  it('lists the fields in the form order, unknown ones last without a label', () => {
    const labels = { surname: 'Cognome', name: 'Nome', email: 'Email' };
    expect(problemItems({ email: 'e', body: 'b', surname: 's' }, labels)).toEqual([
      { field: 'surname', label: 'Cognome', message: 's' },
      { field: 'email', label: 'Email', message: 'e' },
      { field: 'body', label: '', message: 'b' },
    ]);
  });
});

describe('field names that name a prototype', () => {
  it('are fields like any other: kept, listed last, never read from the prototype', () => {
    const error = new ApiError('VALIDATION_FAILED', 400, 'x', [
      { field: 'constructor', message: 'c' },
      { field: '__proto__', message: 'p' },
      { field: 'toString', message: 't' },
    ]);
    const errors = fieldErrorsOf(error, t);
    expect(Object.keys(errors)).toEqual(['constructor', '__proto__', 'toString']);
    expect(Object.getPrototypeOf(errors)).toBe(Object.prototype);
    expect(problemItems(errors, { email: 'Email' })).toEqual([
      { field: 'constructor', label: '', message: 'c' },
      { field: '__proto__', label: '', message: 'p' },
      { field: 'toString', label: '', message: 't' },
    ]);
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });
});
