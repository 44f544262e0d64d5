import { useRef } from 'react';
import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../lib/use-document-title';
import {
  FacilityPagination,
  FacilitySearchForm,
  FacilitySearchSummary,
  useFacilitySearch,
} from './facility-search';
import { FACILITIES_PATH } from './network-api';

export const FACILITIES_ROUTE = '/strutture';

/** `/strutture`: the network's facilities by service and place, nearest first when a CAP is given. */
export function FacilitiesPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('facilities.documentTitle'));
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const search = useFacilitySearch(FACILITIES_PATH, resultsHeading);
  const { result, pages, lang, serviceLabel } = search;

  return (
    <div className="dashboard">
      <div className="dashboard__intro">
        <h1>{t('facilities.heading')}</h1>
        <p>{t('facilities.intro')}</p>
      </div>
      <section className="panel" aria-labelledby="facilities-search-heading">
        <h2 id="facilities-search-heading">{t('facilities.searchHeading')}</h2>
        <FacilitySearchForm search={search} />
      </section>

      <FacilitySearchSummary result={result} />

      {result && result.items.length > 0 && (
        <section aria-labelledby="facilities-results-heading" className="facilities">
          <h2 id="facilities-results-heading" ref={resultsHeading} tabIndex={-1}>
            {t('facilities.resultsHeading', { page: result.page, pages })}
          </h2>
          <ul className="facility-list">
            {result.items.map((facility) => (
              <li key={facility.id} className="panel facility">
                <h3>{facility.name}</h3>
                <p>
                  {facility.address}, {facility.cap} {facility.city} ({facility.province})
                </p>
                {facility.distanceKm !== undefined && (
                  <p className="facility__distance">
                    {t('facilities.distance', {
                      km: new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(
                        facility.distanceKm,
                      ),
                    })}
                  </p>
                )}
                {facility.phone && (
                  <p>
                    {t('facilities.phone')}{' '}
                    <a href={`tel:${facility.phone.replace(/\s+/g, '')}`}>{facility.phone}</a>
                  </p>
                )}
                <p className="muted">
                  {t('facilities.services')}: {facility.services.map(serviceLabel).join(', ')}
                </p>
              </li>
            ))}
          </ul>
          <FacilityPagination search={search} />
        </section>
      )}
      <p>
        <Link href="/area-riservata">{t('facilities.toDashboard')}</Link>
      </p>
    </div>
  );
}
