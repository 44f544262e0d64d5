import { useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Accepted, RegistrationRequest } from '#contracts/auth.js';
import { Captcha } from '../../components/captcha';
import { FormActions } from '../../components/form-actions';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { CodiceFiscaleField, EmailField, FormTextField, RequiredLegend } from '../../components/form-field';
import { SupportContactsText } from '../../components/support-contacts-text';
import { api } from '../../lib/api';
import { codiceFiscaleError, emailError, requiredError } from '../../lib/field-checks';
import { compactErrors, formText } from '../../lib/form-data';
import { isIsoDate, normaliseCodiceFiscale } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';

export const REGISTRATIONS_PATH = '/api/v1/registrations';

function todayIso(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function RegistrationPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('registration.documentTitle'));
  const [formKey, setFormKey] = useState(0);
  const [success, setSuccess] = useState(false);
  const labels = {
    surname: t('registration.surname'),
    name: t('registration.name'),
    codiceFiscale: t('registration.codiceFiscale'),
    birthDate: t('registration.birthDate'),
    email: t('registration.email'),
    emailConfirmation: t('registration.emailConfirmation'),
    cardNumber: t('registration.cardNumber'),
    altcha: t('captcha.label'),
  };
  const form = useFormSubmit({
    labels,
    read: (data) => {
      const request: Omit<RegistrationRequest, 'altcha'> = {
        surname: formText(data, 'surname').trim(),
        name: formText(data, 'name').trim(),
        email: formText(data, 'email').trim(),
        emailConfirmation: formText(data, 'emailConfirmation').trim(),
        codiceFiscale: normaliseCodiceFiscale(formText(data, 'codiceFiscale')),
        birthDate: formText(data, 'birthDate'),
      };
      // Optional for everyone alike: the page never tells whether this person needs it.
      const cardNumber = formText(data, 'cardNumber').trim();
      if (cardNumber) request.cardNumber = cardNumber;
      const errors = compactErrors({
        surname: requiredError(t, request.surname, labels.surname),
        name: requiredError(t, request.name, labels.name),
        codiceFiscale: codiceFiscaleError(t, request.codiceFiscale, labels.codiceFiscale),
        birthDate:
          requiredError(t, request.birthDate, labels.birthDate) ||
          ((!isIsoDate(request.birthDate) || request.birthDate > todayIso()) &&
            t('registration.birthDateInvalid')),
        email: emailError(t, request.email, labels.email),
        emailConfirmation:
          requiredError(t, request.emailConfirmation, labels.emailConfirmation) ||
          (request.emailConfirmation.toLowerCase() !== request.email.toLowerCase() &&
            t('registration.emailMismatch')),
      });
      return { value: request, errors };
    },
    captcha: true,
    onStart: () => setSuccess(false),
    send: async (request, altcha) => {
      await api.post<Accepted>(REGISTRATIONS_PATH, { ...request, altcha } satisfies RegistrationRequest);
      // The form starts afresh (new key) and focus goes to the answer.
      setSuccess(true);
      setFormKey((n) => n + 1);
    },
  });

  return (
    <section className="card card--wide">
      <h1 id="registration-heading">{t('registration.heading')}</h1>

      <FormStatus message={success ? t('registration.success') : null} focusOnShow />
      <FormAlert problem={form.feedback.problem} />

      <p>{t('registration.intro')}</p>

      <Form key={formKey} {...form.formProps}>
        <RequiredLegend />
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
          <CodiceFiscaleField
            label={labels.codiceFiscale}
            description={t('registration.codiceFiscaleHint')}
          />
          <FormTextField
            name="birthDate"
            label={labels.birthDate}
            type="date"
            isRequired
            autoComplete="bday"
            inputProps={{ min: '1900-01-01', max: todayIso() }}
          />
          <EmailField name="email" label={labels.email} />
          <EmailField name="emailConfirmation" label={labels.emailConfirmation} />
          <FormTextField
            name="cardNumber"
            label={labels.cardNumber}
            description={t('registration.cardNumberHint')}
            autoComplete="off"
            maxLength={64}
            inputProps={{ autoCapitalize: 'characters', spellCheck: false }}
          />
        </div>

        <SupportContactsText i18nKey="registration.support" />

        <Captcha {...form.captchaProps} />

        <FormActions pending={form.pending}>{t('registration.submit')}</FormActions>
      </Form>
    </section>
  );
}
