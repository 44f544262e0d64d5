import { type FormEvent, useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import type { PasswordChangeRequest, SessionInfo } from '../../../../contracts/auth';
import { FormAlert } from '../../components/form-alert';
import { RequiredLegend } from '../../components/form-field';
import { NewPasswordFields, readNewPassword } from '../../components/new-password-fields';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { useFormFeedback } from '../../lib/form-feedback';
import { useSession } from '../../lib/session';
import { useDocumentTitle } from '../../lib/use-document-title';

export const PASSWORD_CHANGE_PATH = '/api/v1/auth/password';

/** First login: the temporary password must be replaced before anything else. */
export function PasswordChangePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('passwordChange.documentTitle'));
  const { state, signIn } = useSession();
  const [pending, setPending] = useState(false);
  const labels = { newPassword: t('password.new'), newPasswordConfirmation: t('password.confirmation') };
  const feedback = useFormFeedback(t, labels);

  if (state.status === 'active' && !state.info.mustChangePassword) {
    return <Navigate to="/area-riservata" replace />;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (pending) return;
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
      const body: PasswordChangeRequest = { newPassword, newPasswordConfirmation };
      // The session now allows everything: the guard above takes the member to the dashboard.
      signIn(await api.post<SessionInfo>(PASSWORD_CHANGE_PATH, body));
    } catch (error) {
      feedback.reportApiError(error);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card">
      <h1 id="password-change-heading">{t('passwordChange.heading')}</h1>
      <p>{t('passwordChange.intro')}</p>
      <FormAlert problem={feedback.problem} />
      <Form
        ref={feedback.formRef}
        className="form"
        validationBehavior="aria"
        validationErrors={feedback.fieldErrors}
        onSubmit={(event) => void onSubmit(event)}
      >
        <RequiredLegend>{t('form.requiredLegend')}</RequiredLegend>
        <NewPasswordFields />
        <SubmitButton pending={pending} block>
          {t('passwordChange.submit')}
        </SubmitButton>
      </Form>
    </section>
  );
}
