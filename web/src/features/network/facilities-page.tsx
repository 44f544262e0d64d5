import { useEffect, useId, useRef, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { useDocumentTitle } from '../../lib/use-document-title';
import { useFormSubmit } from '../../lib/use-form-submit';

export const FACILITIES_ROUTE = '/strutture';
const FACILITIES_PATH = '/api/v1/network/facilities';
const SERVICES_PATH = '/api/v1/network/services';
export const FACILITIES_PAGE_SIZE = 10;

interface Service {
  code: string;
  labels: { it: string; en: string };
}

interface Facility {
  id: string;
  name: string;
  address: string;
  city: string;
  province: string;
  cap: string;
  phone: string | null;
  services: string[];
  distanceKm?: number;
}

interface SearchResult {
  items: Facility[];
  total: number;
  page: number;
  pageSize: number;
  reference?: { town?: string; cap?: string };
}

export interface FacilityFilters {
  service: string;
  province: string;
  city: string;
  cap: string;
}

/** The query string of a search: the filters filled in, the page and its size. */
export function facilitiesQuery(filters: FacilityFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.service) params.set('service', filters.service);
  if (filters.province) params.set('province', filters.province.toUpperCase());
  if (filters.city) params.set('city', filters.city);
  if (filters.cap) params.set('cap', filters.cap);
  params.set('page', String(page));
  params.set('pageSize', String(FACILITIES_PAGE_SIZE));
  return params.toString();
}

/** `/strutture`: the network's facilities by service and place, nearest first when a CAP is given. */
export function FacilitiesPage() {
  const { t, i18n } = useTranslation();
  useDocumentTitle(t('facilities.documentTitle'));
  const serviceId = useId();
  const [services, setServices] = useState<Service[]>([]);
  const [search, setSearch] = useState<{ filters: FacilityFilters; result: SearchResult } | null>(null);
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const [focusResults, setFocusResults] = useState(0);
  const lang = i18n.resolvedLanguage === 'en' ? 'en' : 'it';

  useEffect(() => {
    const controller = new AbortController();
    api
      .get<{ services: Service[] }>(SERVICES_PATH, { signal: controller.signal })
      .then((body) => setServices(body.services))
      .catch(() => {
        // Without the list the search still works on places alone.
      });
    return () => controller.abort();
  }, []);

  useEffect(() => {
    if (focusResults > 0) resultsHeading.current?.focus();
  }, [focusResults]);

  const labels = {
    service: t('facilities.service'),
    province: t('facilities.province'),
    city: t('facilities.city'),
    cap: t('facilities.cap'),
  };

  async function run(filters: FacilityFilters, page: number): Promise<void> {
    const result = await api.get<SearchResult>(`${FACILITIES_PATH}?${facilitiesQuery(filters, page)}`);
    setSearch({ filters, result });
  }

  const form = useFormSubmit({
    labels,
    read: (data) => {
      const filters: FacilityFilters = {
        service: formText(data, 'service'),
        province: formText(data, 'province').trim(),
        city: formText(data, 'city').trim(),
        cap: formText(data, 'cap').trim(),
      };
      return {
        value: filters,
        errors: compactErrors({
          province:
            filters.province !== '' &&
            !/^[A-Za-z]{2}$/.test(filters.province) &&
            t('facilities.provinceInvalid'),
          cap: filters.cap !== '' && !/^[0-9]{2,5}$/.test(filters.cap) && t('facilities.capInvalid'),
        }),
      };
    },
    send: (filters) => run(filters, 1),
  });

  const [pagePending, setPagePending] = useState(false);
  async function goTo(page: number): Promise<void> {
    if (!search || pagePending) return;
    setPagePending(true);
    try {
      await run(search.filters, page);
      setFocusResults((n) => n + 1);
    } catch (error) {
      form.feedback.reportApiError(error);
    } finally {
      setPagePending(false);
    }
  }

  const serviceLabel = (code: string) => services.find((s) => s.code === code)?.labels[lang] ?? code;
  const result = search?.result;
  const pages = result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1;

  return (
    <div className="dashboard">
      <div className="dashboard__intro">
        <h1>{t('facilities.heading')}</h1>
        <p>{t('facilities.intro')}</p>
      </div>
      <section className="panel" aria-labelledby="facilities-search-heading">
        <h2 id="facilities-search-heading">{t('facilities.searchHeading')}</h2>
        <FormAlert problem={form.feedback.problem} />
        <Form {...form.formProps}>
          <div className="form__grid">
            <div className="field">
              <span className="field__label-row">
                <label className="field__label" htmlFor={serviceId}>
                  {labels.service}
                </label>
              </span>
              <select id={serviceId} name="service" className="field__input" defaultValue="">
                <option value="">{t('facilities.anyService')}</option>
                {services.map((service) => (
                  <option key={service.code} value={service.code}>
                    {service.labels[lang]}
                  </option>
                ))}
              </select>
            </div>
            <FormTextField
              name="province"
              label={labels.province}
              maxLength={2}
              description={t('facilities.provinceHint')}
              inputProps={{ autoCapitalize: 'characters', spellCheck: false, className: 'uppercase' }}
            />
            <FormTextField name="city" label={labels.city} maxLength={100} />
            <FormTextField
              name="cap"
              label={labels.cap}
              maxLength={5}
              description={t('facilities.capHint')}
              inputProps={{ inputMode: 'numeric', spellCheck: false }}
            />
          </div>
          <SubmitButton pending={form.pending}>{t('facilities.submit')}</SubmitButton>
        </Form>
      </section>

      <div role="status" className="search-summary">
        {result &&
          (result.reference?.town
            ? t('facilities.foundNear', { count: result.total, town: result.reference.town })
            : t('facilities.found', { count: result.total }))}
      </div>

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
          <nav aria-label={t('facilities.pagination')} className="form__actions pagination">
            <Button
              className="button button--secondary"
              isDisabled={result.page <= 1 || pagePending}
              onPress={() => void goTo(result.page - 1)}
            >
              {t('facilities.previous')}
            </Button>
            <Button
              className="button button--secondary"
              isDisabled={result.page >= pages || pagePending}
              onPress={() => void goTo(result.page + 1)}
            >
              {t('facilities.next')}
            </Button>
          </nav>
        </section>
      )}
      <p>
        <Link href="/area-riservata">{t('facilities.toDashboard')}</Link>
      </p>
    </div>
  );
}
