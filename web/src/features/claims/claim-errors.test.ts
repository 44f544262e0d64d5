import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/form-feedback';
import { claimActionError, formatBytes, refusalCodeOf } from './claim-errors';

/** Knows every key but `fieldErrors.something_new`, for which it answers i18next's `defaultValue`. */
const t = ((key: string, options?: { defaultValue?: string }) =>
  key === 'fieldErrors.something_new' ? options?.defaultValue : `«${key}»`) as unknown as TFunction;

describe('claim errors from the server', () => {
  it("a claim's details land beside their fields (JSON pointers), worded by code when known", () => {
    const error = new ApiError('VALIDATION_FAILED', 400, 'invalid', [
      { field: '/invoices/1/amountCents', code: 'amount_zero', message: 'server text' },
      { field: '/invoices/1/amountCents', code: 'amount_too_large', message: 'second' },
      { field: '/iban', code: 'something_new', message: 'IBAN non valido (server)' },
    ]);
    expect(fieldErrorsOf(error, t)).toEqual({
      'invoices/1/amountCents': '«fieldErrors.amount_zero»',
      iban: 'IBAN non valido (server)',
    });
    expect(fieldErrorsOf(new Error('x'), t)).toEqual({});
  });

  it('says why a file was refused by its code', () => {
    const refused = (code: string) =>
      new ApiError('VALIDATION_FAILED', 400, 'x', [{ field: 'file', code, message: '' }]);
    expect(refusalCodeOf(refused('pdf_encrypted'))).toBe('pdf_encrypted');
    expect(refusalCodeOf(refused('pdf_active_content'))).toBe('pdf_active_content');
    expect(refusalCodeOf(refused('unheard_of'))).toBe('other');
    expect(refusalCodeOf(new ApiError('PAYLOAD_TOO_LARGE', 413, 'x'))).toBe('too_large');
    expect(refusalCodeOf(new ApiError('UNSUPPORTED_MEDIA_TYPE', 415, 'x'))).toBe('type_not_allowed');
    expect(refusalCodeOf(new ApiError('NETWORK_ERROR', 0, 'x'))).toBeNull();
  });

  it('words a refused action by its conflict code', () => {
    const conflict = new ApiError('CONFLICT', 409, 'x', [
      { field: 'state', code: 'messages_closed', message: '' },
    ]);
    expect(claimActionError(t, conflict)).toBe('«fieldErrors.messages_closed»');
    expect(claimActionError(t, new ApiError('CONFLICT', 409, 'x'))).toBe('«errors.CONFLICT»');
    expect(claimActionError(t, new ApiError('NOT_FOUND', 404, 'x'))).toBe('«errors.NOT_FOUND»');
  });

  it('writes sizes for people', () => {
    expect(formatBytes(2 * 1024 * 1024, 'it')).toBe('2 MB');
    expect(formatBytes(1536 * 1024, 'it')).toBe('1,5 MB');
    expect(formatBytes(300, 'en')).toBe('1 kB');
  });
});
