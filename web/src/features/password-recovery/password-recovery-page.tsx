import { type FormEvent, useRef, useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Accepted, PasswordRecoveryRequest } from '../../../../contracts/auth';
import { Captcha, type CaptchaHandle } from '../../components/captcha';
import { FormAlert } from '../../components/form-alert';
import { FormTextField, RequiredLegend } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { useFormFeedback } from '../../lib/form-feedback';
import { looksLikeEmail } from '../../lib/format';
import { rateLimitMessage } from '../../lib/rate-limit-message';
import { loginState } from '../../lib/session';
import { useDocumentTitle } from '../../lib/use-document-title';

export const PASSWORD_RECOVERY_PATH = '/api/v1/auth/password-recovery';

/**
 * "Recupero password OneCare". The answer is the same whether or not the pair exists, and it is
 * shown on the login page, as in the seed.
 */
export function PasswordRecoveryPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('passwordRecovery.documentTitle'));
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  const captcha = useRef<CaptchaHandle>(null);
  const labels = {
    email: t('passwordRecovery.email'),
    username: t('passwordRecovery.username'),
    altcha: t('captcha.label'),
  };
  const feedback = useFormFeedback(t, labels);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    const email = formText(data, 'email').trim();
    const username = formText(data, 'username').trim();
    const errors = compactErrors({
      email:
        email === ''
          ? t('form.required', { field: labels.email })
          : !looksLikeEmail(email) && t('form.invalidEmail'),
      username: username === '' && t('form.required', { field: labels.username }),
    });
    if (Object.keys(errors).length > 0) {
      feedback.report(t('errors.VALIDATION_FAILED'), errors);
      return;
    }
    feedback.clear();
    setPending(true);
    try {
      const altcha = await captcha.current?.solve();
      if (!altcha) {
        feedback.report(t('captcha.failed'), { altcha: t('captcha.failed') });
        return;
      }
      await api.post<Accepted>(PASSWORD_RECOVERY_PATH, {
        email,
        username,
        altcha,
      } satisfies PasswordRecoveryRequest);
      void navigate('/', { state: loginState({ kind: 'passwordRecovery', email }) });
    } catch (error) {
      captcha.current?.reset();
      const waitMessage = rateLimitMessage(t, i18n.resolvedLanguage, error);
      if (waitMessage) feedback.report(waitMessage);
      else feedback.reportApiError(error);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card">
      <h1 id="password-recovery-heading">{t('passwordRecovery.heading')}</h1>
      <p>{t('passwordRecovery.intro')}</p>
      <FormAlert problem={feedback.problem} />
      <Form
        ref={feedback.formRef}
        className="form"
        validationBehavior="aria"
        validationErrors={feedback.fieldErrors}
        onSubmit={(event) => void onSubmit(event)}
      >
        <RequiredLegend>{t('form.requiredLegend')}</RequiredLegend>
        <FormTextField
          name="email"
          label={labels.email}
          type="email"
          isRequired
          autoComplete="email"
          maxLength={254}
          inputProps={{ spellCheck: false }}
        />
        <FormTextField
          name="username"
          label={labels.username}
          isRequired
          autoComplete="username"
          maxLength={200}
          inputProps={{ autoCapitalize: 'none', spellCheck: false }}
        />
        <Captcha ref={captcha} error={feedback.fieldErrors.altcha} />
        <div className="form__actions">
          <Link href="/" className="button button--secondary">
            {t('form.back')}
          </Link>
          <SubmitButton pending={pending}>{t('passwordRecovery.submit')}</SubmitButton>
        </div>
      </Form>
      <p>
        <Link href="/recupero-username">{t('passwordRecovery.forgotUsername')}</Link>
      </p>
    </section>
  );
}
