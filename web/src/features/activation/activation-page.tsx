import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { ActivationRequest } from '../../../../contracts/auth';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField, RequiredLegend } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { formText } from '../../lib/form-data';
import { useFormFeedback } from '../../lib/form-feedback';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSecretQueryParam } from '../../lib/use-secret-query-param';

export const ACTIVATIONS_PATH = '/api/v1/activations';

export function ActivationPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('activation.documentTitle'));
  const ticketFromLink = useSecretQueryParam('ticket');
  const [pending, setPending] = useState(false);
  const [activated, setActivated] = useState(false);
  const statusRef = useRef<HTMLDivElement>(null);
  const feedback = useFormFeedback(t, { ticket: t('activation.ticket') });

  useEffect(() => {
    if (activated) statusRef.current?.focus();
  }, [activated]);

  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (pending) return;
    const ticket = formText(new FormData(event.currentTarget), 'ticket').trim();
    if (ticket === '') {
      feedback.report(t('errors.VALIDATION_FAILED'), {
        ticket: t('form.required', { field: t('activation.ticket') }),
      });
      return;
    }
    feedback.clear();
    setPending(true);
    try {
      await api.post<unknown>(ACTIVATIONS_PATH, { ticket } satisfies ActivationRequest);
      setActivated(true);
    } catch (error) {
      feedback.reportApiError(error);
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="card">
      <h1 id="activation-heading">{t('activation.heading')}</h1>

      <FormStatus ref={statusRef} message={activated ? t('activation.success') : null}>
        <p>
          <Link href="/">{t('form.toLogin')}</Link>
        </p>
      </FormStatus>

      {!activated && (
        <>
          <FormAlert problem={feedback.problem} />
          <p>{t('activation.intro')}</p>
          <Form
            ref={feedback.formRef}
            className="form"
            validationBehavior="aria"
            validationErrors={feedback.fieldErrors}
            onSubmit={(event) => void onSubmit(event)}
          >
            <RequiredLegend>{t('form.requiredLegend')}</RequiredLegend>
            <FormTextField
              name="ticket"
              label={t('activation.ticket')}
              isRequired
              autoComplete="off"
              maxLength={64}
              defaultValue={ticketFromLink ?? ''}
              inputProps={{ autoCapitalize: 'none', spellCheck: false }}
            />
            <SubmitButton pending={pending} block>
              {t('activation.submit')}
            </SubmitButton>
          </Form>
        </>
      )}
    </section>
  );
}
