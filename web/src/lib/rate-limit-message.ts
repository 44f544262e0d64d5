import type { TFunction } from 'i18next';
import { ApiError } from './api';
import { formatWait } from './format';

/**
 * "Troppi tentativi. Attendi 3 minuti e riprova." when the server said how long; null otherwise.
 * The login form has its own sentence (`login.rateLimited`).
 */
export function rateLimitMessage(
  t: TFunction,
  language: string | undefined,
  error: unknown,
  key: 'form.tooManyAttempts' | 'login.rateLimited' = 'form.tooManyAttempts',
): string | null {
  if (!(error instanceof ApiError) || error.code !== 'RATE_LIMITED' || !error.retryAfterSeconds) return null;
  return t(key, { wait: formatWait(error.retryAfterSeconds, language ?? 'it') });
}
