import { Type } from 'typebox';

import { type DetailParams, ERROR_CODES, type ErrorCode, type Locale } from './errors.codes.js';

export { type DetailParams, ERROR_CODES, type ErrorCode, type Locale };

export const ERROR_MESSAGES: Record<ErrorCode, Record<Locale, string>> = {
  VALIDATION_FAILED: {
    it: 'Alcuni dati non sono validi: controlla i campi indicati.',
    en: 'Some data is not valid: check the fields shown.',
  },
  NOT_FOUND: { it: 'La risorsa richiesta non esiste.', en: 'The requested resource does not exist.' },
  RATE_LIMITED: {
    it: 'Troppe richieste: riprova tra qualche minuto.',
    en: 'Too many requests: try again in a few minutes.',
  },
  CSRF_REJECTED: {
    it: 'Richiesta rifiutata: proviene da un sito diverso da OneCare.',
    en: 'Request refused: it comes from a site other than OneCare.',
  },
  UNAUTHENTICATED: {
    it: 'Devi accedere per continuare.',
    en: 'You need to log in to continue.',
  },
  FORBIDDEN: {
    it: 'Non hai i permessi per questa operazione.',
    en: 'You are not allowed to do this.',
  },
  CONFLICT: {
    it: 'L’operazione è in conflitto con lo stato attuale dei dati.',
    en: 'The operation conflicts with the current state of the data.',
  },
  INVALID_CREDENTIALS: {
    it: 'Username o password non corretti. Dopo molti tentativi l’accesso viene bloccato: in tal caso usa "Password dimenticata?".',
    en: 'Wrong username or password. After many attempts access is blocked: then use "Forgot password?".',
  },
  CAPTCHA_REQUIRED: {
    it: 'Per continuare conferma di non essere un robot.',
    en: 'To continue, confirm that you are not a robot.',
  },
  TICKET_INVALID: {
    it: 'Ticket number non valido, già usato o scaduto. Ripeti la registrazione per riceverne uno nuovo.',
    en: 'The ticket number is not valid, already used or expired. Register again to receive a new one.',
  },
  LINK_INVALID: {
    it: 'Il link non è valido, è già stato usato o è scaduto. Richiedine uno nuovo.',
    en: 'The link is not valid, was already used or has expired. Request a new one.',
  },
  PASSWORD_CHANGE_REQUIRED: {
    it: 'Prima di continuare devi scegliere una nuova password.',
    en: 'Before going on you must choose a new password.',
  },
  STAFF_SELF_ACTION: {
    it: 'Non puoi disattivare il tuo utente, cambiarne il ruolo o reimpostarne la verifica in due passaggi: chiedilo a un altro amministratore.',
    en: 'You cannot disable your own user, change its role or reset its two-factor authentication: ask another administrator.',
  },
  LAST_ADMINISTRATOR: {
    it: 'Deve restare almeno un altro amministratore attivo: questo utente non può essere disattivato, cambiare ruolo o essere reimpostato.',
    en: 'At least one other active administrator must remain: this user cannot be disabled, change role or be reset.',
  },
  PAYLOAD_TOO_LARGE: { it: 'I dati inviati sono troppo grandi.', en: 'The data sent is too large.' },
  UNSUPPORTED_MEDIA_TYPE: {
    it: 'Formato dei dati non supportato.',
    en: 'Unsupported data format.',
  },
  SERVICE_UNAVAILABLE: {
    it: 'Servizio momentaneamente non disponibile: riprova più tardi.',
    en: 'Service temporarily unavailable: try again later.',
  },
  INTERNAL_ERROR: {
    it: 'Si è verificato un errore imprevisto. Riprova più tardi.',
    en: 'An unexpected error occurred. Try again later.',
  },
};

export const ErrorDetail = Type.Object({
  field: Type.String({ description: 'Path of the field, e.g. "email" or "invoices/0/amount"' }),
  code: Type.String({
    description:
      'A stable reason, e.g. required, email_mismatch, cf_incoherent_name, too_short: one of the lists of contracts/details.codes.ts. Clients choose their text by it.',
  }),
  params: Type.Optional(
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
      description:
        'The values the wording of the code needs, e.g. { limit: 3 } for minLength, { line: 1, columns: "…" } for file_header (each list documents its own).',
    }),
  ),
  message: Type.String({
    description:
      "The code worded in the request's language (Accept-Language: en, else Italian), for clients that do not word codes themselves.",
  }),
});

/** The one error shape of the API. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))),
      message: Type.String(),
      details: Type.Optional(Type.Array(ErrorDetail)),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every failure has this shape, with a stable code.' },
);
