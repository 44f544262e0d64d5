import { useState } from 'react';
import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FormAlert } from '../../components/form-alert';
import { PendingButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { useFormFeedback } from '../../lib/form-feedback';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useSecretQueryParam } from '../../lib/use-secret-query-param';

/** "/profilo/email?token=…": the link sent to the new address confirms it (one press, once). */
export function EmailConfirmPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('profile.emailConfirm.documentTitle'));
  return (
    <TokenAction
      heading={t('profile.emailConfirm.heading')}
      intro=""
      submit={t('profile.emailConfirm.heading')}
      done={t('profile.emailConfirm.done')}
      path="/api/v1/profile/email/confirm"
    />
  );
}

/** "/profilo/segnala-iban?token=…": the member says the IBAN change was not theirs. */
export function IbanReportPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('profile.ibanReport.documentTitle'));
  return (
    <TokenAction
      heading={t('profile.ibanReport.heading')}
      intro={t('profile.ibanReport.intro')}
      submit={t('profile.ibanReport.submit')}
      done={t('profile.ibanReport.done')}
      path="/api/v1/profile/iban/report"
    />
  );
}

function TokenAction(props: { heading: string; intro: string; submit: string; done: string; path: string }) {
  const { t } = useTranslation();
  const token = useSecretQueryParam('token');
  const feedback = useFormFeedback(t, {});
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const send = async () => {
    if (pending || !token) return;
    setPending(true);
    feedback.clear();
    try {
      await api.post(props.path, { token });
      setDone(true);
    } catch (error) {
      feedback.reportApiError(error);
    } finally {
      setPending(false);
    }
  };
  return (
    <section className="card" aria-labelledby="token-action-heading">
      <h1 id="token-action-heading">{props.heading}</h1>
      {props.intro && <p>{props.intro}</p>}
      <FormAlert problem={feedback.problem} />
      <p role="status" className="form-status">
        {done && props.done}
      </p>
      {!done && (
        <PendingButton pending={pending} onPress={() => void send()}>
          {props.submit}
        </PendingButton>
      )}
      {done && <Link href="/profilo">{t('profile.emailConfirm.toProfile')}</Link>}
    </section>
  );
}
