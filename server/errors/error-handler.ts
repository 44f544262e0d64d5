import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DetailCode } from '#contracts/details.codes.js';
import { SCHEMA_DETAIL_CODES, type SchemaDetailCode } from '#contracts/errors.codes.js';
import { type DetailParams, ERROR_MESSAGES, type ErrorCode, type Locale } from '#contracts/errors.js';
import { AppError, type ErrorDetail, statusOf } from './app-error.js';
import { detailMessage } from './detail-messages.js';
import { isUnavailable } from './unavailable.js';

/** The language of an answer: English when the client prefers it, Italian otherwise. */
export function requestLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return 'it';
  const first = header.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'it';
}

/**
 * Coded items (details, a password's problems) with their `message` in the request's language:
 * the one place the server words them, from the one catalog (detail-messages.ts).
 */
export function worded<T extends { code: DetailCode; params?: DetailParams }>(
  request: FastifyRequest,
  items: readonly T[],
): (T & { message: string })[] {
  const locale = requestLocale(request);
  return items.map((item) => ({ ...item, message: detailMessage(item.code, item.params, locale) }));
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
  const localized = details && worded(request, details);
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
    return {
      field: `${prefix}${path}` || (error.validationContext ?? 'body'),
      ...schemaDetail(v.keyword, params),
    };
  });
}

const LIMITED = new Set<string>([
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
]);

/**
 * The code and params of a schema rule, from its keyword and limits (never from the value sent):
 * the keyword itself when listed (SCHEMA_DETAIL_CODES), else `invalid`.
 */
export function schemaDetail(
  keyword: string,
  params: Record<string, unknown>,
): Pick<ErrorDetail, 'code' | 'params'> {
  const code = (SCHEMA_DETAIL_CODES as readonly string[]).includes(keyword)
    ? (keyword as SchemaDetailCode)
    : 'invalid';
  if (LIMITED.has(code)) return { code, params: { limit: Number(params.limit) } };
  if (code === 'type') return { code, params: { type: String(params.type) } };
  if (code === 'format') return { code, params: { format: String(params.format) } };
  return { code };
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
      return sendError(request, reply, 'VALIDATION_FAILED', [{ field: 'body', code: 'json' }]);
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      request.log.info({ code: error.code, statusCode: error.statusCode }, 'client error');
      return sendError(request, reply, 'VALIDATION_FAILED', undefined, error.statusCode);
    }
    // The database or the document store out of reach: worth trying again, and said so (decision 057).
    if (isUnavailable(error)) {
      request.log.warn({ err: { type: error.name, code: error.code } }, 'dependency unavailable');
      return sendError(request, reply, 'SERVICE_UNAVAILABLE');
    }
    // A 5xx never leaks its cause to the client; the log keeps the request id and the stack.
    request.log.error({ err: { type: error.name, code: error.code, stack: error.stack } }, 'unhandled error');
    return sendError(request, reply, 'INTERNAL_ERROR');
  });
}
