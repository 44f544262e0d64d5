/**
 * The API's error codes: lists only, no dependency, so the web app imports them as they are
 * (contracts/errors.ts builds the schema and the server's messages from them).
 */
/** Every error the API can answer with. The code is stable: clients choose their text by it. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'RATE_LIMITED',
  'CSRF_REJECTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'INVALID_CREDENTIALS',
  'CAPTCHA_REQUIRED',
  'TICKET_INVALID',
  'LINK_INVALID',
  'PASSWORD_CHANGE_REQUIRED',
  'STAFF_SELF_ACTION',
  'LAST_ADMINISTRATOR',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
export type Locale = 'it' | 'en';
