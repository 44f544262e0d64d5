/** The member space's API paths and the shapes the web reads (types only from the contracts). */
export const PROFILE_PATH = '/api/v1/profile';
export const PROFILE_SESSIONS_PATH = '/api/v1/profile/sessions';
export const PROFILE_ACCESS_LOG_PATH = '/api/v1/profile/access-log';
export const PROFILE_EXPORT_PATH = '/api/v1/profile/data-export';
export const STATEMENT_PATH = '/api/v1/profile/statement';

/** `IT60X0542811101000000123456` → `IT60 X054 2811 1010 0000 0123 456`. */
export function spacedIban(iban: string): string {
  return iban.replace(/(.{4})/g, '$1 ').trim();
}
