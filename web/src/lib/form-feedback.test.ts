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
