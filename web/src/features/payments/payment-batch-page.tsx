import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PAYMENT_BATCH_STATE_LABELS } from '#contracts/payments.codes.js';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { PendingButton, SubmitButton } from '../../components/submit-button';
import { ApiError, api, detailText, errorMessage } from '../../lib/api';
import { formText } from '../../lib/form-data';
import type { FieldErrors } from '../../lib/form-feedback';
import { formatDate, formatDateTime, isIsoDate } from '../../lib/format';
import { formatEuro } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';
import {
  canReadPayments,
  canWritePayments,
  isPaymentsQueryKey,
  PAYMENTS_ROUTE,
  type PaymentBatchDetail,
  paymentBatchFilePath,
  paymentBatchPath,
  staffLetterPath,
} from './payments-api';
import { PaymentClaimsTable } from './payments-page';

const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

/** A refused action in words: the conflict's own code when there is one. */
function actionError(t: ReturnType<typeof useTranslation>['t'], error: unknown): string {
  if (error instanceof ApiError && error.code === 'CONFLICT' && error.details[0])
    return detailText(t, error.details[0]);
  return errorMessage(t, error);
}

/** After a change: the batch, the list and what is payable are read again. */
function usePaymentsChange() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ predicate: (q) => isPaymentsQueryKey(q.queryKey) });
}

/** "PAGATO": the value date the bank gave; every claim of the batch becomes paid. */
function PaidForm({ batch, onDone }: { batch: PaymentBatchDetail; onDone(message: string): void }) {
  const { t } = useTranslation();
  const changed = usePaymentsChange();
  const labels = { valueDate: t('payments.batch.valueDate') };
  const form = useFormSubmit<{ valueDate: string }>({
    labels,
    read: (data) => {
      const valueDate = formText(data, 'valueDate').trim();
      const errors: FieldErrors = {};
      if (!isIsoDate(valueDate)) errors.valueDate = t('payments.create.dateInvalid');
      return { value: { valueDate }, errors };
    },
    send: async (body) => {
      await api.post<PaymentBatchDetail>(`${paymentBatchPath(batch.id)}/paid`, body);
      await changed();
      onDone(t('payments.batch.paidDone', { date: formatDate(body.valueDate) }));
    },
    onError: (error) =>
      error instanceof ApiError && error.code === 'CONFLICT' ? actionError(t, error) : null,
  });
  return (
    <>
      <FormAlert problem={form.feedback.problem} />
      <Form {...form.formProps}>
        <FormTextField
          name="valueDate"
          label={labels.valueDate}
          type="date"
          isRequired
          defaultValue={batch.executionDate}
          description={t('payments.batch.valueDateHint')}
        />
        <div className="form__actions">
          <SubmitButton pending={form.pending}>{t('payments.batch.paid')}</SubmitButton>
        </div>
      </Form>
    </>
  );
}

/** The administrator's actions on a batch, as its state allows: cancel or mark sent; then paid. */
function BatchActions({ batch }: { batch: PaymentBatchDetail }) {
  const { t } = useTranslation();
  const changed = usePaymentsChange();
  const headingId = useId();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState<'cancel' | 'sent' | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  async function run(kind: 'cancel' | 'sent', done: string) {
    if (pending) return;
    setPending(kind);
    setStatus(null);
    setError(null);
    try {
      await api.post<PaymentBatchDetail>(`${paymentBatchPath(batch.id)}/${kind}`, {});
      setConfirming(false);
      await changed();
      setStatus(done);
    } catch (e) {
      setConfirming(false);
      setError(actionError(t, e));
    } finally {
      setPending(null);
    }
  }

  if (batch.state === 'cancelled') return <FormStatus message={status} />;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('payments.batch.actionsHeading')}</h2>
      <FormStatus message={status} />
      <div role="alert" className="form-alert">
        {error && <p>{error}</p>}
      </div>
      {batch.state === 'draft' &&
        (confirming ? (
          <fieldset className="plan-group">
            <legend>{t('payments.batch.cancelConfirm', { id: batch.messageId })}</legend>
            <div className="form__actions member-actions">
              <PendingButton
                ref={confirmButton}
                className="button button--primary"
                pending={pending === 'cancel'}
                onPress={() => void run('cancel', t('payments.batch.cancelled'))}
              >
                {t('payments.batch.cancelYes')}
              </PendingButton>
              <Button className="button button--secondary" onPress={() => setConfirming(false)}>
                {t('payments.batch.cancelNo')}
              </Button>
            </div>
          </fieldset>
        ) : (
          <>
            <p className="muted">{t('payments.batch.draftHint')}</p>
            <div className="form__actions member-actions">
              <PendingButton
                className="button button--primary"
                pending={pending === 'sent'}
                onPress={() => void run('sent', t('payments.batch.sentDone'))}
              >
                {t('payments.batch.sent')}
              </PendingButton>
              <Button className="button button--secondary" onPress={() => setConfirming(true)}>
                {t('payments.batch.cancel')}
              </Button>
            </div>
          </>
        ))}
      {batch.state === 'sent' && (
        <>
          <p className="muted">{t('payments.batch.sentHint')}</p>
          <PaidForm batch={batch} onDone={setStatus} />
        </>
      )}
      {batch.state === 'paid' && <p className="muted">{t('payments.batch.paidHint')}</p>}
    </section>
  );
}

function BatchView({ batch, admin }: { batch: PaymentBatchDetail; admin: boolean }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = lang(language);
  const when = (value: string | null) => (value ? formatDateTime(value) : '—');
  return (
    <>
      <h1>{t('payments.batch.heading', { id: batch.messageId })}</h1>
      <section className="panel" aria-labelledby="batch-facts-heading">
        <h2 id="batch-facts-heading">{t('payments.batch.factsHeading')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('payments.columns.state')}</dt>
            <dd>{PAYMENT_BATCH_STATE_LABELS[batch.state][l]}</dd>
          </div>
          <div>
            <dt>{t('payments.columns.claims')}</dt>
            <dd>{batch.claimCount}</dd>
          </div>
          <div>
            <dt>{t('payments.columns.total')}</dt>
            <dd>{formatEuro(batch.totalCents, language)}</dd>
          </div>
          <div>
            <dt>{t('payments.batch.debtor')}</dt>
            <dd>
              {batch.debtorName} — {batch.debtorIbanMasked}
            </dd>
          </div>
          <div>
            <dt>{t('payments.columns.created')}</dt>
            <dd>{formatDateTime(batch.createdAt)}</dd>
          </div>
          <div>
            <dt>{t('payments.columns.execution')}</dt>
            <dd>{formatDate(batch.executionDate)}</dd>
          </div>
          <div>
            <dt>{t('payments.columns.sent')}</dt>
            <dd>{when(batch.sentAt)}</dd>
          </div>
          <div>
            <dt>{t('payments.columns.valueDate')}</dt>
            <dd>{batch.valueDate ? formatDate(batch.valueDate) : '—'}</dd>
          </div>
          {batch.cancelledAt && (
            <div>
              <dt>{t('payments.batch.cancelledAt')}</dt>
              <dd>{when(batch.cancelledAt)}</dd>
            </div>
          )}
        </dl>
        <p>
          <a
            className="button button--secondary"
            href={paymentBatchFilePath(batch.id)}
            download={batch.fileName}
          >
            {t('payments.batch.download')}
          </a>
        </p>
      </section>
      {admin && <BatchActions batch={batch} />}
      <PaymentClaimsTable
        claims={batch.claims}
        caption={t('payments.batch.claimsCaption')}
        extra={{
          heading: t('payments.columns.paid'),
          cell: (claim) =>
            claim.paid ? (
              <a href={staffLetterPath(claim.claimId)} download>
                {t('payments.batch.letter', { number: claim.number })}
              </a>
            ) : (
              t('payments.batch.notPaid')
            ),
        }}
      />
    </>
  );
}

/** `/backoffice/pagamenti/:id`: a batch, its file, its claims and (administrators) what can be done with it. */
export function PaymentBatchPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { state } = useStaffSession();
  const role = state.status === 'active' ? state.info.role : null;
  const allowed = role !== null && canReadPayments(role);
  const batch = useApiQuery<PaymentBatchDetail>(paymentBatchPath(id), { enabled: allowed });
  useDocumentTitle(
    batch.data
      ? t('payments.batch.documentTitle', { id: batch.data.messageId })
      : t('payments.documentTitle'),
  );
  return (
    <div className="staff-page">
      {!allowed && (
        <>
          <h1>{t('payments.heading')}</h1>
          <p role="alert">{t('payments.notAllowed')}</p>
        </>
      )}
      {allowed && batch.isPending && (
        <>
          <h1>{t('payments.heading')}</h1>
          <p role="status" className="muted">
            {t('payments.batch.loading')}
          </p>
        </>
      )}
      {batch.isError && (
        <>
          <h1>{t('payments.heading')}</h1>
          <div className="panel">
            <LoadError error={batch.error} onRetry={() => void batch.refetch()} />
          </div>
        </>
      )}
      {batch.data && <BatchView batch={batch.data} admin={role !== null && canWritePayments(role)} />}
      <p>
        <Link href={PAYMENTS_ROUTE}>{t('payments.batch.back')}</Link>
      </p>
    </div>
  );
}
