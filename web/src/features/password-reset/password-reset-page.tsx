import { useCallback, useEffect, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { PasswordResetRequest } from '#contracts/auth.js';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { RequiredLegend } from '../../components/form-field';
import { NewPasswordFields, newPasswordLabels, readNewPassword } from '../../components/new-password-fields';
import { SubmitButton } from '../../components/submit-button';
import { ApiError, api, errorMessage } from '../../lib/api';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useSecretQueryParam } from '../../lib/use-secret-query-param';

export const RESET_CHECK_PATH = '/api/v1/auth/password-reset/check';
export const RESET_PATH = '/api/v1/auth/password-reset';

type Stage =
  | { name: 'checking' }
  | { name: 'invalid' }
  | { name: 'unreachable'; error: unknown }
  | { name: 'ready' }
  | { name: 'done' };

function isLinkInvalid(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'LINK_INVALID' || error.code === 'NOT_FOUND');
}

/** The page the reset e-mail links to (`/reimposta-password?token=…`). */
export function PasswordResetPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('passwordReset.documentTitle'));
  const token = useSecretQueryParam('token');
  const [stage, setStage] = useState<Stage>(token ? { name: 'checking' } : { name: 'invalid' });
  const form = useFormSubmit({
    labels: newPasswordLabels(t),
    read: (data) => {
      if (!token) return null;
      const { value, errors } = readNewPassword(data, t);
      return { value: { token, ...value }, errors };
    },
    send: async (body: PasswordResetRequest) => {
      await api.post<unknown>(RESET_PATH, body);
      setStage({ name: 'done' });
    },
    onError: (error) => {
      if (!isLinkInvalid(error)) return null;
      setStage({ name: 'invalid' });
      return true;
    },
  });

  const checkLink = useCallback(
    (signal?: AbortSignal) => {
      if (!token) return;
      setStage({ name: 'checking' });
      api
        .post<unknown>(RESET_CHECK_PATH, { token }, signal ? { signal } : {})
        .then(() => setStage({ name: 'ready' }))
        .catch((error: unknown) => {
          if (signal?.aborted) return;
          setStage(isLinkInvalid(error) ? { name: 'invalid' } : { name: 'unreachable', error });
        });
    },
    [token],
  );

  useEffect(() => {
    const controller = new AbortController();
    checkLink(controller.signal);
    return () => controller.abort();
  }, [checkLink]);

  return (
    <section className="card">
      <h1 id="password-reset-heading">{t('passwordReset.heading')}</h1>

      <FormStatus message={stage.name === 'done' ? t('passwordReset.success') : null} focusOnShow>
        <p>
          <Link href="/">{t('form.toLogin')}</Link>
        </p>
      </FormStatus>

      {stage.name === 'checking' && <p role="status">{t('passwordReset.checking')}</p>}

      {stage.name === 'invalid' && (
        <div className="notice notice--error">
          <p role="alert">{t('errors.LINK_INVALID')}</p>
          <p>
            <Link href="/recupero-password" className="button button--primary">
              {t('passwordReset.requestNew')}
            </Link>
          </p>
        </div>
      )}

      {stage.name === 'unreachable' && (
        <>
          <div role="alert" className="form-alert">
            <p>{errorMessage(t, stage.error)}</p>
          </div>
          <Button className="button button--primary" onPress={() => checkLink()}>
            {t('form.retry')}
          </Button>
        </>
      )}

      {stage.name === 'ready' && (
        <>
          <p>{t('passwordReset.intro')}</p>
          <FormAlert problem={form.feedback.problem} />
          <Form {...form.formProps}>
            <RequiredLegend />
            <NewPasswordFields resetToken={token ?? undefined} />
            <SubmitButton pending={form.pending} block>
              {t('passwordReset.submit')}
            </SubmitButton>
          </Form>
        </>
      )}
    </section>
  );
}
