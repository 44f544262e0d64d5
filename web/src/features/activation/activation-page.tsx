import { useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { ActivationRequest } from '#contracts/auth.js';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField, RequiredLegend } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { requiredError } from '../../lib/field-checks';
import { compactErrors, formText } from '../../lib/form-data';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import { useSecretQueryParam } from '../../lib/use-secret-query-param';

export const ACTIVATIONS_PATH = '/api/v1/activations';

export function ActivationPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('activation.documentTitle'));
  const ticketFromLink = useSecretQueryParam('ticket');
  const [activated, setActivated] = useState(false);
  const labels = { ticket: t('activation.ticket') };
  const form = useFormSubmit({
    labels,
    read: (data) => {
      const ticket = formText(data, 'ticket').trim();
      return {
        value: { ticket },
        errors: compactErrors({ ticket: requiredError(t, ticket, labels.ticket) }),
      };
    },
    send: async (request: ActivationRequest) => {
      await api.post<unknown>(ACTIVATIONS_PATH, request);
      setActivated(true);
    },
  });

  return (
    <section className="card">
      <h1 id="activation-heading">{t('activation.heading')}</h1>

      <FormStatus message={activated ? t('activation.success') : null} focusOnShow>
        <p>
          <Link href="/">{t('form.toLogin')}</Link>
        </p>
      </FormStatus>

      {!activated && (
        <>
          <FormAlert problem={form.feedback.problem} />
          <p>{t('activation.intro')}</p>
          <Form {...form.formProps}>
            <RequiredLegend />
            <FormTextField
              name="ticket"
              label={labels.ticket}
              isRequired
              autoComplete="off"
              maxLength={64}
              defaultValue={ticketFromLink ?? ''}
              inputProps={{ autoCapitalize: 'none', spellCheck: false }}
            />
            <SubmitButton pending={form.pending} block>
              {t('activation.submit')}
            </SubmitButton>
          </Form>
        </>
      )}
    </section>
  );
}
