import type { TFunction } from 'i18next';
import { looksLikeCodiceFiscale, looksLikeEmail } from './format';

/** "Compila il campo Email." for an empty field; false otherwise. */
export function requiredError(t: TFunction, value: string, label: string): string | false {
  return value === '' && t('form.required', { field: label });
}

/** Empty ("Compila il campo …") or not an address ("Inserisci un indirizzo email valido…"); else false. */
export function emailError(t: TFunction, value: string, label: string): string | false {
  return value === ''
    ? t('form.required', { field: label })
    : !looksLikeEmail(value) && t('form.invalidEmail');
}

/** Empty or not 16 letters and digits (the value already normalised); else false. */
export function codiceFiscaleError(t: TFunction, value: string, label: string): string | false {
  return value === ''
    ? t('form.required', { field: label })
    : !looksLikeCodiceFiscale(value) && t('form.invalidCodiceFiscale');
}
