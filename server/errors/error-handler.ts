import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_MESSAGES, type ErrorCode, type Locale } from '#contracts/errors.js';
import { AppError, type ErrorDetail, statusOf } from './app-error.js';

/** The language of an answer: English when the client prefers it, Italian otherwise. */
export function requestLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return 'it';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'it';
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  details?: ErrorDetail[],
  status = statusOf(code),
): FastifyReply {
  const locale = requestLocale(request);
  const message = ERROR_MESSAGES[code][locale];
  const localized = details?.map(({ text, ...d }) => (text ? { ...d, message: text[locale] } : d));
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send({ error: { code, message, ...(localized && localized.length > 0 ? { details: localized } : {}) } });
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

/** Turns a schema validation failure into per-field details (no echo of the value sent). */
function validationDetails(error: FastifyError): ErrorDetail[] {
  return (error.validation ?? []).map((v) => {
    const params = v.params as Record<string, unknown>;
    const named = params.missingProperty ?? params.additionalProperty;
    const path = `${v.instancePath ?? ''}${typeof named === 'string' ? `/${named}` : ''}`.replace(/^\//, '');
    const prefix =
      error.validationContext && error.validationContext !== 'body' ? `${error.validationContext}.` : '';
    const text = schemaText(v.keyword, params);
    return {
      field: `${prefix}${path}` || (error.validationContext ?? 'body'),
      code: v.keyword,
      message: text.en,
      text,
    };
  });
}

const TYPE_NAMES: Record<string, { it: string; en: string }> = {
  string: { it: 'un testo', en: 'a text' },
  integer: { it: 'un numero intero', en: 'a whole number' },
  number: { it: 'un numero', en: 'a number' },
  boolean: { it: 'sì o no (true/false)', en: 'yes or no (true/false)' },
  array: { it: 'un elenco', en: 'a list' },
  object: { it: 'un oggetto', en: 'an object' },
  null: { it: 'null', en: 'null' },
};

/**
 * The message of a schema rule in both languages, from its keyword and limits (never from the
 * value sent). Messages of our own checks (field-checks, plan rules…) are written where they run.
 */
export function schemaText(keyword: string, params: Record<string, unknown>): { it: string; en: string } {
  const n = (key: string) => String(params[key] ?? '');
  switch (keyword) {
    case 'required':
      return { it: 'Campo obbligatorio.', en: 'This field is required.' };
    case 'type': {
      const name = TYPE_NAMES[String(params.type).split(',')[0] ?? ''];
      return name
        ? { it: `Il valore deve essere ${name.it}.`, en: `The value must be ${name.en}.` }
        : { it: 'Tipo di valore non valido.', en: 'Wrong type of value.' };
    }
    case 'minLength':
      return {
        it: `Inserisci almeno ${n('limit')} caratteri.`,
        en: `Enter at least ${n('limit')} characters.`,
      };
    case 'maxLength':
      return {
        it: `Inserisci al massimo ${n('limit')} caratteri.`,
        en: `Enter at most ${n('limit')} characters.`,
      };
    case 'minimum':
      return { it: `Il valore minimo è ${n('limit')}.`, en: `The smallest value allowed is ${n('limit')}.` };
    case 'maximum':
      return { it: `Il valore massimo è ${n('limit')}.`, en: `The largest value allowed is ${n('limit')}.` };
    case 'exclusiveMinimum':
      return { it: `Il valore deve superare ${n('limit')}.`, en: `The value must be above ${n('limit')}.` };
    case 'exclusiveMaximum':
      return {
        it: `Il valore deve restare sotto ${n('limit')}.`,
        en: `The value must be below ${n('limit')}.`,
      };
    case 'minItems':
      return { it: `Servono almeno ${n('limit')} elementi.`, en: `At least ${n('limit')} items are needed.` };
    case 'maxItems':
      return { it: `Al massimo ${n('limit')} elementi.`, en: `At most ${n('limit')} items.` };
    case 'pattern':
      return { it: 'Formato non valido.', en: 'The format is not valid.' };
    case 'finite':
      return { it: 'Il valore deve essere un numero finito.', en: 'The value must be a finite number.' };
    case 'format':
      return params.format === 'email'
        ? { it: 'Indirizzo email non valido.', en: 'The email address is not valid.' }
        : { it: 'Formato non valido.', en: 'The format is not valid.' };
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return { it: 'Valore non ammesso.', en: 'This value is not allowed.' };
    case 'additionalProperties':
      return { it: 'Campo non previsto.', en: 'This field is not expected.' };
    default:
      return { it: 'Valore non valido.', en: 'The value is not valid.' };
  }
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error }, 'request failed');
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return sendError(request, reply, error.code, error.details, error.status);
    }
    if (error.validation) return sendError(request, reply, 'VALIDATION_FAILED', validationDetails(error));
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return sendError(request, reply, mapped);
    if (error.statusCode === 429) return sendError(request, reply, 'RATE_LIMITED');
    if (error.statusCode === 400 && error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return sendError(request, reply, 'VALIDATION_FAILED', [
        {
          field: 'body',
          code: 'json',
          message: 'The body is not valid JSON.',
          text: { it: 'Il contenuto non è JSON valido.', en: 'The body is not valid JSON.' },
        },
      ]);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ code: error.code, statusCode: error.statusCode }, 'client error');
      return sendError(request, reply, 'VALIDATION_FAILED', undefined, error.statusCode);
    }
    // A 5xx never leaks its cause to the client; the log keeps the request id and the stack.
    request.log.error({ err: { type: error.name, code: error.code, stack: error.stack } }, 'unhandled error');
    return sendError(request, reply, 'INTERNAL_ERROR');
  });
}
