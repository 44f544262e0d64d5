import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { PasswordResetRequest } from '../../../../contracts/auth';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { RequiredLegend } from '../../components/form-field';
import { NewPasswordFields, readNewPassword } from '../../components/new-password-fields';
import { SubmitButton } from '../../components/submit-button';
import { ApiError, api, errorMessage } from '../../lib/api';
import { useFormFeedback } from '../../lib/form-feedback';
import { useDocumentTitle } from '../../lib/use-document-title';
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
  const [pending, setPending] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);
  const labels = { newPassword: t('password.new'), newPasswordConfirmation: t('password.confirmation') };
  const feedback = useFormFeedback(t, labels);

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

  useEffect(() => {
    if (stage.name === 'done') statusRef.current?.focus();
  }, [stage.name]);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (pending || !token) return;
    const { newPassword, newPasswordConfirmation, errors } = readNewPassword(
      new FormData(event.currentTarget),
      {
        required: (field) => t('form.required', { field: labels[field] }),
        mismatch: t('password.mismatch'),
      },
    );
    if (Object.keys(errors).length > 0) {
      feedback.report(t('errors.VALIDATION_FAILED'), errors);
      return;
    }
    feedback.clear();
    setPending(true);
    try {
      const body: PasswordResetRequest = { token, newPassword, newPasswordConfirmation };
      await api.post<unknown>(RESET_PATH, body);
      setStage({ name: 'done' });
    } catch (error) {
      if (isLinkInvalid(error)) setStage({ name: 'invalid' });
      else feedback.reportApiError(error);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card">
      <h1 id="password-reset-heading">{t('passwordReset.heading')}</h1>

      <FormStatus ref={statusRef} message={stage.name === 'done' ? t('passwordReset.success') : null}>
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
          <FormAlert problem={feedback.problem} />
          <Form
            ref={feedback.formRef}
            className="form"
            validationBehavior="aria"
            validationErrors={feedback.fieldErrors}
            onSubmit={(event) => void onSubmit(event)}
          >
            <RequiredLegend>{t('form.requiredLegend')}</RequiredLegend>
            <NewPasswordFields resetToken={token ?? undefined} />
            <SubmitButton pending={pending} block>
              {t('passwordReset.submit')}
            </SubmitButton>
          </Form>
        </>
      )}
    </section>
  );
}
