import { type FormEvent, useState } from 'react';
import { Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { CATEGORY_LABELS } from '#contracts/plans.codes.js';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { useFormFeedback } from '../../lib/form-feedback';
import { formatDate } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { type CodeCheck, codeCheckPath } from './bookings-api';

const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

/**
 * `/verifica-prenotazione`: a facility checks an authorisation code. The answer says only whether
 * it is valid and for which service, day and time, with the person's initials.
 */
export function BookingCheckPage() {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  useDocumentTitle(t('bookings.check.documentTitle'));
  const feedback = useFormFeedback(t, { code: t('bookings.check.code') });
  const [pending, setPending] = useState(false);
  const [answer, setAnswer] = useState<CodeCheck | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    if (!code) {
      feedback.report(t('form.required', { field: t('bookings.check.code') }), {
        code: t('fieldErrors.required'),
      });
      return;
    }
    setPending(true);
    setAnswer(null);
    feedback.clear();
    try {
      setAnswer(await api.get<CodeCheck>(codeCheckPath(code)));
    } catch (err) {
      feedback.reportApiError(err);
    } finally {
      setPending(false);
    }
  }

  const message = answer
    ? answer.valid && answer.service && answer.date
      ? t('bookings.check.valid', {
          service: CATEGORY_LABELS[answer.service][l],
          date: formatDate(answer.date),
          time: answer.time ?? '',
          initials: answer.initials ?? '',
        })
      : t('bookings.check.invalid')
    : null;

  return (
    <div className="dashboard">
      <h1>{t('bookings.check.heading')}</h1>
      <p>{t('bookings.check.intro')}</p>
      <Form
        ref={feedback.formRef}
        onSubmit={onSubmit}
        validationErrors={feedback.fieldErrors}
        validationBehavior="aria"
        className="form panel"
      >
        <FormAlert problem={feedback.problem} />
        <FormTextField
          name="code"
          label={t('bookings.check.code')}
          description={t('bookings.check.codeHint')}
        />
        <SubmitButton pending={pending}>{t('bookings.check.submit')}</SubmitButton>
      </Form>
      <FormStatus message={message} />
    </div>
  );
}
