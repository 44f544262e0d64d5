import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import {
  BOOKING_REJECT_REASON_LABELS,
  BOOKING_REJECT_REASONS,
  BOOKING_STATE_LABELS,
  BOOKING_STATES,
  type BookingRejectReason,
} from '#contracts/bookings.codes.js';
import { CATEGORY_LABELS } from '#contracts/plans.codes.js';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { FormTextField } from '../../components/form-field';
import { LoadError } from '../../components/load-error';
import { PendingButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { useFormFeedback } from '../../lib/form-feedback';
import { formatDate, formatDateTime } from '../../lib/format';
import { formatEuro, parseAmount } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useStaffSession } from '../../lib/staff-session';
import { useDocumentTitle } from '../../lib/use-document-title';
import { SelectField } from '../claims/claim-fields';
import {
  type Booking,
  DESK_PATH,
  DESK_ROUTE,
  type DeskBooking,
  deskBookingPath,
  deskBookingRoute,
  isBookingsQueryKey,
  romeDateTime,
} from './bookings-api';

const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

interface QueueItem {
  id: string;
  number: string;
  state: Booking['state'];
  service: Booking['service'];
  province: string;
  facilityName: string;
  beneficiaryInitials: string;
  firstWindow: string | null;
  createdAt: string;
}

/** `/backoffice/prenotazioni`: the booking desk's queue, oldest first, by state, province and service. */
export function DeskQueuePage() {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  useDocumentTitle(t('bookingDesk.queue.documentTitle'));
  const [search, setSearch] = useSearchParams();
  const state = search.get('state') ?? '';
  const province = search.get('province') ?? '';
  const service = search.get('service') ?? '';
  const query = new URLSearchParams();
  if (state) query.set('state', state);
  if (province) query.set('province', province.toUpperCase());
  if (service) query.set('service', service);
  const queue = useApiQuery<{ items: QueueItem[] }>(`${DESK_PATH}${query.size > 0 ? `?${query}` : ''}`);
  const captionId = useId();
  const [form, setForm] = useState({ state, province, service });

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams();
    if (form.state) next.set('state', form.state);
    if (form.province.trim()) next.set('province', form.province.trim().toUpperCase());
    if (form.service) next.set('service', form.service);
    setSearch(next);
  }

  return (
    <div className="dashboard">
      <div className="dashboard__intro">
        <h1>{t('bookingDesk.queue.heading')}</h1>
        <p>{t('bookingDesk.queue.intro')}</p>
      </div>
      <section className="panel" aria-labelledby="desk-filters-heading">
        <h2 id="desk-filters-heading">{t('bookingDesk.queue.filters')}</h2>
        <Form onSubmit={apply} className="form">
          <SelectField
            name="state"
            label={t('bookingDesk.queue.state')}
            value={form.state}
            onChange={(v) => setForm({ ...form, state: v })}
            placeholder={t('bookingDesk.queue.open')}
            choices={BOOKING_STATES.map((s) => ({ value: s, label: BOOKING_STATE_LABELS[s][l] }))}
          />
          <div className="field">
            <label className="field__label" htmlFor="desk-province">
              {t('bookingDesk.queue.province')}
            </label>
            <input
              id="desk-province"
              name="province"
              className="field__input"
              maxLength={2}
              value={form.province}
              onChange={(e) => setForm({ ...form, province: e.currentTarget.value })}
            />
          </div>
          <SelectField
            name="service"
            label={t('bookingDesk.queue.service')}
            value={form.service}
            onChange={(v) => setForm({ ...form, service: v })}
            placeholder={t('bookingDesk.queue.anyService')}
            choices={Object.entries(CATEGORY_LABELS)
              .filter(([code]) => code !== 'farmaci')
              .map(([code, label]) => ({ value: code, label: label[l] }))}
          />
          <div className="form__actions">
            <PendingButton type="submit" pending={false}>
              {t('bookingDesk.queue.apply')}
            </PendingButton>
          </div>
        </Form>
      </section>
      {queue.isPending && (
        <p role="status" className="muted">
          {t('bookings.loading')}
        </p>
      )}
      {queue.isError && (
        <div className="panel">
          <LoadError error={queue.error} onRetry={() => void queue.refetch()} />
        </div>
      )}
      <div role="status" className="search-summary">
        {queue.data && t('bookingDesk.queue.found', { count: queue.data.items.length })}
      </div>
      {queue.data && queue.data.items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" aria-labelledby={captionId} tabIndex={0}>
          <table className="data-table">
            <caption id={captionId}>{t('bookingDesk.queue.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('bookingDesk.queue.number')}</th>
                <th scope="col">{t('bookingDesk.queue.state')}</th>
                <th scope="col">{t('bookingDesk.queue.service')}</th>
                <th scope="col">{t('bookingDesk.queue.province')}</th>
                <th scope="col">{t('bookingDesk.queue.facility')}</th>
                <th scope="col">{t('bookingDesk.queue.person')}</th>
                <th scope="col">{t('bookingDesk.queue.firstWindow')}</th>
                <th scope="col">{t('bookingDesk.queue.sent')}</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row" className="nowrap">
                    <Link href={deskBookingRoute(item.id)}>{item.number}</Link>
                  </th>
                  <td>{BOOKING_STATE_LABELS[item.state][l]}</td>
                  <td>{CATEGORY_LABELS[item.service][l]}</td>
                  <td>{item.province}</td>
                  <td>{item.facilityName}</td>
                  <td>{item.beneficiaryInitials}</td>
                  <td>{item.firstWindow ? romeDateTime(item.firstWindow, l) : ''}</td>
                  <td>{formatDateTime(item.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

type DeskAction = 'confirm' | 'propose' | 'reject' | 'cancel' | 'performed';

/** `/backoffice/prenotazioni/:id`: a request and the desk's actions on it. */
export function DeskBookingPage() {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  const { id = '' } = useParams();
  const detail = useApiQuery<DeskBooking>(deskBookingPath(id));
  const { state } = useStaffSession();
  const canAct = state.status === 'active' && state.info.role === 'booking_desk';
  useDocumentTitle(
    detail.data
      ? t('bookingDesk.request.documentTitle', { number: detail.data.booking.number })
      : t('bookings.loading'),
  );
  const queryClient = useQueryClient();
  const feedback = useFormFeedback(t, {
    date: t('bookingDesk.request.date'),
    time: t('bookingDesk.request.time'),
    facilityId: t('bookingDesk.request.facilityId'),
    invoiceCents: t('bookingDesk.request.amount'),
    invoiceNumber: t('bookingDesk.request.invoiceNumber'),
  });
  const [pending, setPending] = useState<DeskAction | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reason, setReason] = useState<BookingRejectReason>('not_covered');

  if (detail.isPending) {
    return (
      <p role="status" className="muted">
        {t('bookings.loading')}
      </p>
    );
  }
  if (detail.isError) {
    return (
      <div className="panel">
        <LoadError error={detail.error} onRetry={() => void detail.refetch()} />
      </div>
    );
  }
  const { booking: b, documents, facilityHasIban, beneficiaryCodiceFiscale } = detail.data;

  async function act(action: DeskAction, body?: object) {
    if (pending) return;
    setPending(action);
    setDone(null);
    feedback.clear();
    try {
      await api.post<Booking>(`${deskBookingPath(b.id)}/${action}`, body);
      await queryClient.invalidateQueries({ predicate: (q) => isBookingsQueryKey(q.queryKey) });
      setDone(t(`bookingDesk.request.done.${action}`));
    } catch (err) {
      feedback.reportApiError(err);
    } finally {
      setPending(null);
    }
  }

  function slot(action: 'confirm' | 'propose') {
    return (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const data = new FormData(event.currentTarget);
      const facilityId = String(data.get('facilityId') ?? '').trim();
      void act(action, {
        date: String(data.get('date') ?? ''),
        time: String(data.get('time') ?? ''),
        ...(facilityId ? { facilityId } : {}),
      });
    };
  }

  function performed(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const cents = parseAmount(String(data.get('invoiceCents') ?? ''), l);
    if (cents === null || cents <= 0) {
      feedback.report(t('bookings.checkFields'), { invoiceCents: t('fieldErrors.booking_amount_invalid') });
      return;
    }
    void act('performed', {
      invoiceCents: cents,
      invoiceNumber: String(data.get('invoiceNumber') ?? '').trim(),
    });
  }

  const f = b.appointment?.facility ?? b.facility;
  const open = b.state === 'requested' || b.state === 'confirmed';

  return (
    <div className="dashboard">
      <div className="dashboard__intro">
        <h1>{t('bookingDesk.request.heading', { number: b.number })}</h1>
        <p>
          <span className="badge">{BOOKING_STATE_LABELS[b.state][l]}</span>
        </p>
      </div>
      <FormAlert problem={feedback.problem} />
      <FormStatus message={done} />
      <section className="panel" aria-labelledby="desk-facts-heading">
        <h2 id="desk-facts-heading">{t('bookingDesk.request.facts')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('bookings.wizard.beneficiary')}</dt>
            <dd>
              {b.beneficiary.givenName} {b.beneficiary.surname} ({beneficiaryCodiceFiscale})
            </dd>
          </div>
          <div>
            <dt>{t('bookings.wizard.service')}</dt>
            <dd>{CATEGORY_LABELS[b.service][l]}</dd>
          </div>
          <div>
            <dt>{t('bookings.wizard.facility')}</dt>
            <dd>
              {f.name}, {f.address}, {f.cap} {f.city} ({f.province}){f.phone ? ` — ${f.phone}` : ''}
              {!facilityHasIban && (
                <>
                  <br />
                  <strong>{t('bookingDesk.request.noIban')}</strong>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>{t('bookings.wizard.windows')}</dt>
            <dd>
              <ul>
                {b.windows.map((w) => (
                  <li key={w.startsAt}>
                    {formatDate(w.date)} {w.from}–{w.to}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
          {b.proposal && (
            <div>
              <dt>{t('bookings.page.proposal')}</dt>
              <dd>
                {romeDateTime(b.proposal.startAt, l)} —{' '}
                {t('bookingDesk.request.until', { when: formatDateTime(b.proposal.deadline) })}
              </dd>
            </div>
          )}
          {b.appointment && (
            <div>
              <dt>{t('bookings.page.appointment')}</dt>
              <dd>{romeDateTime(b.appointment.startAt, l)}</dd>
            </div>
          )}
          {b.expectedShareCents !== null && (
            <div>
              <dt>{t('bookings.page.share')}</dt>
              <dd>{formatEuro(b.expectedShareCents, l)}</dd>
            </div>
          )}
          {b.claim && (
            <div>
              <dt>{t('bookings.page.claim')}</dt>
              <dd>{b.claim.number}</dd>
            </div>
          )}
        </dl>
        {documents.length > 0 && (
          <>
            <h3>{t('bookingDesk.request.documents')}</h3>
            <ul>
              {documents.map((d) => (
                <li key={d.id}>
                  <a
                    href={`${deskBookingPath(b.id)}/documents/${encodeURIComponent(d.id)}`}
                    target="_blank"
                    rel="noreferrer"
                  >
                    {d.fileName}
                  </a>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {canAct &&
        open &&
        (['confirm', 'propose'] as const).map((action) => (
          <section key={action} className="panel" aria-labelledby={`desk-${action}-heading`}>
            <h2 id={`desk-${action}-heading`}>{t(`bookingDesk.request.${action}Heading`)}</h2>
            <Form
              onSubmit={slot(action)}
              validationErrors={feedback.fieldErrors}
              validationBehavior="aria"
              className="form"
            >
              <div className="field">
                <label className="field__label" htmlFor={`${action}-date`}>
                  {t('bookingDesk.request.date')}
                </label>
                <input id={`${action}-date`} name="date" type="date" className="field__input" required />
              </div>
              <div className="field">
                <label className="field__label" htmlFor={`${action}-time`}>
                  {t('bookingDesk.request.time')}
                </label>
                <input id={`${action}-time`} name="time" type="time" className="field__input" required />
              </div>
              <FormTextField
                name="facilityId"
                label={t('bookingDesk.request.facilityId')}
                description={t('bookingDesk.request.facilityIdHint')}
              />
              <div className="form__actions">
                <PendingButton type="submit" pending={pending === action}>
                  {t(`bookingDesk.request.${action}`)}
                </PendingButton>
              </div>
            </Form>
          </section>
        ))}

      {canAct && b.state === 'confirmed' && (
        <section className="panel" aria-labelledby="desk-performed-heading">
          <h2 id="desk-performed-heading">{t('bookingDesk.request.performedHeading')}</h2>
          <Form
            onSubmit={performed}
            validationErrors={feedback.fieldErrors}
            validationBehavior="aria"
            className="form"
          >
            <FormTextField
              name="invoiceCents"
              label={t('bookingDesk.request.amount')}
              inputProps={{ inputMode: 'decimal' }}
            />
            <FormTextField name="invoiceNumber" label={t('bookingDesk.request.invoiceNumber')} />
            <div className="form__actions">
              <PendingButton type="submit" pending={pending === 'performed'}>
                {t('bookingDesk.request.performed')}
              </PendingButton>
            </div>
          </Form>
          <PendingButton
            className="button button--secondary"
            pending={pending === 'cancel'}
            onPress={() => void act('cancel')}
          >
            {t('bookingDesk.request.cancel')}
          </PendingButton>
        </section>
      )}

      {canAct && (b.state === 'requested' || b.state === 'proposed') && (
        <section className="panel" aria-labelledby="desk-reject-heading">
          <h2 id="desk-reject-heading">{t('bookingDesk.request.rejectHeading')}</h2>
          <SelectField
            name="reason"
            label={t('bookingDesk.request.reason')}
            value={reason}
            onChange={(v) => setReason(v as BookingRejectReason)}
            choices={BOOKING_REJECT_REASONS.map((r) => ({
              value: r,
              label: BOOKING_REJECT_REASON_LABELS[r][l],
            }))}
          />
          <PendingButton
            className="button button--secondary"
            pending={pending === 'reject'}
            onPress={() => void act('reject', { reason })}
          >
            {t('bookingDesk.request.reject')}
          </PendingButton>
        </section>
      )}

      <section className="panel" aria-labelledby="desk-timeline-heading">
        <h2 id="desk-timeline-heading">{t('bookings.page.timeline')}</h2>
        <ol>
          {b.events.map((e) => (
            <li key={`${e.at}-${e.to}`}>
              {formatDateTime(e.at)} — {BOOKING_STATE_LABELS[e.to][l]} ({t(`bookingDesk.actors.${e.actor}`)})
            </li>
          ))}
        </ol>
      </section>
      <p>
        <Link href={DESK_ROUTE}>{t('bookingDesk.request.toQueue')}</Link>
      </p>
    </div>
  );
}
