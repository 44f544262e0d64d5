import { type RefObject, useEffect, useId, useState } from 'react';
import { Button, Form } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { FormAlert } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { SubmitButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { compactErrors, formText } from '../../lib/form-data';
import { useFormSubmit } from '../../lib/use-form-submit';
import { type FacilitySearchResponse, SERVICES_PATH } from './network-api';

/**
 * The facility search shared by the members' page (`/strutture`) and the back office's: filters,
 * checks, the services list, paging. Each page shows the results its own way.
 */

export const FACILITIES_PAGE_SIZE = 10;

export interface Service {
  code: string;
  labels: { it: string; en: string };
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

/**
 * Searches `path` (the members' or the staff's facilities API). After a change of page, focus goes
 * to `focusTarget` (the results), so that keyboard and screen reader users land on them.
 */
export function useFacilitySearch(path: string, focusTarget: RefObject<HTMLElement | null>) {
  const { t, i18n } = useTranslation();
  const lang: 'it' | 'en' = i18n.resolvedLanguage === 'en' ? 'en' : 'it';
  const [services, setServices] = useState<Service[]>([]);
  const [search, setSearch] = useState<{ filters: FacilityFilters; result: FacilitySearchResponse } | null>(
    null,
  );
  const [pagePending, setPagePending] = useState(false);
  const [focusResults, setFocusResults] = useState(0);

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
    if (focusResults > 0) focusTarget.current?.focus();
  }, [focusResults, focusTarget]);

  const labels = {
    service: t('facilities.service'),
    province: t('facilities.province'),
    city: t('facilities.city'),
    cap: t('facilities.cap'),
  };

  async function run(filters: FacilityFilters, page: number): Promise<void> {
    const result = await api.get<FacilitySearchResponse>(`${path}?${facilitiesQuery(filters, page)}`);
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

  const result = search?.result;
  return {
    lang,
    services,
    labels,
    form,
    result,
    pages: result ? Math.max(1, Math.ceil(result.total / result.pageSize)) : 1,
    pagePending,
    goTo,
    serviceLabel: (code: string) => services.find((s) => s.code === code)?.labels[lang] ?? code,
  };
}

export type FacilitySearch = ReturnType<typeof useFacilitySearch>;

/** The search form: service, province, town, CAP. */
export function FacilitySearchForm({ search }: { search: FacilitySearch }) {
  const { t } = useTranslation();
  const serviceId = useId();
  const { form, labels, services, lang } = search;
  return (
    <>
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
    </>
  );
}

/** How many facilities were found (and near which town), announced as a status. */
export function FacilitySearchSummary({ result }: { result: FacilitySearchResponse | undefined }) {
  const { t } = useTranslation();
  return (
    <div role="status" className="search-summary">
      {result &&
        (result.reference?.town
          ? t('facilities.foundNear', { count: result.total, town: result.reference.town })
          : t('facilities.found', { count: result.total }))}
    </div>
  );
}

/** Previous and next page of the results. */
export function FacilityPagination({ search }: { search: FacilitySearch }) {
  const { t } = useTranslation();
  const { result, pages, pagePending, goTo } = search;
  if (!result) return null;
  return (
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
  );
}
