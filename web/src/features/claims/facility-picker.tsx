import { useEffect, useRef } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import {
  FacilityPagination,
  FacilitySearchForm,
  FacilitySearchSummary,
  useFacilitySearch,
} from '../network/facility-search';
import { FACILITIES_PATH } from '../network/network-api';

/**
 * The network search of `/strutture`, to choose the facility of a network invoice. It sits outside
 * the wizard's form (a form cannot hold another); focus goes to its heading when it opens.
 */
export function FacilityPicker({
  invoiceNumber,
  onPick,
  onClose,
}: {
  invoiceNumber: number;
  onPick(facility: { id: string; name: string }): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  const results = useRef<HTMLHeadingElement>(null);
  const search = useFacilitySearch(FACILITIES_PATH, results);
  const { result, pages } = search;

  useEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <section className="panel facility-picker" aria-labelledby="facility-picker-heading">
      <h2 id="facility-picker-heading" ref={heading} tabIndex={-1}>
        {t('claims.facilitySearchHeading', { number: invoiceNumber })}
      </h2>
      <FacilitySearchForm search={search} />
      <FacilitySearchSummary result={result} />
      {result && result.items.length > 0 && (
        <>
          <h3 ref={results} tabIndex={-1}>
            {t('facilities.resultsHeading', { page: result.page, pages })}
          </h3>
          <ul className="facility-list">
            {result.items.map((facility) => (
              <li key={facility.id} className="facility">
                <p className="facility__name">{facility.name}</p>
                <p className="muted">
                  {facility.address}, {facility.cap} {facility.city} ({facility.province})
                </p>
                <Button
                  className="button button--secondary button--small"
                  onPress={() => onPick({ id: facility.id, name: facility.name })}
                >
                  {t('claims.pickFacility', { name: facility.name })}
                </Button>
              </li>
            ))}
          </ul>
          <FacilityPagination search={search} />
        </>
      )}
      <Button className="button button--secondary" onPress={onClose}>
        {t('claims.closeSearch')}
      </Button>
    </section>
  );
}
