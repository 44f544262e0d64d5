import { Link } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { BOOKING_STATE_LABELS } from '#contracts/bookings.codes.js';
import { CATEGORY_LABELS } from '#contracts/plans.codes.js';
import { formatDate } from '../../lib/format';
import { useApiQuery } from '../../lib/query';
import {
  BOOKING_WIZARD_ROUTE,
  BOOKINGS_PATH,
  type BookingList,
  bookingRoute,
  romeDateTime,
} from './bookings-api';

const lang = (language: string | undefined): 'it' | 'en' => (language === 'en' ? 'en' : 'it');

/** "Le tue prenotazioni" in "Le mie pratiche": the bookings beside the claims, with their states. */
export function BookingsSection() {
  const { t, i18n } = useTranslation();
  const l = lang(i18n.resolvedLanguage);
  // An extra of the page: if it cannot be loaded, the claims are still there.
  const list = useApiQuery<BookingList>(BOOKINGS_PATH);
  const items = list.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="bookings-heading">
      <h2 id="bookings-heading">{t('bookings.list.heading')}</h2>
      {list.data && items.length === 0 && <p>{t('bookings.list.empty')}</p>}
      {items.length > 0 && (
        <ul className="claim-list">
          {items.map((b) => (
            <li key={b.id} className="claim-card">
              <p>
                <Link href={bookingRoute(b.id)}>
                  {t('bookings.list.item', { number: b.number, service: CATEGORY_LABELS[b.service][l] })}
                </Link>
              </p>
              <p>
                <span className="badge">{BOOKING_STATE_LABELS[b.state][l]}</span> {b.beneficiary.givenName}{' '}
                {b.beneficiary.surname} — {b.facilityName}
              </p>
              <p className="muted">
                {b.startAt
                  ? t('bookings.list.when', { when: romeDateTime(b.startAt, l) })
                  : t('bookings.list.sent', { date: formatDate(b.createdAt.slice(0, 10)) })}
              </p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link href={BOOKING_WIZARD_ROUTE}>{t('bookings.list.new')}</Link>
      </p>
    </section>
  );
}
