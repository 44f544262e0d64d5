import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Accepted, RegistrationRequest } from '../../../../contracts/auth';
import { Captcha, type CaptchaHandle } from '../../components/captcha';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField, RequiredLegend } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { SupportContactsText } from '../../components/support-contacts-text';
import { api } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { useFormFeedback } from '../../lib/form-feedback';
import { isIsoDate, looksLikeCodiceFiscale, looksLikeEmail, normaliseCodiceFiscale } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';

export const REGISTRATIONS_PATH = '/api/v1/registrations';

function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function RegistrationPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('registration.documentTitle'));
  const [pending, setPending] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const [success, setSuccess] = useState(false);
  const captcha = useRef<CaptchaHandle>(null);
  const statusRef = useRef<HTMLDivElement>(null);
  const labels = {
    surname: t('registration.surname'),
    name: t('registration.name'),
    codiceFiscale: t('registration.codiceFiscale'),
    birthDate: t('registration.birthDate'),
    email: t('registration.email'),
    emailConfirmation: t('registration.emailConfirmation'),
    altcha: t('captcha.label'),
  };
  const feedback = useFormFeedback(t, labels);

  // After a registration the form starts afresh (new key) and focus goes to the answer.
  useEffect(() => {
    if (formKey > 0) statusRef.current?.focus();
  }, [formKey]);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (pending) return;
    const data = new FormData(event.currentTarget);
    const request: Omit<RegistrationRequest, 'altcha'> = {
      surname: formText(data, 'surname').trim(),
      name: formText(data, 'name').trim(),
      email: formText(data, 'email').trim(),
      emailConfirmation: formText(data, 'emailConfirmation').trim(),
      codiceFiscale: normaliseCodiceFiscale(formText(data, 'codiceFiscale')),
      birthDate: formText(data, 'birthDate'),
    };
    const required = (field: keyof typeof labels) => t('form.required', { field: labels[field] });
    const errors = compactErrors({
      surname: request.surname === '' && required('surname'),
      name: request.name === '' && required('name'),
      codiceFiscale:
        request.codiceFiscale === ''
          ? required('codiceFiscale')
          : !looksLikeCodiceFiscale(request.codiceFiscale) && t('form.invalidCodiceFiscale'),
      birthDate:
        request.birthDate === ''
          ? required('birthDate')
          : (!isIsoDate(request.birthDate) || request.birthDate > todayIso()) &&
            t('registration.birthDateInvalid'),
      email:
        request.email === '' ? required('email') : !looksLikeEmail(request.email) && t('form.invalidEmail'),
      emailConfirmation:
        request.emailConfirmation === ''
          ? required('emailConfirmation')
          : request.emailConfirmation.toLowerCase() !== request.email.toLowerCase() &&
            t('registration.emailMismatch'),
    });
    if (Object.keys(errors).length > 0) {
      feedback.report(t('errors.VALIDATION_FAILED'), errors);
      return;
    }

    feedback.clear();
    setSuccess(false);
    setPending(true);
    try {
      const altcha = await captcha.current?.solve();
      if (!altcha) {
        feedback.report(t('captcha.failed'), { altcha: t('captcha.failed') });
        return;
      }
      await api.post<Accepted>(REGISTRATIONS_PATH, { ...request, altcha } satisfies RegistrationRequest);
      setSuccess(true);
      setFormKey((n) => n + 1);
    } catch (error) {
      captcha.current?.reset();
      feedback.reportApiError(error);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card card--wide">
      <h1 id="registration-heading">{t('registration.heading')}</h1>

      <FormStatus ref={statusRef} message={success ? t('registration.success') : null} />
      <FormAlert problem={feedback.problem} />

      <p>{t('registration.intro')}</p>

      <Form
        key={formKey}
        ref={feedback.formRef}
        className="form"
        validationBehavior="aria"
        validationErrors={feedback.fieldErrors}
        onSubmit={(event) => void onSubmit(event)}
      >
        <RequiredLegend>{t('form.requiredLegend')}</RequiredLegend>
        <div className="form__grid">
          <FormTextField
            name="surname"
            label={labels.surname}
            isRequired
            autoComplete="family-name"
            maxLength={100}
          />
          <FormTextField
            name="name"
            label={labels.name}
            isRequired
            autoComplete="given-name"
            maxLength={100}
          />
          <FormTextField
            name="codiceFiscale"
            label={labels.codiceFiscale}
            isRequired
            autoComplete="off"
            maxLength={16}
            description={t('registration.codiceFiscaleHint')}
            inputProps={{ autoCapitalize: 'characters', spellCheck: false, className: 'uppercase' }}
          />
          <FormTextField
            name="birthDate"
            label={labels.birthDate}
            type="date"
            isRequired
            autoComplete="bday"
            inputProps={{ min: '1900-01-01', max: todayIso() }}
          />
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
            name="emailConfirmation"
            label={labels.emailConfirmation}
            type="email"
            isRequired
            autoComplete="email"
            maxLength={254}
            inputProps={{ spellCheck: false }}
          />
        </div>

        <SupportContactsText i18nKey="registration.support" />

        <Captcha ref={captcha} error={feedback.fieldErrors.altcha} />

        <div className="form__actions">
          <Link href="/" className="button button--secondary">
            {t('form.back')}
          </Link>
          <SubmitButton pending={pending}>{t('registration.submit')}</SubmitButton>
        </div>
      </Form>
    </section>
  );
}
