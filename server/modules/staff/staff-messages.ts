import type { Locale } from '#contracts/errors.js';
import { AppError, type ErrorDetail } from '../../errors/app-error.js';
import { STAFF_ROLES } from './staff.table.js';

/** Why a new user's data or an administrator's request is refused, per field, in both languages. */
const STAFF_FIELD_MESSAGES = {
  username_invalid: {
    it: 'La username ha da 3 a 64 caratteri (lettere minuscole a-z, cifre, punto, trattino, trattino basso) e inizia con una lettera.',
    en: 'The username has 3 to 64 characters (lowercase letters a-z, digits, dot, hyphen, underscore) and starts with a letter.',
  },
  email_invalid: { it: 'Indirizzo email non valido.', en: 'Not a valid email address.' },
  role_invalid: { it: 'Scegli uno dei ruoli.', en: 'Choose one of the roles.' },
  username_taken: {
    it: 'Questa username è già usata da un altro utente del back office.',
    en: 'This username is already used by another back-office user.',
  },
  user_disabled: {
    it: 'L’utente è disattivato: riattivalo prima di reimpostare la verifica in due passaggi.',
    en: 'The user is disabled: enable them before resetting the two-factor authentication.',
  },
} satisfies Record<string, Record<Locale, string>>;
export type StaffFieldCode = keyof typeof STAFF_FIELD_MESSAGES;

/** The command line's wording for the same problems (it prints them and exits). */
export const CLI_MESSAGES: Partial<Record<StaffFieldCode, string>> = {
  username_invalid: 'username: 3-64 characters, a-z 0-9 . _ -, starting with a letter',
  email_invalid: 'email: not a valid address',
  role_invalid: `role: one of ${STAFF_ROLES.join(', ')}`,
};

export function staffFieldError(field: string, code: StaffFieldCode, locale: Locale): ErrorDetail {
  const text = STAFF_FIELD_MESSAGES[code];
  return { field, code, message: text[locale], text };
}

export const usernameTaken = (locale: Locale) =>
  new AppError('CONFLICT', [staffFieldError('username', 'username_taken', locale)]);
