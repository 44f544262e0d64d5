import { describe, expect, it } from 'vitest';
import { ApiError, parseRetryAfter, requestLanguage, toApiError } from './api';

describe('toApiError', () => {
  it('keeps the code, the per-field details (with their reason) and the wait', () => {
    const error = toApiError(
      400,
      {
        error: {
          code: 'VALIDATION_FAILED',
          message: 'x',
          details: [{ field: 'email', code: 'required', message: 'Campo obbligatorio' }, { field: 7 }],
        },
      },
      30,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([{ field: 'email', code: 'required', message: 'Campo obbligatorio' }]);
    expect(error.retryAfterSeconds).toBe(30);
  });

  it('knows the member-account codes', () => {
    for (const code of ['INVALID_CREDENTIALS', 'CAPTCHA_REQUIRED', 'TICKET_INVALID', 'LINK_INVALID']) {
      expect(toApiError(400, { error: { code, message: '' } }).code).toBe(code);
    }
  });

  it('falls back to the status when the body is not ours', () => {
    expect(toApiError(429, '<html>').code).toBe('RATE_LIMITED');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds or an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120);
    const now = Date.parse('2026-01-01T10:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 10:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('requestLanguage', () => {
  it('asks for English only when the interface is in English', () => {
    expect(requestLanguage('en')).toBe('en');
    expect(requestLanguage('it')).toBe('it');
    expect(requestLanguage(undefined)).toBe('it');
  });
});
