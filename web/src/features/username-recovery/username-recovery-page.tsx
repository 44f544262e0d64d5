import { type FormEvent, useRef, useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Accepted, UsernameRecoveryRequest } from '../../../../contracts/auth';
import { Captcha, type CaptchaHandle } from '../../components/captcha';
import { FormAlert } from '../../components/form-alert';
import { FormTextField, RequiredLegend } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { useFormFeedback } from '../../lib/form-feedback';
import { looksLikeCodiceFiscale, looksLikeEmail, normaliseCodiceFiscale } from '../../lib/format';
import { rateLimitMessage } from '../../lib/rate-limit-message';
import { loginState } from '../../lib/session';
import { useDocumentTitle } from '../../lib/use-document-title';

export const USERNAME_RECOVERY_PATH = '/api/v1/auth/username-recovery';

/**
 * "Username dimenticata?": e-mail + codice fiscale + captcha; one answer whatever the input (no
 * account enumeration), shown on the login page like the password-recovery one.
 */
export function UsernameRecoveryPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('usernameRecovery.documentTitle'));
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  const captcha = useRef<CaptchaHandle>(null);
  const labels = {
    email: t('usernameRecovery.email'),
    codiceFiscale: t('usernameRecovery.codiceFiscale'),
    altcha: t('captcha.label'),
  };
  const feedback = useFormFeedback(t, labels);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    const email = formText(data, 'email').trim();
    const codiceFiscale = normaliseCodiceFiscale(formText(data, 'codiceFiscale'));
    const errors = compactErrors({
      email:
        email === ''
          ? t('form.required', { field: labels.email })
          : !looksLikeEmail(email) && t('form.invalidEmail'),
      codiceFiscale:
        codiceFiscale === ''
          ? t('form.required', { field: labels.codiceFiscale })
          : !looksLikeCodiceFiscale(codiceFiscale) && t('form.invalidCodiceFiscale'),
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
      await api.post<Accepted>(USERNAME_RECOVERY_PATH, {
        email,
        codiceFiscale,
        altcha,
      } satisfies UsernameRecoveryRequest);
      void navigate('/', { state: loginState({ kind: 'usernameRecovery', email }) });
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
      <h1 id="username-recovery-heading">{t('usernameRecovery.heading')}</h1>
      <p>{t('usernameRecovery.intro')}</p>
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
          name="codiceFiscale"
          label={labels.codiceFiscale}
          isRequired
          autoComplete="off"
          maxLength={16}
          inputProps={{ autoCapitalize: 'characters', spellCheck: false, className: 'uppercase' }}
        />
        <Captcha ref={captcha} error={feedback.fieldErrors.altcha} />
        <div className="form__actions">
          <Link href="/" className="button button--secondary">
            {t('form.back')}
          </Link>
          <SubmitButton pending={pending}>{t('usernameRecovery.submit')}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}
