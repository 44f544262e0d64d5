import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { PasswordRecoveryRequest } from '#contracts/auth.js';
import { Captcha } from '../../components/captcha';
import { FormActions } from '../../components/form-actions';
import { FormAlert } from '../../components/form-alert';
import { EmailField, FormTextField, RequiredLegend } from '../../components/form-field';
import { emailError, requiredError } from '../../lib/field-checks';
import { compactErrors, formText } from '../../lib/form-data';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useRecoveryForm } from '../../lib/use-recovery-form';

export const PASSWORD_RECOVERY_PATH = '/api/v1/auth/password-recovery';

/**
 * "Recupero password OneCare". The answer is the same whether or not the pair exists, and it is
 * shown on the login page, as in the seed.
 */
export function PasswordRecoveryPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('passwordRecovery.documentTitle'));
  const labels = {
    email: t('passwordRecovery.email'),
    username: t('passwordRecovery.username'),
    altcha: t('captcha.label'),
  };
  const form = useRecoveryForm<Omit<PasswordRecoveryRequest, 'altcha'>>({
    path: PASSWORD_RECOVERY_PATH,
    notice: 'passwordRecovery',
    labels,
    read: (data) => {
      const email = formText(data, 'email').trim();
      const username = formText(data, 'username').trim();
      const errors = compactErrors({
        email: emailError(t, email, labels.email),
        username: requiredError(t, username, labels.username),
      });
      return { value: { email, username }, errors };
    },
  });

  return (
    <section className="card">
      <h1 id="password-recovery-heading">{t('passwordRecovery.heading')}</h1>
      <p>{t('passwordRecovery.intro')}</p>
      <FormAlert problem={form.feedback.problem} />
      <Form {...form.formProps}>
        <RequiredLegend />
        <EmailField name="email" label={labels.email} />
        <FormTextField
          name="username"
          label={labels.username}
          isRequired
          autoComplete="username"
          maxLength={200}
          inputProps={{ autoCapitalize: 'none', spellCheck: false }}
        />
        <Captcha {...form.captchaProps} />
        <FormActions pending={form.pending}>{t('passwordRecovery.submit')}</FormActions>
      </Form>
      <p>
        <Link href="/recupero-username">{t('passwordRecovery.forgotUsername')}</Link>
      </p>
    </section>
  );
}
