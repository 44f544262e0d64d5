import type { TFunction } from 'i18next';
import { ApiError } from './api';
import { formatWait } from './format';

/** "Troppi tentativi. Attendi 3 minuti e riprova." when the server said how long; null otherwise. */
export function rateLimitMessage(t: TFunction, language: string | undefined, error: unknown): string | null {
  if (!(error instanceof ApiError) || error.code !== 'RATE_LIMITED' || !error.retryAfterSeconds) return null;
  return t('form.tooManyAttempts', { wait: formatWait(error.retryAfterSeconds, language ?? 'it') });
}
