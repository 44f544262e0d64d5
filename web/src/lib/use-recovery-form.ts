import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Accepted } from '#contracts/auth.js';
import { api } from './api';
import { rateLimitMessage } from './rate-limit-message';
import { loginState } from './session';
import { type FormReading, type FormSubmit, useFormSubmit } from './use-form-submit';

/**
 * A recovery request (password or username): the fields checked, the captcha solved, then one answer
 * whatever the input (no account enumeration), shown on the login page with the typed address. A
 * rate limit says how long to wait. `Fields` is the request without its `altcha`.
 */
export function useRecoveryForm<Fields extends { email: string }>(options: {
  path: string;
  notice: 'passwordRecovery' | 'usernameRecovery';
  labels: Record<string, string>;
  read(data: FormData): FormReading<Fields>;
}): FormSubmit {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  return useFormSubmit({
    labels: options.labels,
    read: options.read,
    captcha: true,
    send: async (fields, altcha) => {
      await api.post<Accepted>(options.path, { ...fields, altcha });
      void navigate('/', { state: loginState({ kind: options.notice, email: fields.email }) });
    },
    onError: (error) => rateLimitMessage(t, i18n.resolvedLanguage, error),
  });
}
