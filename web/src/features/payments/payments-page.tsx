import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PAYMENT_BATCH_STATE_LABELS } from '#contracts/payments.codes.js';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
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
  PAYABLE_PATH,
  PAYMENT_BATCHES_PATH,
  type PayableClaims,
  type PaymentBatchDetail,
  type PaymentBatchList,
  type PaymentClaim,
  paymentBatchRoute,
} from './payments-api';

const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

/** The claims of a batch, or those a new batch would pay: number, payee, masked IBAN, amount. */
export function PaymentClaimsTable({
  claims,
  caption,
  extra,
}: {
  claims: PaymentClaim[];
  caption: string;
  /** A last column (paid, the letter) for a batch's claims. */
  extra?: { heading: string; cell(claim: PaymentClaim): ReactNode };
}) {
  const { t, i18n } = useTranslation();
  const captionId = useId();
  const language = i18n.resolvedLanguage ?? 'it';
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
      <table className="data-table">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('payments.columns.claim')}</th>
            <th scope="col">{t('payments.columns.holder')}</th>
            <th scope="col">{t('payments.columns.iban')}</th>
            <th scope="col" className="numeric">
              {t('payments.columns.amount')}
            </th>
            <th scope="col">{t('payments.columns.decided')}</th>
            {extra && <th scope="col">{extra.heading}</th>}
          </tr>
        </thead>
        <tbody>
          {claims.map((claim) => (
            <tr key={claim.claimId}>
              <td className="nowrap">{claim.number}</td>
              <td>{claim.accountHolder}</td>
              <td className="nowrap">{claim.ibanMasked}</td>
              <td className="nowrap numeric">{formatEuro(claim.amountCents, language)}</td>
              <td className="nowrap">{formatDate(claim.decidedAt)}</td>
              {extra && <td>{extra.cell(claim)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * "CREA DISTINTA": what the batch will pay is shown first (count, total, the claims); the
 * administrator may change the requested execution date; the batch page opens once made. While a
 * batch is waiting to be sent, a link to it instead (one draft at a time).
 */
function NewBatch({ payable }: { payable: PayableClaims }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const headingId = useId();
  const labels = { executionDate: t('payments.create.executionDate') };
  const form = useFormSubmit<{ executionDate: string }>({
    labels,
    read: (data) => {
      const executionDate = formText(data, 'executionDate').trim();
      const errors: FieldErrors = {};
      if (!isIsoDate(executionDate)) errors.executionDate = t('payments.create.dateInvalid');
      return { value: { executionDate }, errors };
    },
    send: async (body) => {
      const batch = await api.post<PaymentBatchDetail>(PAYMENT_BATCHES_PATH, body);
      await queryClient.invalidateQueries({ predicate: (q) => isPaymentsQueryKey(q.queryKey) });
      navigate(paymentBatchRoute(batch.id));
    },
  });

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('payments.create.heading')}</h2>
      {payable.openDraftId ? (
        <>
          <p>{t('payments.create.openDraft')}</p>
          <p>
            <Link href={paymentBatchRoute(payable.openDraftId)}>{t('payments.create.openDraftLink')}</Link>
          </p>
        </>
      ) : payable.claimCount === 0 ? (
        <p className="muted">{t('payments.create.none')}</p>
      ) : (
        <>
          <p>{t('payments.create.intro')}</p>
          <p>
            <strong>
              {t('payments.create.summary', {
                count: payable.claimCount,
                total: formatEuro(payable.totalCents, language),
              })}
            </strong>
          </p>
          {payable.more && <p className="notice">{t('payments.create.more')}</p>}
          <PaymentClaimsTable claims={payable.claims} caption={t('payments.create.caption')} />
          <FormAlert problem={form.feedback.problem} />
          <Form {...form.formProps}>
            <FormTextField
              name="executionDate"
              label={labels.executionDate}
              type="date"
              isRequired
              defaultValue={payable.defaultExecutionDate}
              description={t('payments.create.executionDateHint')}
            />
            <div className="form__actions">
              <SubmitButton pending={form.pending}>{t('payments.create.submit')}</SubmitButton>
            </div>
          </Form>
        </>
      )}
    </section>
  );
}

/** `/backoffice/pagamenti`: the payment batches, newest first; administrators make new ones. */
export function PaymentsPage() {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = lang(language);
  useDocumentTitle(t('payments.documentTitle'));
  const captionId = useId();
  const { state } = useStaffSession();
  const role = state.status === 'active' ? state.info.role : null;
  const allowed = role !== null && canReadPayments(role);
  const admin = role !== null && canWritePayments(role);
  const batches = useApiQuery<PaymentBatchList>(PAYMENT_BATCHES_PATH, { enabled: allowed });
  const payable = useApiQuery<PayableClaims>(PAYABLE_PATH, { enabled: admin });

  if (!allowed) {
    return (
      <div className="staff-page">
        <h1>{t('payments.heading')}</h1>
        <p role="alert">{t('payments.notAllowed')}</p>
      </div>
    );
  }
  return (
    <div className="staff-page">
      <h1>{t('payments.heading')}</h1>
      <p>{t('payments.intro')}</p>
      {admin && payable.isError && (
        <div className="panel">
          <LoadError error={payable.error} onRetry={() => void payable.refetch()} />
        </div>
      )}
      {admin && payable.data && <NewBatch payable={payable.data} />}
      {batches.isPending && (
        <p role="status" className="muted">
          {t('payments.loading')}
        </p>
      )}
      {batches.isError && (
        <div className="panel">
          <LoadError error={batches.error} onRetry={() => void batches.refetch()} />
        </div>
      )}
      {batches.data &&
        (batches.data.batches.length === 0 ? (
          <p className="muted">{t('payments.none')}</p>
        ) : (
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
          <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
            <table className="data-table">
              <caption id={captionId}>{t('payments.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('payments.columns.batch')}</th>
                  <th scope="col">{t('payments.columns.state')}</th>
                  <th scope="col" className="numeric">
                    {t('payments.columns.claims')}
                  </th>
                  <th scope="col" className="numeric">
                    {t('payments.columns.total')}
                  </th>
                  <th scope="col">{t('payments.columns.created')}</th>
                  <th scope="col">{t('payments.columns.execution')}</th>
                  <th scope="col">{t('payments.columns.valueDate')}</th>
                </tr>
              </thead>
              <tbody>
                {batches.data.batches.map((batch) => (
                  <tr key={batch.id}>
                    <td className="nowrap">
                      <Link href={paymentBatchRoute(batch.id)}>{batch.messageId}</Link>
                    </td>
                    <td>{PAYMENT_BATCH_STATE_LABELS[batch.state][l]}</td>
                    <td className="numeric">{batch.claimCount}</td>
                    <td className="nowrap numeric">{formatEuro(batch.totalCents, language)}</td>
                    <td className="nowrap">{formatDateTime(batch.createdAt)}</td>
                    <td className="nowrap">{formatDate(batch.executionDate)}</td>
                    <td className="nowrap">{batch.valueDate ? formatDate(batch.valueDate) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
    </div>
  );
}
