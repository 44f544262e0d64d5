import type { TFunction } from 'i18next';
import type { ClaimWarning } from '../claims-api';

/** A probable duplicate, worded: of a claim already sent (by its number) or of another draft. */
export function warningText(t: TFunction, warning: ClaimWarning): string {
  return warning.claimNumber
    ? t('claims.duplicate', { number: warning.claimNumber })
    : t('claims.duplicateDraft');
}
