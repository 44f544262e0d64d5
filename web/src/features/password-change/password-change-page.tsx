import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import type { PasswordChangeRequest, SessionInfo } from '#contracts/auth.js';
import { FormAlert } from '../../components/form-alert';
import { RequiredLegend } from '../../components/form-field';
import { NewPasswordFields, newPasswordLabels, readNewPassword } from '../../components/new-password-fields';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { useSession } from '../../lib/session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';

export const PASSWORD_CHANGE_PATH = '/api/v1/auth/password';

/** First login: the temporary password must be replaced before anything else. */
export function PasswordChangePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('passwordChange.documentTitle'));
  const { state, signIn } = useSession();
  const form = useFormSubmit({
    labels: newPasswordLabels(t),
    read: (data) => readNewPassword(data, t),
    send: async (body: PasswordChangeRequest) => {
      // The session now allows everything: the guard below takes the member to the dashboard.
      signIn(await api.post<SessionInfo>(PASSWORD_CHANGE_PATH, body));
    },
  });

  if (state.status === 'active' && !state.info.mustChangePassword) {
    return <Navigate to="/area-riservata" replace />;
  }

  return (
    <section className="card">
      <h1 id="password-change-heading">{t('passwordChange.heading')}</h1>
      <p>{t('passwordChange.intro')}</p>
      <FormAlert problem={form.feedback.problem} />
      <Form {...form.formProps}>
        <RequiredLegend />
        <NewPasswordFields />
        <SubmitButton pending={form.pending} block>
          {t('passwordChange.submit')}
        </SubmitButton>
      </Form>
    </section>
  );
}
