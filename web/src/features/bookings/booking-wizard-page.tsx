import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Button, Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { BOOKING_LIMITS, DAY_PARTS, type DayPart } from '#contracts/bookings.codes.js';
import { FormAlert } from '../../components/form-alert';
import { LoadError } from '../../components/load-error';
import { PendingButton } from '../../components/submit-button';
import { ApiError, api } from '../../lib/api';
import { useFormFeedback } from '../../lib/form-feedback';
import { formatDate } from '../../lib/format';
import { formatEuro, formatPercent } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RadioList, SelectField } from '../claims/claim-fields';
import {
  FacilityPagination,
  FacilitySearchForm,
  FacilitySearchSummary,
  useFacilitySearch,
} from '../network/facility-search';
import { FACILITIES_PATH } from '../network/network-api';
import {
  BOOKING_OPTIONS_PATH,
  BOOKINGS_PATH,
  type Booking,
  type BookingOptions,
  bookingDocumentUploadPath,
  bookingRoute,
  isBookingsQueryKey,
} from './bookings-api';

type Step = 1 | 2 | 3 | 4 | 5;

interface WindowForm {
  date: string;
  part: DayPart | 'range';
  from: string;
  to: string;
}

interface Picked {
  id: string;
  name: string;
  address: string;
  phone: string | null;
}

const emptyWindow = (): WindowForm => ({ date: '', part: 'morning', from: '', to: '' });
const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

/** Focuses `selector` once React has drawn it. */
function focusLater(selector: string): void {
  setTimeout(() => document.querySelector<HTMLElement>(selector)?.focus());
}

/** `/prenotazioni`: "Prenota una prestazione medica" in the network, five steps, then "INVIA PRENOTAZIONE". */
export function BookingWizardPage() {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  useDocumentTitle(t('bookings.wizard.documentTitle'));
  const options = useApiQuery<BookingOptions>(BOOKING_OPTIONS_PATH);
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>(1);
  const [beneficiaryId, setBeneficiaryId] = useState('');
  const [service, setService] = useState('');
  const [facility, setFacility] = useState<Picked | null>(null);
  const [windows, setWindows] = useState<WindowForm[]>([emptyWindow()]);
  const [documents, setDocuments] = useState<{ id: string; fileName: string }[]>([]);
  const [uploading, setUploading] = useState(false);
  const [sending, setSending] = useState(false);
  const [sent, setSent] = useState<Booking | null>(null);
  const idempotencyKey = useRef(crypto.randomUUID());
  const labels: Record<string, string> = {
    beneficiaryId: t('bookings.wizard.beneficiary'),
    service: t('bookings.wizard.service'),
    facilityId: t('bookings.wizard.facility'),
    ...Object.fromEntries(
      [0, 1, 2].map((i) => [`windows/${i}`, t('bookings.wizard.windowLegend', { number: i + 1 })]),
    ),
    documentIds: t('bookings.wizard.prescription'),
    file: t('bookings.wizard.prescription'),
  };
  const feedback = useFormFeedback(t, labels);
  const errors = feedback.fieldErrors;

  useEffect(() => {
    if (step > 1) focusLater('#booking-step-heading');
  }, [step]);

  if (options.isPending) {
    return (
      <p role="status" className="muted">
        {t('bookings.loading')}
      </p>
    );
  }
  if (options.isError) {
    return (
      <div className="panel">
        <LoadError error={options.error} onRetry={() => void options.refetch()} />
      </div>
    );
  }
  const data = options.data;
  const chosen = data.services.find((s) => s.code === service);
  const holidays = new Set(data.holidays);

  if (sent) {
    return (
      <div className="dashboard">
        <div className="dashboard__intro">
          <h1 tabIndex={-1} id="booking-sent-heading">
            {t('bookings.wizard.sentHeading')}
          </h1>
          <p role="status">{t('bookings.wizard.sentText', { number: sent.number })}</p>
        </div>
        <p>
          <Link href={bookingRoute(sent.id)}>{t('bookings.wizard.openBooking')}</Link>
        </p>
        <p>
          <Link href="/pratiche">{t('bookings.toClaims')}</Link>
        </p>
      </div>
    );
  }

  const next = (to: Step) => {
    feedback.clear();
    setStep(to);
  };

  function checkStep(): boolean {
    const problems: Record<string, string> = {};
    if (step === 1 && !beneficiaryId) problems.beneficiaryId = t('fieldErrors.required');
    if (step === 1 && !service) problems.service = t('fieldErrors.required');
    if (step === 2 && !facility) problems.facilityId = t('fieldErrors.required');
    if (step === 3) {
      windows.forEach((w, i) => {
        if (!w.date || (w.part === 'range' && (!w.from || !w.to)))
          problems[`windows/${i}`] = t('fieldErrors.required');
        else if (holidays.has(w.date))
          problems[`windows/${i}`] = t('fieldErrors.booking_window_not_working_day');
        else if (w.date < data.earliestDate)
          problems[`windows/${i}`] = t('fieldErrors.booking_window_too_soon');
      });
    }
    if (step === 4 && chosen?.prescriptionRequired && documents.length === 0)
      problems.documentIds = t('fieldErrors.booking_prescription_required');
    if (Object.keys(problems).length > 0) {
      feedback.report(t('bookings.checkFields'), problems);
      return false;
    }
    return true;
  }

  async function upload(file: File) {
    setUploading(true);
    feedback.clear();
    try {
      const doc = await api.upload<{ id: string; fileName: string }>(
        bookingDocumentUploadPath(file.name),
        file,
        file.type || 'application/octet-stream',
      );
      setDocuments((d) => [...d, doc]);
    } catch (err) {
      feedback.reportApiError(err);
    } finally {
      setUploading(false);
    }
  }

  async function send() {
    if (sending) return;
    setSending(true);
    feedback.clear();
    try {
      const booking = await api.post<Booking>(BOOKINGS_PATH, {
        idempotencyKey: idempotencyKey.current,
        beneficiaryId,
        service,
        facilityId: facility?.id,
        windows: windows.map((w) =>
          w.part === 'range' ? { date: w.date, from: w.from, to: w.to } : { date: w.date, part: w.part },
        ),
        documentIds: documents.map((d) => d.id),
      });
      await queryClient.invalidateQueries({ predicate: (q) => isBookingsQueryKey(q.queryKey) });
      setSent(booking);
      focusLater('#booking-sent-heading');
    } catch (err) {
      feedback.reportApiError(err);
      const fields = err instanceof ApiError ? err.details.map((d) => d.field) : [];
      const back = fields.some((f) => f.startsWith('/windows'))
        ? 3
        : fields.some((f) => f === '/documentIds')
          ? 4
          : fields.some((f) => f === '/facilityId')
            ? 2
            : fields.length > 0
              ? 1
              : 5;
      setStep(back);
    } finally {
      setSending(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!checkStep()) return;
    if (step < 5) next((step + 1) as Step);
    else void send();
  }

  const person = data.beneficiaries.find((b) => b.id === beneficiaryId);

  return (
    <div className="dashboard">
      <div className="dashboard__intro">
        <h1>{t('bookings.wizard.heading')}</h1>
        <p>{t('bookings.wizard.intro')}</p>
      </div>
      <p className="muted">{t('bookings.wizard.stepOf', { step, steps: 5 })}</p>
      {step === 2 && (
        <FacilityStep
          service={service}
          picked={facility}
          error={errors.facilityId}
          onPick={(f) => {
            setFacility(f);
            feedback.clear();
          }}
        />
      )}
      <Form ref={feedback.formRef} onSubmit={onSubmit} className="form panel" validationBehavior="aria">
        <FormAlert problem={feedback.problem} />
        {step === 1 && (
          <>
            <h2 id="booking-step-heading" tabIndex={-1}>
              {t('bookings.wizard.step1')}
            </h2>
            <RadioList
              name="beneficiaryId"
              legend={t('bookings.wizard.beneficiary')}
              value={beneficiaryId}
              onChange={setBeneficiaryId}
              error={errors.beneficiaryId}
              choices={data.beneficiaries.map((b) => ({ value: b.id, label: `${b.givenName} ${b.surname}` }))}
            />
            <SelectField
              name="service"
              label={t('bookings.wizard.service')}
              value={service}
              onChange={(v) => {
                setService(v);
                setFacility(null);
              }}
              error={errors.service}
              required
              placeholder={t('bookings.wizard.choose')}
              choices={data.services.map((s) => ({ value: s.code, label: s.label[l] }))}
            />
          </>
        )}
        {step === 2 && (
          <>
            <h2 id="booking-step-heading" tabIndex={-1}>
              {t('bookings.wizard.step2')}
            </h2>
            <p>
              {facility
                ? t('bookings.wizard.facilityChosen', { name: facility.name, address: facility.address })
                : t('bookings.wizard.facilityNone')}
            </p>
            {errors.facilityId && <p className="field__error">{errors.facilityId}</p>}
          </>
        )}
        {step === 3 && (
          <>
            <h2 id="booking-step-heading" tabIndex={-1}>
              {t('bookings.wizard.step3')}
            </h2>
            <p className="field__hint">
              {t('bookings.wizard.windowsHint', { date: formatDate(data.earliestDate) })}
            </p>
            {windows.map((w, i) => (
              <WindowFields
                // biome-ignore lint/suspicious/noArrayIndexKey: windows have no identity of their own
                key={i}
                index={i}
                value={w}
                min={data.earliestDate}
                holiday={holidays.has(w.date)}
                error={errors[`windows/${i}`]}
                onChange={(value) => setWindows((all) => all.map((x, j) => (j === i ? value : x)))}
                onRemove={
                  windows.length > 1 ? () => setWindows((all) => all.filter((_, j) => j !== i)) : undefined
                }
              />
            ))}
            {windows.length < BOOKING_LIMITS.maxWindows && (
              <Button
                className="button button--secondary"
                onPress={() => setWindows((all) => [...all, emptyWindow()])}
              >
                {t('bookings.wizard.addWindow')}
              </Button>
            )}
            <details>
              <summary>{t('bookings.wizard.holidays')}</summary>
              <ul>
                {data.holidays.slice(0, 12).map((d) => (
                  <li key={d}>{formatDate(d)}</li>
                ))}
              </ul>
            </details>
          </>
        )}
        {step === 4 && (
          <>
            <h2 id="booking-step-heading" tabIndex={-1}>
              {t('bookings.wizard.step4')}
            </h2>
            <p>
              {chosen?.prescriptionRequired
                ? t('bookings.wizard.prescriptionRequired')
                : t('bookings.wizard.prescriptionOptional')}
            </p>
            <div className="field">
              <label className="field__label" htmlFor="booking-prescription">
                {t('bookings.wizard.prescription')}
              </label>
              <input
                id="booking-prescription"
                name="documentIds"
                type="file"
                accept="application/pdf,image/jpeg,image/png"
                aria-invalid={errors.documentIds || errors.file ? true : undefined}
                aria-describedby={
                  errors.documentIds || errors.file ? 'booking-prescription-error' : undefined
                }
                onChange={(event) => {
                  const file = event.currentTarget.files?.[0];
                  if (file) void upload(file);
                  event.currentTarget.value = '';
                }}
              />
              {(errors.documentIds || errors.file) && (
                <p id="booking-prescription-error" className="field__error">
                  {errors.documentIds ?? errors.file}
                </p>
              )}
            </div>
            <div role="status">{uploading ? t('bookings.wizard.uploading') : ''}</div>
            {documents.length > 0 && (
              <ul>
                {documents.map((d) => (
                  <li key={d.id}>{d.fileName}</li>
                ))}
              </ul>
            )}
          </>
        )}
        {step === 5 && (
          <>
            <h2 id="booking-step-heading" tabIndex={-1}>
              {t('bookings.wizard.step5')}
            </h2>
            <dl className="facts">
              <div>
                <dt>{t('bookings.wizard.beneficiary')}</dt>
                <dd>{person ? `${person.givenName} ${person.surname}` : ''}</dd>
              </div>
              <div>
                <dt>{t('bookings.wizard.service')}</dt>
                <dd>{chosen?.label[l]}</dd>
              </div>
              <div>
                <dt>{t('bookings.wizard.facility')}</dt>
                <dd>
                  {facility?.name}, {facility?.address}
                  {facility?.phone ? ` — ${facility.phone}` : ''}
                </dd>
              </div>
              <div>
                <dt>{t('bookings.wizard.windows')}</dt>
                <dd>
                  <ul>
                    {windows.map((w, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: windows have no identity of their own
                      <li key={i}>
                        {formatDate(w.date)} —{' '}
                        {w.part === 'range'
                          ? t('bookings.wizard.rangeText', { from: w.from, to: w.to })
                          : t(`bookings.parts.${w.part}`)}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
              <div>
                <dt>{t('bookings.wizard.coverage')}</dt>
                <dd>
                  {chosen && chosen.expectedShareCents !== null
                    ? t('bookings.wizard.coverageKnown', { share: formatEuro(chosen.expectedShareCents, l) })
                    : chosen
                      ? t('bookings.wizard.coverageRules', {
                          percent: formatPercent(chosen.coinsuranceBasisPoints, l),
                          deductible: formatEuro(chosen.deductiblePerVisitCents, l),
                          minimum: formatEuro(chosen.minimumPerInvoiceCents, l),
                        })
                      : ''}
                </dd>
              </div>
            </dl>
            <p className="muted">{t('bookings.wizard.cancelNotice', { hours: data.cancelNoticeHours })}</p>
          </>
        )}
        <div className="form__actions">
          {step > 1 && (
            <Button className="button button--secondary" onPress={() => next((step - 1) as Step)}>
              {t('bookings.wizard.back')}
            </Button>
          )}
          <PendingButton type="submit" pending={sending}>
            {step < 5 ? t('bookings.wizard.next') : t('bookings.wizard.send')}
          </PendingButton>
        </div>
      </Form>
    </div>
  );
}

function WindowFields({
  index,
  value,
  min,
  holiday,
  error,
  onChange,
  onRemove,
}: {
  index: number;
  value: WindowForm;
  min: string;
  holiday: boolean;
  error: string | undefined;
  onChange(value: WindowForm): void;
  onRemove: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const id = `window-${index}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  return (
    <fieldset className="field window">
      <legend className="field__label">{t('bookings.wizard.windowLegend', { number: index + 1 })}</legend>
      <label className="field__label" htmlFor={`${id}-date`}>
        {t('bookings.wizard.day')}
      </label>
      <input
        id={`${id}-date`}
        name={`windows/${index}`}
        type="date"
        className="field__input"
        min={min}
        value={value.date}
        onChange={(event) => onChange({ ...value, date: event.currentTarget.value })}
        aria-invalid={error ? true : undefined}
        aria-describedby={
          [holiday ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined
        }
      />
      {holiday && (
        <p id={hintId} className="field__hint">
          {t('bookings.wizard.holiday')}
        </p>
      )}
      <SelectField
        name={`windows/${index}/part`}
        label={t('bookings.wizard.part')}
        value={value.part}
        onChange={(v) => onChange({ ...value, part: v as WindowForm['part'] })}
        choices={[
          ...DAY_PARTS.map((p) => ({ value: p, label: t(`bookings.parts.${p}`) })),
          { value: 'range', label: t('bookings.parts.range') },
        ]}
      />
      {value.part === 'range' && (
        <div className="window__range">
          <label className="field__label" htmlFor={`${id}-from`}>
            {t('bookings.wizard.from')}
          </label>
          <input
            id={`${id}-from`}
            type="time"
            className="field__input"
            value={value.from}
            onChange={(event) => onChange({ ...value, from: event.currentTarget.value })}
          />
          <label className="field__label" htmlFor={`${id}-to`}>
            {t('bookings.wizard.to')}
          </label>
          <input
            id={`${id}-to`}
            type="time"
            className="field__input"
            value={value.to}
            onChange={(event) => onChange({ ...value, to: event.currentTarget.value })}
          />
        </div>
      )}
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
      {onRemove && (
        <Button className="button button--secondary button--small" onPress={onRemove}>
          {t('bookings.wizard.removeWindow', { number: index + 1 })}
        </Button>
      )}
    </fieldset>
  );
}

/** Step 2: the network search (service preset), each facility with its address and phone. */
function FacilityStep({
  service,
  picked,
  error,
  onPick,
}: {
  service: string;
  picked: Picked | null;
  error: string | undefined;
  onPick(facility: Picked): void;
}) {
  const { t } = useTranslation();
  const results = useRef<HTMLHeadingElement>(null);
  const search = useFacilitySearch(FACILITIES_PATH, results);
  const { result, pages } = search;
  const items = result?.items.filter((f) => !service || f.services.includes(service as never)) ?? [];
  return (
    <section className="panel facility-picker" aria-labelledby="booking-facility-heading">
      <h2 id="booking-facility-heading">{t('bookings.wizard.facilitySearch')}</h2>
      {error && <p className="field__error">{error}</p>}
      <FacilitySearchForm search={search} />
      <FacilitySearchSummary result={result} />
      {result && items.length > 0 && (
        <>
          <h3 ref={results} tabIndex={-1}>
            {t('facilities.resultsHeading', { page: result.page, pages })}
          </h3>
          <ul className="facility-list">
            {items.map((f) => {
              const address = `${f.address}, ${f.cap} ${f.city} (${f.province})`;
              return (
                <li key={f.id} className="facility">
                  <p className="facility__name">{f.name}</p>
                  <p className="muted">{address}</p>
                  {f.phone && <p className="muted">{t('bookings.wizard.phone', { phone: f.phone })}</p>}
                  {f.distanceKm !== undefined && (
                    <p className="muted">{t('bookings.wizard.distance', { km: f.distanceKm })}</p>
                  )}
                  <Button
                    className="button button--secondary button--small"
                    aria-pressed={picked?.id === f.id}
                    onPress={() => onPick({ id: f.id, name: f.name, address, phone: f.phone })}
                  >
                    {t('bookings.wizard.pickFacility', { name: f.name })}
                  </Button>
                </li>
              );
            })}
          </ul>
          <FacilityPagination search={search} />
        </>
      )}
    </section>
  );
}
