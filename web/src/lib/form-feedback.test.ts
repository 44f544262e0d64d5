import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { fieldErrorsOf, problemItems } from './form-feedback';

describe('fieldErrorsOf', () => {
  it('keeps the first message per field, with or without a leading slash', () => {
    const error = new ApiError('VALIDATION_FAILED', 400, 'x', [
      { field: 'email', message: 'Indirizzo non valido' },
      { field: '/email', message: 'second' },
      { field: '/birthDate', code: 'required', message: 'Obbligatoria' },
    ]);
    expect(fieldErrorsOf(error)).toEqual({ email: 'Indirizzo non valido', birthDate: 'Obbligatoria' });
  });

  it('has nothing for other errors', () => {
    expect(fieldErrorsOf(new Error('x'))).toEqual({});
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
    const errors = fieldErrorsOf(error);
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
