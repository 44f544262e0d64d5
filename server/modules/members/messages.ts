import type { Locale } from '#contracts/errors.js';

/** Field-level reasons of the account forms, in both languages. The code is stable; the text is for people. */
export const FIELD_MESSAGES = {
  required: { it: 'Campo obbligatorio.', en: 'This field is required.' },
  email_invalid: { it: 'Indirizzo email non valido.', en: 'Not a valid email address.' },
  email_mismatch: {
    it: 'La conferma non coincide con l’email inserita.',
    en: 'The confirmation does not match the email entered.',
  },
  cf_malformed: {
    it: 'Il codice fiscale non è scritto correttamente (16 caratteri).',
    en: 'The codice fiscale is not written correctly (16 characters).',
  },
  cf_check_character: {
    it: 'Il codice fiscale non è valido: controlla di averlo scritto bene.',
    en: 'The codice fiscale is not valid: check that you typed it correctly.',
  },
  cf_incoherent_surname: {
    it: 'Il codice fiscale non corrisponde al cognome inserito.',
    en: 'The codice fiscale does not match the surname entered.',
  },
  cf_incoherent_name: {
    it: 'Il codice fiscale non corrisponde al nome inserito.',
    en: 'The codice fiscale does not match the name entered.',
  },
  cf_incoherent_birth_date: {
    it: 'Il codice fiscale non corrisponde alla data di nascita inserita.',
    en: 'The codice fiscale does not match the date of birth entered.',
  },
  birth_date_invalid: { it: 'Data di nascita non valida.', en: 'Not a valid date of birth.' },
  birth_date_future: {
    it: 'La data di nascita non può essere nel futuro.',
    en: 'The date of birth cannot be in the future.',
  },
  captcha_missing: {
    it: 'Conferma di non essere un robot.',
    en: 'Confirm that you are not a robot.',
  },
  captcha_invalid: {
    it: 'Verifica "Non sono un robot" non valida o scaduta: ripetila.',
    en: 'The "I\'m not a robot" check is not valid or has expired: do it again.',
  },
  password_mismatch: {
    it: 'La conferma non coincide con la nuova password.',
    en: 'The confirmation does not match the new password.',
  },
  same_as_current: {
    it: 'La nuova password deve essere diversa da quella attuale.',
    en: 'The new password must differ from the current one.',
  },
  totp_invalid: {
    it: 'Codice non valido: inserisci le 6 cifre mostrate ora dall’app di autenticazione.',
    en: 'Invalid code: enter the 6 digits your authenticator app shows now.',
  },
  current_password_wrong: {
    it: 'La password attuale non è corretta.',
    en: 'The current password is not correct.',
  },
} satisfies Record<string, Record<Locale, string>>;

export type FieldMessageCode = keyof typeof FIELD_MESSAGES;

export function fieldError(field: string, code: FieldMessageCode, locale: Locale) {
  return { field, code, message: FIELD_MESSAGES[code][locale] };
}
