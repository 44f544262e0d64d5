import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Form, Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { BOOKING_REJECT_REASON_LABELS, BOOKING_STATE_LABELS, DAY_PARTS } from '#contracts/bookings.codes.js';
import { CATEGORY_LABELS } from '#contracts/plans.codes.js';
import { FormAlert, FormStatus } from '../../components/form-alert';
import { LoadError } from '../../components/load-error';
import { PendingButton } from '../../components/submit-button';
import { api } from '../../lib/api';
import { useFormFeedback } from '../../lib/form-feedback';
import { formatDate, formatDateTime } from '../../lib/format';
import { formatEuro } from '../../lib/money';
import { useApiQuery } from '../../lib/query';
import { useDocumentTitle } from '../../lib/use-document-title';
import { claimRoute } from '../claims/claims-api';
import {
  type Booking,
  bookingCalendarPath,
  bookingPath,
  bookingVoucherPath,
  isBookingsQueryKey,
  romeDateTime,
} from './bookings-api';

const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

/** `/prenotazioni/:id`: the booking, what the member can do with it, its voucher and calendar file. */
export function BookingPage() {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  const { id = '' } = useParams();
  const booking = useApiQuery<Booking>(bookingPath(id));
  useDocumentTitle(
    booking.data ? t('bookings.page.documentTitle', { number: booking.data.number }) : t('bookings.loading'),
  );
  const queryClient = useQueryClient();
  const feedback = useFormFeedback(t, {});
  const [pending, setPending] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  if (booking.isPending) {
    return (
      <p role="status" className="muted">
        {t('bookings.loading')}
      </p>
    );
  }
  if (booking.isError) {
    return (
      <div className="panel">
        <LoadError error={booking.error} onRetry={() => void booking.refetch()} />
      </div>
    );
  }
  const b = booking.data;

  async function act(action: 'accept' | 'decline' | 'cancel') {
    if (pending) return;
    setPending(action);
    setDone(null);
    feedback.clear();
    try {
      await api.post<Booking>(`${bookingPath(b.id)}/${action}`);
      await queryClient.invalidateQueries({ predicate: (q) => isBookingsQueryKey(q.queryKey) });
      setDone(t(`bookings.page.done.${action}`));
    } catch (err) {
      feedback.reportApiError(err);
    } finally {
      setPending(null);
    }
  }

  async function reschedule(date: string, part: string) {
    if (pending) return;
    setPending('reschedule');
    setDone(null);
    feedback.clear();
    try {
      await api.post<Booking>(`${bookingPath(b.id)}/reschedule`, { windows: [{ date, part }] });
      await queryClient.invalidateQueries({ predicate: (q) => isBookingsQueryKey(q.queryKey) });
      setDone(t('bookings.page.done.reschedule'));
    } catch (err) {
      feedback.reportApiError(err);
    } finally {
      setPending(null);
    }
  }

  const facilityText = (f: Booking['facility']) =>
    `${f.name}, ${f.address}, ${f.cap} ${f.city} (${f.province})${f.phone ? ` — ${f.phone}` : ''}`;

  return (
    <div className="dashboard">
      <div className="dashboard__intro">
        <h1>{t('bookings.page.heading', { number: b.number })}</h1>
        <p>
          <span className="badge">{BOOKING_STATE_LABELS[b.state][l]}</span>
        </p>
      </div>
      <FormAlert problem={feedback.problem} />
      <FormStatus message={done} />
      <section className="panel" aria-labelledby="booking-facts-heading">
        <h2 id="booking-facts-heading">{t('bookings.page.facts')}</h2>
        <dl className="facts">
          <div>
            <dt>{t('bookings.wizard.beneficiary')}</dt>
            <dd>
              {b.beneficiary.givenName} {b.beneficiary.surname}
            </dd>
          </div>
          <div>
            <dt>{t('bookings.wizard.service')}</dt>
            <dd>{CATEGORY_LABELS[b.service][l]}</dd>
          </div>
          <div>
            <dt>{t('bookings.wizard.facility')}</dt>
            <dd>{facilityText(b.appointment?.facility ?? b.facility)}</dd>
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
          {b.appointment && (
            <div>
              <dt>{t('bookings.page.appointment')}</dt>
              <dd>{romeDateTime(b.appointment.startAt, l)}</dd>
            </div>
          )}
          {b.authorisationCode && (
            <div>
              <dt>{t('bookings.page.code')}</dt>
              <dd className="code">{b.authorisationCode}</dd>
            </div>
          )}
          {b.expectedShareCents !== null && (
            <div>
              <dt>{t('bookings.page.share')}</dt>
              <dd>{formatEuro(b.expectedShareCents, l)}</dd>
            </div>
          )}
          {b.rejectReason && (
            <div>
              <dt>{t('bookings.page.rejectReason')}</dt>
              <dd>{BOOKING_REJECT_REASON_LABELS[b.rejectReason][l]}</dd>
            </div>
          )}
          {b.claim && (
            <div>
              <dt>{t('bookings.page.claim')}</dt>
              <dd>
                <Link href={claimRoute(b.claim.id)}>{b.claim.number}</Link>
              </dd>
            </div>
          )}
        </dl>
      </section>

      {b.proposal && (
        <section className="panel" aria-labelledby="booking-proposal-heading">
          <h2 id="booking-proposal-heading">{t('bookings.page.proposal')}</h2>
          <p>
            {t('bookings.page.proposalText', {
              when: romeDateTime(b.proposal.startAt, l),
              facility: facilityText(b.proposal.facility),
            })}
          </p>
          <p className="muted">
            {t('bookings.page.proposalDeadline', { when: formatDateTime(b.proposal.deadline) })}
          </p>
          <div className="form__actions">
            <PendingButton pending={pending === 'accept'} onPress={() => void act('accept')}>
              {t('bookings.page.accept')}
            </PendingButton>
            <PendingButton
              className="button button--secondary"
              pending={pending === 'decline'}
              onPress={() => void act('decline')}
            >
              {t('bookings.page.decline')}
            </PendingButton>
          </div>
        </section>
      )}

      {b.state === 'confirmed' && (
        <section className="panel" aria-labelledby="booking-documents-heading">
          <h2 id="booking-documents-heading">{t('bookings.page.downloads')}</h2>
          <ul>
            <li>
              <a href={bookingVoucherPath(b.id)} download>
                {t('bookings.page.voucher')}
              </a>
            </li>
            <li>
              <a href={bookingCalendarPath(b.id)} download>
                {t('bookings.page.calendar')}
              </a>
            </li>
          </ul>
        </section>
      )}

      {(b.state === 'proposed' || b.state === 'confirmed') && (
        <section className="panel" aria-labelledby="booking-reschedule-heading">
          <h2 id="booking-reschedule-heading">{t('bookings.page.rescheduleHeading')}</h2>
          <p className="muted">{t('bookings.page.rescheduleText')}</p>
          <Form
            onSubmit={(event: FormEvent<HTMLFormElement>) => {
              event.preventDefault();
              const data = new FormData(event.currentTarget);
              void reschedule(String(data.get('date') ?? ''), String(data.get('part') ?? 'morning'));
            }}
            className="form"
          >
            <div className="field">
              <label className="field__label" htmlFor="reschedule-date">
                {t('bookings.wizard.day')}
              </label>
              <input id="reschedule-date" name="date" type="date" className="field__input" required />
            </div>
            <div className="field">
              <label className="field__label" htmlFor="reschedule-part">
                {t('bookings.wizard.part')}
              </label>
              <select id="reschedule-part" name="part" className="field__input">
                {DAY_PARTS.map((p) => (
                  <option key={p} value={p}>
                    {t(`bookings.parts.${p}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="form__actions">
              <PendingButton
                type="submit"
                className="button button--secondary"
                pending={pending === 'reschedule'}
              >
                {t('bookings.page.reschedule')}
              </PendingButton>
            </div>
          </Form>
        </section>
      )}

      {(b.state === 'requested' || b.state === 'proposed' || b.state === 'confirmed') && (
        <section className="panel" aria-labelledby="booking-cancel-heading">
          <h2 id="booking-cancel-heading">{t('bookings.page.cancelHeading')}</h2>
          {b.cancellableUntil && (
            <p className="muted">
              {t('bookings.page.cancelUntil', { when: formatDateTime(b.cancellableUntil) })}
            </p>
          )}
          <PendingButton
            className="button button--secondary"
            pending={pending === 'cancel'}
            onPress={() => void act('cancel')}
          >
            {t('bookings.page.cancel')}
          </PendingButton>
        </section>
      )}

      <section className="panel" aria-labelledby="booking-timeline-heading">
        <h2 id="booking-timeline-heading">{t('bookings.page.timeline')}</h2>
        <ol>
          {b.events.map((e) => (
            <li key={`${e.at}-${e.to}`}>
              {formatDateTime(e.at)} — {BOOKING_STATE_LABELS[e.to][l]}
            </li>
          ))}
        </ol>
      </section>
      <p>
        <Link href="/pratiche">{t('bookings.toClaims')}</Link>
      </p>
    </div>
  );
}
