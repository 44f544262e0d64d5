import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { LoadError } from '../../../components/load-error';
import { ApiError, api } from '../../../lib/api';
import { formatDate } from '../../../lib/format';
import { formatEuro, parseAmount } from '../../../lib/money';
import { type ClaimOptions, type Draft, draftPath, type Estimate } from '../claims-api';
import { groupIban, labelLanguage, type WizardForm, type WizardStep } from '../wizard-model';
import { warningText } from './warning-text';

/** Step 6: everything entered, the server's estimate of the refund, and the declaration. */
export function SummaryStep({
  form,
  draft,
  options,
  facilityNames,
  onEdit,
  declared,
  onDeclared,
  declarationError,
  onEstimateError,
}: {
  form: WizardForm;
  draft: Draft;
  options: ClaimOptions;
  facilityNames: ReadonlyMap<string, string>;
  onEdit(step: WizardStep): void;
  declared: boolean;
  onDeclared(value: boolean): void;
  declarationError: string | undefined;
  onEstimateError(error: unknown): void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = labelLanguage(language);
  const id = useId();
  const estimate = useQuery({
    queryKey: ['claims', 'estimate', draft.id, draft.updatedAt],
    queryFn: () => api.post<Estimate>(`${draftPath(draft.id)}/estimate`),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const reportedError = useRef<unknown>(null);
  useEffect(() => {
    if (estimate.error && reportedError.current !== estimate.error) {
      reportedError.current = estimate.error;
      if (estimate.error instanceof ApiError && estimate.error.details.length > 0)
        onEstimateError(estimate.error);
    }
  }, [estimate.error, onEstimateError]);

  const beneficiary = options.beneficiaries.find((b) => b.id === form.beneficiaryId);
  const category = options.categories.find((c) => c.code === form.category);
  const euro = (cents: number) => formatEuro(cents, language);
  const euroText = (amount: string) => {
    const cents = parseAmount(amount, language);
    return cents === null ? amount : euro(cents);
  };
  const editButton = (step: WizardStep) => (
    <Button className="button button--secondary button--small" onPress={() => onEdit(step)}>
      {t('claims.edit', { step: t(`claims.steps.${step}`) })}
    </Button>
  );
  const invoiceLabel = (invoiceId: string) => {
    const invoice = form.invoices.find((i) => i.id === invoiceId);
    return invoice
      ? t('claims.invoiceLine', {
          number: invoice.invoiceNumber,
          date: formatDate(invoice.invoiceDate),
          issuer: invoice.issuerName,
        })
      : '';
  };

  return (
    <>
      <p>{t('claims.summaryIntro')}</p>
      <dl className="facts summary-facts">
        <div>
          <dt>{t('claims.steps.beneficiary')}</dt>
          <dd>
            {beneficiary ? `${beneficiary.givenName} ${beneficiary.surname}` : ''} {editButton('beneficiary')}
          </dd>
        </div>
        <div>
          <dt>{t('claims.steps.category')}</dt>
          <dd>
            {category?.label[l]} {editButton('category')}
          </dd>
        </div>
        <div>
          <dt>{t('claims.steps.invoices')}</dt>
          <dd>
            <ul className="summary-list">
              {form.invoices.map((invoice) => (
                <li key={invoice.id}>
                  {invoiceLabel(invoice.id)} —{' '}
                  {invoice.channel ? t(`claims.channels.${invoice.channel}`) : ''}
                  {invoice.channel === 'network' && invoice.facilityId
                    ? ` (${invoice.facilityName ?? facilityNames.get(invoice.facilityId) ?? ''})`
                    : ''}{' '}
                  — {euroText(invoice.amount)}
                </li>
              ))}
            </ul>
            {editButton('invoices')}
          </dd>
        </div>
        <div>
          <dt>{t('claims.steps.documents')}</dt>
          <dd>
            <ul className="summary-list">
              {draft.documents.map((d) => (
                <li key={d.id}>
                  {d.fileName} ({t(`claims.kinds.${d.kind}`)})
                </li>
              ))}
            </ul>
            {editButton('documents')}
          </dd>
        </div>
        <div>
          <dt>{t('claims.steps.payee')}</dt>
          <dd>
            {t('claims.payeeLine', { iban: groupIban(form.iban), holder: form.accountHolder })}{' '}
            {editButton('payee')}
          </dd>
        </div>
      </dl>
      {draft.warnings.map((w) => (
        <p key={`${w.code}-${w.field}`} className="notice claim-warning">
          {warningText(t, w)}
        </p>
      ))}

      <section aria-labelledby={`${id}-estimate`} className="estimate">
        <h3 id={`${id}-estimate`}>{t('claims.estimateHeading')}</h3>
        {estimate.isPending && (
          <p role="status" className="muted">
            {t('claims.estimateLoading')}
          </p>
        )}
        {estimate.isError && <LoadError error={estimate.error} onRetry={() => void estimate.refetch()} />}
        {estimate.data && (
          <>
            <ul className="estimate-lines">
              {estimate.data.lines.map((line) => (
                <li key={line.invoiceId} className="estimate-line">
                  <p className="estimate-line__title">{invoiceLabel(line.invoiceId)}</p>
                  <dl className="estimate-line__amounts">
                    <div>
                      <dt>{t('claims.columns.amount')}</dt>
                      <dd>{euro(line.amountCents)}</dd>
                    </div>
                    <div>
                      <dt>{t('claims.columns.accepted')}</dt>
                      <dd className="estimate-line__accepted">{euro(line.acceptedCents)}</dd>
                    </div>
                    <div>
                      <dt>{t('claims.columns.memberShare')}</dt>
                      <dd>{euro(line.memberShareCents)}</dd>
                    </div>
                  </dl>
                  <ul className="estimate-line__explanation">
                    {line.explanation[l].map((sentence) => (
                      <li key={sentence}>{sentence}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
            <dl className="facts estimate-totals">
              <div>
                <dt>
                  {t('claims.total')} — {t('claims.columns.amount')}
                </dt>
                <dd>{euro(estimate.data.totals.amountCents)}</dd>
              </div>
              <div>
                <dt>
                  {t('claims.total')} — {t('claims.columns.accepted')}
                </dt>
                <dd className="estimate-total">{euro(estimate.data.totals.acceptedCents)}</dd>
              </div>
              <div>
                <dt>
                  {t('claims.total')} — {t('claims.columns.memberShare')}
                </dt>
                <dd>{euro(estimate.data.totals.memberShareCents)}</dd>
              </div>
            </dl>
            {estimate.data.capsAfter.length > 0 && (
              <>
                <h4>{t('claims.capsHeading')}</h4>
                <ul className="summary-list">
                  {estimate.data.capsAfter.map((cap) => (
                    <li key={`${cap.category ?? 'annual'}-${cap.scope}`}>
                      {cap.category
                        ? (options.categories.find((c) => c.code === cap.category)?.label[l] ?? cap.category)
                        : t('claims.capAnnual')}{' '}
                      ({t(`claims.scope.${cap.scope}`)}):{' '}
                      {t('claims.capLeft', { left: euro(cap.leftCents), cap: euro(cap.capCents) })}
                    </li>
                  ))}
                </ul>
              </>
            )}
            <p className="muted">{t('claims.estimateNote')}</p>
          </>
        )}
      </section>

      <div className="field">
        <label className="checkbox" htmlFor={`${id}-declaration`}>
          <input
            id={`${id}-declaration`}
            type="checkbox"
            name="declaration"
            checked={declared}
            onChange={(event) => onDeclared(event.currentTarget.checked)}
            aria-invalid={declarationError ? true : undefined}
            aria-describedby={declarationError ? `${id}-declaration-error` : undefined}
          />
          {t('claims.declaration')}
        </label>
        {declarationError && (
          <p id={`${id}-declaration-error`} className="field__error">
            {declarationError}
          </p>
        )}
      </div>
    </>
  );
}
