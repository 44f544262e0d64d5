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

/**
 * Details of a request the schema refuses: the JSON Schema keyword (`json`: a body that is not
 * JSON; `invalid`: any other keyword). Params: the `limit` of minLength, maxLength, minimum,
 * maximum, exclusiveMinimum, exclusiveMaximum, minItems, maxItems; `type` { type }; `format`
 * { format }.
 */
export const SCHEMA_DETAIL_CODES = [
  'required',
  'type',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'pattern',
  'finite',
  'format',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'additionalProperties',
  'invalid',
  'json',
] as const;
export type SchemaDetailCode = (typeof SCHEMA_DETAIL_CODES)[number];

/** The values a detail's wording needs (`{limit}`, `{line}`…): text that is data, or numbers. */
export type DetailParams = Record<string, string | number>;
