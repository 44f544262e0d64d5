import type { DetailCode } from '#contracts/details.codes.js';
import type { DetailParams, ErrorCode } from '#contracts/errors.js';

/**
 * Why one field is refused: a listed code (contracts/details.codes.ts) and the values its wording
 * needs. No text: the error handler words the API's `message`, the web app its own.
 */
export interface ErrorDetail {
  field: string;
  code: DetailCode;
  params?: DetailParams;
}

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_REJECTED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_CREDENTIALS: 401,
  CAPTCHA_REQUIRED: 400,
  TICKET_INVALID: 400,
  LINK_INVALID: 400,
  PASSWORD_CHANGE_REQUIRED: 403,
  STAFF_SELF_ACTION: 409,
  LAST_ADMINISTRATOR: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/** An error meant for the user: a stable code, its HTTP status, and optional per-field details. */
export class AppError extends Error {
  readonly status: number;
  /** Sent as Retry-After with RATE_LIMITED. */
  readonly retryAfterSeconds: number | undefined;
  constructor(
    readonly code: ErrorCode,
    readonly details?: ErrorDetail[],
    options?: { cause?: unknown; status?: number; retryAfterSeconds?: number },
  ) {
    super(code, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = options?.status ?? STATUS[code];
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}
