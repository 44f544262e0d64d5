import { keepPreviousData } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Button, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { CLAIM_STATE_LABELS, CLAIM_STATES } from '#contracts/claims.codes.js';
import { LoadError } from '../../components/load-error';
import { formatDate } from '../../lib/format';
import { formatEuro } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { BookingsSection } from '../bookings/bookings-section';
import { SelectField } from './claim-fields';
import { CLAIM_WIZARD_ROUTE, type ClaimList, type ClaimSummary, claimRoute } from './claims-api';
import {
  type ClaimFilters,
  claimsListPath,
  filtersFromSearch,
  hasFilters,
  searchFromFilters,
} from './claims-list';

const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

/** `/pratiche`: "Le mie pratiche", filtered by the address's query, a card per claim, paged. */
export function ClaimsListPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('claimsList.documentTitle'));
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const list = useApiQuery<ClaimList>(claimsListPath(filters), { placeholderData: keepPreviousData });
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const [focusResults, setFocusResults] = useState(0);
  useEffect(() => {
    if (focusResults > 0 && !list.isFetching) resultsHeading.current?.focus();
  }, [focusResults, list.isFetching]);

  const apply = (next: ClaimFilters) => setSearch(searchFromFilters(next));
  const data = list.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <div className="dashboard">
      <div className="dashboard__intro">
        <h1>{t('claimsList.heading')}</h1>
        <p>{t('claimsList.intro')}</p>
      </div>
      <section className="panel" aria-labelledby="claims-filters-heading">
        <h2 id="claims-filters-heading">{t('claimsList.filtersHeading')}</h2>
        <FiltersForm key={search.toString()} filters={filters} list={data} onApply={apply} />
      </section>

      {list.isPending && (
        <p role="status" className="muted">
          {t('claimsList.loading')}
        </p>
      )}
      {list.isError && (
        <div className="panel">
          <LoadError error={list.error} onRetry={() => void list.refetch()} />
        </div>
      )}
      <div role="status" className="search-summary">
        {data && data.total > 0 && t('claimsList.found', { count: data.total })}
      </div>
      {data && data.total === 0 && (
        <div className="panel">
          <p>{hasFilters(filters) ? t('claimsList.emptyFiltered') : t('claimsList.empty')}</p>
          <p>
            <Link href={CLAIM_WIZARD_ROUTE}>{t('claimsList.newRequest')}</Link>
          </p>
        </div>
      )}
      {data && data.items.length > 0 && (
        <section aria-labelledby="claims-results-heading" className="claims">
          <h2 id="claims-results-heading" ref={resultsHeading} tabIndex={-1}>
            {t('claimsList.resultsHeading', { page: data.page, pages })}
          </h2>
          <ul className="claim-list">
            {data.items.map((claim) => (
              <ClaimCard key={claim.id} claim={claim} />
            ))}
          </ul>
          {pages > 1 && (
            <nav aria-label={t('claimsList.pagination')} className="form__actions pagination">
              <Button
                className="button button--secondary"
                isDisabled={data.page <= 1 || list.isFetching}
                onPress={() => {
                  apply({ ...filters, page: data.page - 1 });
                  setFocusResults((n) => n + 1);
                }}
              >
                {t('claimsList.previous')}
              </Button>
              <Button
                className="button button--secondary"
                isDisabled={data.page >= pages || list.isFetching}
                onPress={() => {
                  apply({ ...filters, page: data.page + 1 });
                  setFocusResults((n) => n + 1);
                }}
              >
                {t('claimsList.next')}
              </Button>
            </nav>
          )}
        </section>
      )}
      <BookingsSection />
      <p>
        <Link href="/area-riservata">{t('claimsList.toDashboard')}</Link>
      </p>
    </div>
  );
}

function FiltersForm({
  filters,
  list,
  onApply,
}: {
  filters: ClaimFilters;
  list: ClaimList | undefined;
  onApply(filters: ClaimFilters): void;
}) {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  const [state, setState] = useState<string>(filters.state);
  const [year, setYear] = useState(filters.year);
  const [beneficiaryId, setBeneficiaryId] = useState(filters.beneficiaryId);
  const years = list?.years.map(String) ?? [];
  if (filters.year && !years.includes(filters.year)) years.unshift(filters.year);

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    onApply({ state: state as ClaimFilters['state'], year, beneficiaryId, page: 1 });
  }

  return (
    <form className="form" onSubmit={submit}>
      <div className="form__grid">
        <SelectField
          name="stato"
          label={t('claimsList.state')}
          value={state}
          onChange={setState}
          placeholder={t('claimsList.allStates')}
          choices={CLAIM_STATES.filter((s) => s !== 'draft').map((s) => ({
            value: s,
            label: CLAIM_STATE_LABELS[s][l],
          }))}
        />
        <SelectField
          name="anno"
          label={t('claimsList.year')}
          value={year}
          onChange={setYear}
          placeholder={t('claimsList.allYears')}
          choices={years.map((y) => ({ value: y, label: y }))}
        />
        <SelectField
          name="beneficiario"
          label={t('claimsList.beneficiary')}
          value={beneficiaryId}
          onChange={setBeneficiaryId}
          placeholder={t('claimsList.allBeneficiaries')}
          choices={(list?.beneficiaries ?? []).map((b) => ({
            value: b.id,
            label: `${b.givenName} ${b.surname}`,
          }))}
        />
      </div>
      <div className="form__actions">
        <Button type="submit" className="button button--primary">
          {t('claimsList.apply')}
        </Button>
      </div>
    </form>
  );
}

function ClaimCard({ claim }: { claim: ClaimSummary }) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'it';
  const l = lang(language);
  const euro = (cents: number | null) =>
    cents === null ? t('claimsList.notYet') : formatEuro(cents, language);
  return (
    <li className="panel claim-card">
      <h3 className="claim-card__title">
        <Link href={claimRoute(claim.id)}>{t('claimsList.number', { number: claim.number })}</Link>
      </h3>
      <p className="claim-state" data-state={claim.state}>
        {CLAIM_STATE_LABELS[claim.state][l]}
      </p>
      <dl className="facts claim-card__facts">
        <div>
          <dt>{t('claimsList.category')}</dt>
          <dd>{claim.categoryLabel[l]}</dd>
        </div>
        <div>
          <dt>{t('claimsList.beneficiaryLabel')}</dt>
          <dd>
            {claim.beneficiary.givenName} {claim.beneficiary.surname}
          </dd>
        </div>
        <div>
          <dt>{t('claimsList.submittedAt')}</dt>
          <dd>{formatDate(claim.submittedAt)}</dd>
        </div>
        <div>
          <dt>{t('claimsList.claimed')}</dt>
          <dd>{euro(claim.claimedCents)}</dd>
        </div>
        <div>
          <dt>{t('claimsList.estimated')}</dt>
          <dd>{euro(claim.estimatedCents)}</dd>
        </div>
        <div>
          <dt>{t('claimsList.accepted')}</dt>
          <dd>{euro(claim.acceptedCents)}</dd>
        </div>
        <div>
          <dt>{t('claimsList.paid')}</dt>
          <dd>{euro(claim.paidCents)}</dd>
        </div>
      </dl>
    </li>
  );
}
