import { keepPreviousData } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Button, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CLAIM_STATE_LABELS, CLAIM_STATES } from '#contracts/claims.codes.js';
import { CATEGORY_CODES, CATEGORY_LABELS } from '#contracts/plans.codes.js';
import { LoadError } from '../../components/load-error';
import { formatDate } from '../../lib/format';
import { formatEuro, parseAmount } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { SelectField } from '../claims/claim-fields';
import {
  type Queue,
  type QueueFilters,
  queueFiltersFromSearch,
  queuePath,
  searchFromQueueFilters,
  staffClaimRoute,
} from './claims-backoffice-api';
import { PlainField } from './plain-fields';
import { lang } from './staff-claim-shared';

/**
 * `/backoffice/pratiche`: the claims queue. Counts by state, filters kept in the address (state,
 * days waiting, category, plan, claimed amount, probable duplicate), oldest first, paged; who holds
 * each claim and whether a decision waits for a second approval.
 */
export function ClaimsQueuePage() {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = lang(language);
  useDocumentTitle(t('claimsQueue.documentTitle'));
  const [search, setSearch] = useSearchParams();
  const filters = queueFiltersFromSearch(search);
  const queue = useApiQuery<Queue>(
    queuePath(filters, (euro) => parseAmount(euro, language)),
    { placeholderData: keepPreviousData },
  );
  const captionId = useId();
  const resultsRef = useRef<HTMLTableCaptionElement>(null);
  const [focusResults, setFocusResults] = useState(0);
  useEffect(() => {
    if (focusResults > 0 && !queue.isFetching) resultsRef.current?.focus();
  }, [focusResults, queue.isFetching]);
  const apply = (next: QueueFilters) => setSearch(searchFromQueueFilters(next));
  const data = queue.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <div className="staff-page">
      <h1>{t('claimsQueue.heading')}</h1>
      <p>{t('claimsQueue.intro')}</p>
      {data && (
        <nav aria-label={t('claimsQueue.countsLabel')} className="state-counts">
          <ul>
            {data.counts.map((c) => (
              <li key={c.state}>
                <Link
                  href={`?${searchFromQueueFilters({ ...filters, state: c.state, page: 1 }).toString()}`}
                  aria-current={filters.state === c.state ? 'true' : undefined}
                >
                  {t('claimsQueue.count', { state: CLAIM_STATE_LABELS[c.state][l], count: c.count })}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <section className="panel" aria-labelledby="queue-filters-heading">
        <h2 id="queue-filters-heading">{t('claimsQueue.filtersHeading')}</h2>
        <QueueFiltersForm
          key={search.toString()}
          filters={filters}
          plans={data?.plans ?? []}
          onApply={apply}
        />
      </section>
      {queue.isPending && (
        <p role="status" className="muted">
          {t('claimsQueue.loading')}
        </p>
      )}
      {queue.isError && (
        <div className="panel">
          <LoadError error={queue.error} onRetry={() => void queue.refetch()} />
        </div>
      )}
      <div role="status" className="search-summary">
        {data && t('claimsQueue.found', { count: data.total })}
      </div>
      {data && data.items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
          <table className="data-table">
            <caption id={captionId} ref={resultsRef} tabIndex={-1}>
              {t('claimsQueue.caption', { page: data.page, pages })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('claimsQueue.columns.number')}</th>
                <th scope="col">{t('claimsQueue.columns.state')}</th>
                <th scope="col">{t('claimsQueue.columns.beneficiary')}</th>
                <th scope="col">{t('claimsQueue.columns.category')}</th>
                <th scope="col">{t('claimsQueue.columns.submitted')}</th>
                <th scope="col">{t('claimsQueue.columns.days')}</th>
                <th scope="col">{t('claimsQueue.columns.claimed')}</th>
                <th scope="col">{t('claimsQueue.columns.holder')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row" className="nowrap">
                    <Link href={staffClaimRoute(item.id)}>{item.number}</Link>
                  </th>
                  <td>
                    {CLAIM_STATE_LABELS[item.state][l]}
                    {item.pendingDecision && (
                      <>
                        <br />
                        <strong>{t('claimsQueue.pendingDecision')}</strong>
                      </>
                    )}
                  </td>
                  <td>
                    {item.beneficiary.givenName} {item.beneficiary.surname}
                    {(item.member.givenName !== item.beneficiary.givenName ||
                      item.member.surname !== item.beneficiary.surname) && (
                      <>
                        <br />
                        <span className="muted">
                          {t('claimsQueue.memberOf', {
                            name: `${item.member.givenName} ${item.member.surname}`,
                          })}
                        </span>
                      </>
                    )}
                  </td>
                  <td>
                    {item.categoryLabel[l]}
                    <br />
                    <span className="muted">{item.planCode}</span>
                  </td>
                  <td className="nowrap">{formatDate(item.submittedAt)}</td>
                  <td>{item.daysWaiting}</td>
                  <td className="nowrap">
                    {formatEuro(item.claimedCents, language)}
                    {item.probableDuplicate && (
                      <>
                        <br />
                        <strong>{t('claimsQueue.duplicate')}</strong>
                      </>
                    )}
                  </td>
                  <td>
                    {item.holder ? (
                      item.holder.username
                    ) : (
                      <span className="muted">{t('claimsQueue.free')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {data && pages > 1 && (
        <nav aria-label={t('claimsQueue.pagination')} className="form__actions pagination">
          <Button
            className="button button--secondary"
            isDisabled={data.page <= 1 || queue.isFetching}
            onPress={() => {
              apply({ ...filters, page: data.page - 1 });
              setFocusResults((n) => n + 1);
            }}
          >
            {t('claimsQueue.previous')}
          </Button>
          <Button
            className="button button--secondary"
            isDisabled={data.page >= pages || queue.isFetching}
            onPress={() => {
              apply({ ...filters, page: data.page + 1 });
              setFocusResults((n) => n + 1);
            }}
          >
            {t('claimsQueue.next')}
          </Button>
        </nav>
      )}
    </div>
  );
}

function QueueFiltersForm({
  filters,
  plans,
  onApply,
}: {
  filters: QueueFilters;
  plans: string[];
  onApply(filters: QueueFilters): void;
}) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = lang(language);
  const [value, setValue] = useState(filters);
  const [errors, setErrors] = useState<Partial<Record<'minDays' | 'minEuro' | 'maxEuro', string>>>({});
  const set = (field: keyof QueueFilters) => (v: string) => setValue((f) => ({ ...f, [field]: v }));

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    const problems: typeof errors = {};
    if (value.minDays && !/^\d{1,4}$/.test(value.minDays.trim()))
      problems.minDays = t('claimsQueue.daysInvalid');
    for (const field of ['minEuro', 'maxEuro'] as const)
      if (value[field] && parseAmount(value[field], language) === null)
        problems[field] = t('claimsQueue.euroInvalid');
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    onApply({ ...value, minDays: value.minDays.trim(), page: 1 });
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <div className="form__grid">
        <SelectField
          name="stato"
          label={t('claimsQueue.state')}
          value={value.state}
          onChange={set('state')}
          placeholder={t('claimsQueue.allStates')}
          choices={CLAIM_STATES.filter((s) => s !== 'draft').map((s) => ({
            value: s,
            label: CLAIM_STATE_LABELS[s][l],
          }))}
        />
        <PlainField
          name="giorni"
          label={t('claimsQueue.minDays')}
          value={value.minDays}
          onChange={set('minDays')}
          inputMode="numeric"
          error={errors.minDays}
        />
        <SelectField
          name="categoria"
          label={t('claimsQueue.category')}
          value={value.category}
          onChange={set('category')}
          placeholder={t('claimsQueue.allCategories')}
          choices={CATEGORY_CODES.map((c) => ({ value: c, label: CATEGORY_LABELS[c][l] }))}
        />
        <SelectField
          name="piano"
          label={t('claimsQueue.plan')}
          value={value.plan}
          onChange={set('plan')}
          placeholder={t('claimsQueue.allPlans')}
          choices={plans.map((p) => ({ value: p, label: p }))}
        />
        <PlainField
          name="da"
          label={t('claimsQueue.minEuro')}
          value={value.minEuro}
          onChange={set('minEuro')}
          inputMode="decimal"
          error={errors.minEuro}
        />
        <PlainField
          name="a"
          label={t('claimsQueue.maxEuro')}
          value={value.maxEuro}
          onChange={set('maxEuro')}
          inputMode="decimal"
          error={errors.maxEuro}
        />
        <SelectField
          name="duplicato"
          label={t('claimsQueue.duplicateFilter')}
          value={value.duplicate}
          onChange={(v) => setValue((f) => ({ ...f, duplicate: v === 'true' || v === 'false' ? v : '' }))}
          placeholder={t('claimsQueue.duplicateAny')}
          choices={[
            { value: 'true', label: t('claimsQueue.duplicateYes') },
            { value: 'false', label: t('claimsQueue.duplicateNo') },
          ]}
        />
      </div>
      <div className="form__actions">
        <Button type="submit" className="button button--primary">
          {t('claimsQueue.apply')}
        </Button>
      </div>
    </form>
  );
}
