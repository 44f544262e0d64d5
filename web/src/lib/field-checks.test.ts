import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { codiceFiscaleError, emailError, requiredError } from './field-checks';

/** Answers the key and its values, so the tests see which text was chosen. */
const t = ((key: string, values?: Record<string, unknown>) =>
  values ? `${key} ${JSON.stringify(values)}` : key) as unknown as TFunction;

describe('requiredError', () => {
  it('names the empty field', () => {
    expect(requiredError(t, '', 'Cognome')).toBe('form.required {"field":"Cognome"}');
    expect(requiredError(t, 'Rossi', 'Cognome')).toBe(false);
  });
});

describe('emailError', () => {
  it('asks for the address, then for a valid one', () => {
    expect(emailError(t, '', 'Email')).toBe('form.required {"field":"Email"}');
    expect(emailError(t, 'mario.rossi', 'Email')).toBe('form.invalidEmail');
    expect(emailError(t, 'mario.rossi@example.it', 'Email')).toBe(false);
  });
});

describe('codiceFiscaleError', () => {
  it('asks for the code, then for 16 letters and digits', () => {
    expect(codiceFiscaleError(t, '', 'Codice fiscale')).toBe('form.required {"field":"Codice fiscale"}');
    expect(codiceFiscaleError(t, 'RSSMRA80', 'Codice fiscale')).toBe('form.invalidCodiceFiscale');
    expect(codiceFiscaleError(t, 'RSSMRA80A01H501U', 'Codice fiscale')).toBe(false);
  });
});
