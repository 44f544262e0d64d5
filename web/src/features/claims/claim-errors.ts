import type { TFunction } from 'i18next';
import {
  CLAIM_CONFLICT_CODES,
  DOCUMENT_REFUSAL_CODES,
  type DocumentRefusalCode,
} from '#contracts/claims.codes.js';
import { ApiError, detailText, errorMessage } from '../../lib/api';

/** Why a file was refused, as a code the page words (`other` for a refusal it does not know). */
export function refusalCodeOf(error: unknown): DocumentRefusalCode | 'other' | null {
  if (!(error instanceof ApiError)) return null;
  const detail = error.details.find(
    (d) => d.code && (DOCUMENT_REFUSAL_CODES as readonly string[]).includes(d.code),
  );
  if (detail?.code) return detail.code as DocumentRefusalCode;
  if (error.code === 'PAYLOAD_TOO_LARGE') return 'too_large';
  if (error.code === 'UNSUPPORTED_MEDIA_TYPE') return 'type_not_allowed';
  if (error.code === 'VALIDATION_FAILED') return 'other';
  return null;
}

/** "1,2 MB" / "350 kB". */
export function formatBytes(bytes: number, language: string): string {
  const format = (n: number) => new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(n);
  return bytes >= 1024 * 1024
    ? `${format(bytes / 1024 / 1024)} MB`
    : `${format(Math.max(1, bytes / 1024))} kB`;
}

/**
 * The text for a failed action on a claim (cancel, reminder, message, documents): a refusal in the
 * claim's present state worded by its conflict code, anything else by the error's code.
 */
export function claimActionError(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && error.code === 'CONFLICT') {
    const code = error.details.find(
      (d) => d.code && (CLAIM_CONFLICT_CODES as readonly string[]).includes(d.code),
    )?.code;
    if (code) return detailText(t, { code });
  }
  return errorMessage(t, error);
}
