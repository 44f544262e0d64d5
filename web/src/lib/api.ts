import i18next, { type TFunction } from 'i18next';
import { ERROR_CODES, type ErrorCode } from '#contracts/errors.codes.js';

/** Stable error codes of the OneCare API (`{ error: { code, message, details? } }`). */
export const API_ERROR_CODES = ERROR_CODES;
export type ApiErrorCode = ErrorCode;
/** Set by the client when no HTTP response arrived at all. */
export const NETWORK_ERROR = 'NETWORK_ERROR';
export type ClientErrorCode = ApiErrorCode | typeof NETWORK_ERROR;

/** The values a code's wording needs, e.g. `{ limit: 3 }` (contracts/details.codes.ts). */
export type DetailParams = Record<string, string | number>;

export interface ApiErrorDetail {
  /** The request field, e.g. `email` (nested ones as `invoices/0/amount`). */
  field: string;
  /** A stable reason, e.g. `required`, `email_mismatch`: the web words it (`detailText`). */
  code?: string;
  params?: DetailParams;
  /** The server's wording, in the request's `Accept-Language`: for a code the web does not know. */
  message: string;
}

export class ApiError extends Error {
  readonly code: ClientErrorCode;
  /** HTTP status; 0 when the request never got a response. */
  readonly status: number;
  readonly details: readonly ApiErrorDetail[];
  /** From a `Retry-After` header (429, 503): how long to wait, in seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ClientErrorCode,
    status: number,
    message: string,
    details: readonly ApiErrorDetail[] = [],
    retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value);
}

/** The code to assume when a response carries no usable error body (a proxy page, an empty 502, …). */
export function codeForStatus(status: number): ApiErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'VALIDATION_FAILED';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 502:
    case 503:
    case 504:
      return 'SERVICE_UNAVAILABLE';
    default:
      return 'INTERNAL_ERROR';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The params of a detail: only string and number values are kept. */
export function paramsOf(value: unknown): DetailParams | undefined {
  if (!isRecord(value)) return undefined;
  // Keys come from the server's JSON: kept on an object without prototype.
  const out: DetailParams = Object.create(null);
  for (const [key, param] of Object.entries(value)) {
    if (typeof param === 'string' || typeof param === 'number') out[key] = param;
  }
  return out;
}

function parseDetails(value: unknown): ApiErrorDetail[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): ApiErrorDetail[] => {
    if (!isRecord(item) || typeof item.field !== 'string' || typeof item.message !== 'string') return [];
    const detail: ApiErrorDetail = { field: item.field, message: item.message };
    if (typeof item.code === 'string') detail.code = item.code;
    const params = paramsOf(item.params);
    if (params) detail.params = params;
    return [detail];
  });
}

/**
 * `Retry-After` in seconds; an HTTP date is turned into the seconds left. Undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number.parseInt(text, 10);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Builds an ApiError from a failed response body, whatever it holds. */
export function toApiError(status: number, body: unknown, retryAfterSeconds?: number): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const code = isApiErrorCode(error?.code) ? error.code : codeForStatus(status);
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${status}`;
  return new ApiError(code, status, message, parseDetails(error?.details), retryAfterSeconds);
}

/**
 * The language the server should answer in (errors' `message`s, for codes the web does not word): the
 * interface language, narrowed to the two we ship.
 */
export function requestLanguage(language: string | undefined = i18next.resolvedLanguage): 'it' | 'en' {
  return language === 'en' ? 'en' : 'it';
}

export interface ApiResponseEvent {
  method: string;
  path: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** The request's place in the order of requests sent (1, 2, …): see `requestsSent`. */
  sequence: number;
}

let sentRequests = 0;

/**
 * How many API requests have been sent so far. An answer whose `sequence` is not above the value
 * read at some moment belongs to a request sent before it (e.g. before a sign-in).
 */
export function requestsSent(): number {
  return sentRequests;
}

type ApiResponseListener = (event: ApiResponseEvent) => void;
const responseListeners = new Set<ApiResponseListener>();

/**
 * Calls `listener` after every API answer (the session keeper uses it: any answer to a member call
 * means the server saw activity, a 401 means the session is gone). Returns the unsubscribe function.
 */
export function onApiResponse(listener: ApiResponseListener): () => void {
  responseListeners.add(listener);
  return () => {
    responseListeners.delete(listener);
  };
}

let serverClockOffsetMs = 0;

/**
 * How far the server's clock is ahead of this browser's (ms, from the last `Date` header seen), so
 * instants sent by the server (a session's expiry) can be placed on the local clock.
 */
export function serverClockOffset(): number {
  return serverClockOffsetMs;
}

function rememberServerClock(response: Response): void {
  const date = Date.parse(response.headers.get('Date') ?? '');
  // The header has a one-second resolution: ignore differences that small.
  if (!Number.isNaN(date)) {
    const offset = date - Date.now();
    serverClockOffsetMs = Math.abs(offset) < 2000 ? 0 : offset;
  }
}

function notify(event: ApiResponseEvent): void {
  for (const listener of responseListeners) {
    try {
      listener(event);
    } catch {
      // A listener's failure must not turn a good answer into an error.
    }
  }
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Serialised as JSON. */
  body?: unknown;
  /** Sent as is instead of `body` (a file upload), with `contentType`. */
  rawBody?: Blob;
  contentType?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function networkError(cause: unknown): ApiError {
  return new ApiError(NETWORK_ERROR, 0, cause instanceof Error ? cause.message : 'Network error');
}

type Parsed = { ok: true; value: unknown } | { ok: false };

/** An empty body is `undefined`; anything but JSON (an HTML page from a proxy) is not ok. */
function parseJson(text: string): Parsed {
  if (text === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * Calls the OneCare JSON API on the same origin (session cookie included).
 * Resolves with the parsed body (`undefined` for an empty one); rejects with an ApiError.
 * The caller states the expected type `T`: the body is not checked at run time.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { rawBody, contentType } = options;
  const {
    method = options.body === undefined && !rawBody ? 'GET' : 'POST',
    body,
    signal,
    headers = {},
  } = options;
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      'Accept-Language': requestLanguage(),
      ...(rawBody ? { 'Content-Type': contentType ?? 'application/octet-stream' } : {}),
      ...(body === undefined || rawBody ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
  };
  if (rawBody) init.body = rawBody;
  else if (body !== undefined) init.body = JSON.stringify(body);
  if (signal) init.signal = signal;

  const sequence = ++sentRequests;
  let response: Response;
  let text: string;
  try {
    response = await fetch(path, init);
    text = await response.text();
  } catch (cause) {
    if (isAbort(cause)) throw cause;
    notify({ method, path, status: 0, sequence });
    throw networkError(cause);
  }

  rememberServerClock(response);
  notify({ method, path, status: response.status, sequence });
  const parsed = parseJson(text);
  if (!response.ok) {
    const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
    throw toApiError(response.status, parsed.ok ? parsed.value : undefined, retryAfter);
  }
  if (!parsed.ok) throw new ApiError('INTERNAL_ERROR', response.status, 'The response is not JSON');
  return parsed.value as T;
}

export const api = {
  get: <T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}) =>
    apiRequest<T>(path, { ...options, method: 'PUT', body }),
  /** POSTs a file as the request body (not JSON), e.g. a CSV upload. */
  upload: <T>(
    path: string,
    file: Blob,
    contentType: string,
    options: Omit<RequestOptions, 'method' | 'body'> = {},
  ) => apiRequest<T>(path, { ...options, method: 'POST', rawBody: file, contentType }),
};

/** The code to show for any thrown value: ApiError keeps its own, anything else is unexpected. */
export function errorCodeOf(error: unknown): ClientErrorCode {
  return error instanceof ApiError ? error.code : 'INTERNAL_ERROR';
}

/** Translated, user-facing text for an error code or a thrown value. */
/**
 * The one way the web words a coded reason (an error detail, a password problem, a refused file):
 * `fieldErrors.<code>` with its params when this version knows the code, else the server's
 * message (a code added on the server before the web words it), else the generic wording.
 */
export function detailText(
  t: TFunction,
  detail: { code?: string | undefined; params?: DetailParams | undefined; message?: string | undefined },
): string {
  const fallback = detail.message ?? t('fieldErrors.invalid');
  if (!detail.code) return fallback;
  const key = `fieldErrors.${detail.code}` as 'fieldErrors.invalid';
  return t(key, { ...detail.params, defaultValue: fallback });
}

export function errorMessage(t: TFunction, error: unknown): string {
  const code =
    typeof error === 'string' && (isApiErrorCode(error) || error === NETWORK_ERROR)
      ? error
      : errorCodeOf(error);
  return t(`errors.${code}`);
}

/**
 * POSTs a file as the request body like `api.upload`, reporting the bytes sent (`fetch` cannot):
 * `onProgress(sent, total)`. Same headers, same answers and errors as `apiRequest`.
 */
export function uploadWithProgress<T>(
  path: string,
  file: Blob,
  onProgress: (sent: number, total: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const sequence = ++sentRequests;
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', requestLanguage());
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.upload.onprogress = (event) =>
      onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onerror = () => {
      notify({ method: 'POST', path, status: 0, sequence });
      reject(networkError(new Error('Network error')));
    };
    xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
    xhr.onload = () => {
      const date = xhr.getResponseHeader('Date');
      rememberServerClock(new Response(null, { headers: date ? { Date: date } : {} }));
      notify({ method: 'POST', path, status: xhr.status, sequence });
      const parsed = parseJson(xhr.responseText);
      if (xhr.status < 200 || xhr.status >= 300) {
        const retryAfter = parseRetryAfter(xhr.getResponseHeader('Retry-After'));
        reject(toApiError(xhr.status, parsed.ok ? parsed.value : undefined, retryAfter));
        return;
      }
      if (!parsed.ok) reject(new ApiError('INTERNAL_ERROR', xhr.status, 'The response is not JSON'));
      else resolve(parsed.value as T);
    };
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
