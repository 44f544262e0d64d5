import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { UsernameRecoveryRequest } from '#contracts/auth.js';
import { Captcha } from '../../components/captcha';
import { FormActions } from '../../components/form-actions';
import { FormAlert } from '../../components/form-alert';
import { CodiceFiscaleField, EmailField, RequiredLegend } from '../../components/form-field';
import { codiceFiscaleError, emailError } from '../../lib/field-checks';
import { compactErrors, formText } from '../../lib/form-data';
import { normaliseCodiceFiscale } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useRecoveryForm } from '../../lib/use-recovery-form';

export const USERNAME_RECOVERY_PATH = '/api/v1/auth/username-recovery';

/**
 * "Username dimenticata?": e-mail + codice fiscale + captcha; one answer whatever the input (no
 * account enumeration), shown on the login page like the password-recovery one.
 */
export function UsernameRecoveryPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('usernameRecovery.documentTitle'));
  const labels = {
    email: t('usernameRecovery.email'),
    codiceFiscale: t('usernameRecovery.codiceFiscale'),
    altcha: t('captcha.label'),
  };
  const form = useRecoveryForm<Omit<UsernameRecoveryRequest, 'altcha'>>({
    path: USERNAME_RECOVERY_PATH,
    notice: 'usernameRecovery',
    labels,
    read: (data) => {
      const email = formText(data, 'email').trim();
      const codiceFiscale = normaliseCodiceFiscale(formText(data, 'codiceFiscale'));
      const errors = compactErrors({
        email: emailError(t, email, labels.email),
        codiceFiscale: codiceFiscaleError(t, codiceFiscale, labels.codiceFiscale),
      });
      return { value: { email, codiceFiscale }, errors };
    },
  });

  return (
    <section className="card">
      <h1 id="username-recovery-heading">{t('usernameRecovery.heading')}</h1>
      <p>{t('usernameRecovery.intro')}</p>
      <FormAlert problem={form.feedback.problem} />
      <Form {...form.formProps}>
        <RequiredLegend />
        <EmailField name="email" label={labels.email} />
        <CodiceFiscaleField label={labels.codiceFiscale} />
        <Captcha {...form.captchaProps} />
        <FormActions pending={form.pending}>{t('usernameRecovery.submit')}</FormActions>
      </Form>
    </section>
  );
}
